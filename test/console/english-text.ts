/**
 * Finds English running text on a page that should read Vietnamese: the lines of the page's visible
 * text holding two or more common English words. The console's own labels are checked against the
 * catalogues elsewhere; this catches sentences the server wrote (timeline messages, recipients,
 * run errors) that no catalogue key names. Identifiers (`source.ip`, `INC-2026-000001`, UUIDs) and
 * text written by users (marked [data-user-content]) are not words here.
 */

/** Function words and the verbs and nouns socnoc's server messages are made of. */
const ENGLISH_WORDS = new Set(
  (
    // Without words Vietnamese also writes unaccented (an, to, do, no, in, ban, la).
    'the of and or for from with by on at into as is are was were been has have not this that ' +
    'added removed updated opened closed submitted passed waiting denied approved failed succeeded finished started requested decided ' +
    'incident alert task step approval decision deadline reference status report notice coordinator national ministry unit security ' +
    'due until comment changed change level source destination user login password failure success'
  ).split(' '),
);

/** Tokens that carry no language: ids, addresses, field names, numbers, dates. */
function isWord(token: string): boolean {
  return /^[A-Za-z]+$/.test(token);
}

/** The query language's operators are English keywords by design (as in KQL); the search help names them. */
const QUERY_OPERATORS = 'and / or / not';

/** Lines of `text` with at least `min` English words, each line trimmed; duplicates once. */
export function englishLines(text: string, min = 2): string[] {
  const out = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    let hits = 0;
    for (const token of line.split(QUERY_OPERATORS).join(' ').split(/[\s,;:()[\]"'“”/·—–-]+/)) {
      if (isWord(token) && ENGLISH_WORDS.has(token.toLowerCase())) hits++;
    }
    if (hits >= min) out.add(line);
  }
  return [...out];
}
