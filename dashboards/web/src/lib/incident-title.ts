/** Titles in the reader's language, given a rule title lookup (components/rule-title.tsx). */
export type TitleLookup = (id: string | undefined, name: string) => string;

/**
 * An incident title in the reader's language: incidents are titled by their first alert's rule
 * ("<rule title> (source.ip 198.51.100.23)"), so a known rule title at the start is translated and
 * the entities after it are kept.
 */
export function incidentTitleOf(title: string, titleOf: TitleLookup): string {
  const whole = titleOf(undefined, title);
  if (whole !== title) return whole;
  for (let i = title.lastIndexOf(' ('); i > 0; i = title.lastIndexOf(' (', i - 1)) {
    const head = title.slice(0, i);
    const translated = titleOf(undefined, head);
    if (translated !== head) return translated + title.slice(i);
  }
  return title;
}
