/**
 * RFC 4180 records: fields separated by a delimiter, optionally double-quoted, `""` an escaped quote,
 * quoted fields may span lines. Yields each record with the line it starts on.
 */

export interface CsvRecord {
  line: number;
  fields: string[];
  /** The record's first field started with `#` outside quotes (a comment, or a commented header). */
  comment: boolean;
}

export function* csvRecords(text: string, delimiter: string): Generator<CsvRecord> {
  const d = delimiter.charCodeAt(0);
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  // Next quote at or after i (text.length: none); searched again only once passed, so a file without
  // quotes is scanned once, not once per line.
  let quote = -1;
  while (i < text.length) {
    const startLine = line;
    // Most feed lines hold no quote: split them directly.
    let eol = text.indexOf('\n', i);
    if (eol < 0) eol = text.length;
    if (quote < i) {
      quote = text.indexOf('"', i);
      if (quote < 0) quote = text.length;
    }
    if (quote > eol) {
      const raw = text.charCodeAt(eol - 1) === 13 ? text.slice(i, eol - 1) : text.slice(i, eol);
      i = eol + 1;
      line++;
      if (raw.trim() === '') continue;
      const fields = raw.split(delimiter);
      for (let k = 0; k < fields.length; k++) fields[k] = fields[k].trim();
      yield { line: startLine, fields, comment: fields[0].charCodeAt(0) === 35 };
      continue;
    }
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let atFieldStart = true;
    let comment = false;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (quoted) {
        if (c === 34) {
          if (text.charCodeAt(i + 1) === 34) {
            field += '"';
            i++;
          } else {
            quoted = false;
          }
        } else {
          if (c === 10) line++;
          field += text[i];
        }
        continue;
      }
      if (c === 34 && atFieldStart) {
        quoted = true;
        atFieldStart = false;
        continue;
      }
      if (c === d) {
        fields.push(field.trim());
        field = '';
        atFieldStart = true;
        continue;
      }
      if (c === 10 || c === 13) {
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        i++;
        line++;
        break;
      }
      if (c === 35 && fields.length === 0 && field.trim() === '') comment = true;
      if (atFieldStart && (c === 32 || c === 9)) continue;
      atFieldStart = false;
      field += text[i];
    }
    fields.push(field.trim());
    if (fields.length === 1 && fields[0] === '') continue;
    yield { line: startLine, fields, comment };
  }
}
