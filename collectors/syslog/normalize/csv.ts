/**
 * One CSV record (RFC 4180 quoting: `"a,b"` is one field, `""` inside quotes is a quote), as
 * PAN-OS writes its syslog fields. Lines without quotes take the plain split fast path.
 */
export function splitCsv(line: string, maxFields = 1024): string[] {
  if (line.indexOf('"') < 0) return line.split(',', maxFields);
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  while (i <= n && out.length < maxFields) {
    if (i < n && line.charCodeAt(i) === 34) {
      let value = '';
      let chunk = i + 1;
      let j = chunk;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) {
          // Unterminated quote: the rest of the line is the field.
          value += line.slice(chunk);
          j = n;
          break;
        }
        if (line.charCodeAt(q + 1) === 34) {
          value += line.slice(chunk, q + 1);
          j = q + 2;
          chunk = j;
          continue;
        }
        value += line.slice(chunk, q);
        j = q + 1;
        break;
      }
      out.push(value);
      const comma = line.indexOf(',', j);
      if (comma < 0) break;
      i = comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      if (comma < 0) {
        out.push(line.slice(i));
        break;
      }
      out.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
  return out;
}
