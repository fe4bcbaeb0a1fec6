/**
 * Vietnamese rule titles for the console. A rule may carry its title in Vietnamese as the custom
 * top-level attribute `x_socnoc_title_vi` (Sigma allows custom attributes; socnoc's loader keeps
 * them in the parsed document's `raw`). The console shows it in Vietnamese wherever the rule's
 * title appears; rules without one keep the title their author wrote.
 */

export const VI_TITLE_FIELD = 'x_socnoc_title_vi';

/** A loaded Sigma rule or correlation, structurally (correlation/sigma's SigmaRule and SigmaCorrelation fit). */
export interface TitledRule {
  id?: string;
  title: string;
  raw: Record<string, unknown>;
}

/**
 * Vietnamese titles by rule id and by written title (alerts name rules by id; incident titles
 * start with the written title). Values that are not a non-empty string of at most 256
 * characters are ignored.
 */
export function ruleTitlesFrom(rules: Iterable<TitledRule>): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of rules) {
    const vi = r.raw[VI_TITLE_FIELD];
    if (typeof vi !== 'string') continue;
    const title = vi.trim();
    if (title === '' || title.length > 256) continue;
    if (r.id !== undefined) out.set(r.id, title);
    out.set(r.title, title);
  }
  return out;
}
