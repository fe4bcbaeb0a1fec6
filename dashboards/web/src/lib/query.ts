/** Building KQL-like query strings safely: quoting values, and adding the agency filter to a user's query. */

/** A value as a quoted query term when it holds anything but plain word characters. */
export function quoteValue(value: string): string {
  if (/^[A-Za-z0-9_.:@/-]+$/.test(value) && !/^(and|or|not)$/i.test(value)) return value;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function term(field: string, value: string): string {
  return `${field}:${quoteValue(value)}`;
}

/** `(a) and (b)`, skipping empty parts. */
export function andQuery(...parts: Array<string | undefined>): string {
  const kept = parts.map((p) => (p ?? '').trim()).filter((p) => p !== '');
  if (kept.length <= 1) return kept[0] ?? '';
  return kept.map((p) => `(${p})`).join(' and ');
}

/** The agency selector's filter: nothing for "all", else organization.id. */
export function agencyQuery(agency: string): string {
  return agency === '' ? '' : term('organization.id', agency);
}
