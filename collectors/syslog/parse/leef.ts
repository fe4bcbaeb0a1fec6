/**
 * IBM QRadar Log Event Extended Format.
 * 1.0: `LEEF:1.0|Vendor|Product|Version|EventID|key=value<TAB>key=value…`
 * 2.0: `LEEF:2.0|Vendor|Product|Version|EventID|DelimiterCharacter|key=value^key=value…`, where the
 * delimiter is one character or its hex code (`0x09`, `x5E`); when absent it is a tab.
 */
import type { LeefRecord } from './types';
import { rawValue, scanSpacedPairs } from './key-value';
import { fieldAt, findFormatStart, splitPipeHeader } from './pipe-header';
import { setOwn } from './message';

const TAB = 9;

/**
 * The attribute delimiter named by a LEEF 2.0 header field, or -1 when the field is not a
 * delimiter (then it is already the attributes: the sender left the field out).
 */
function delimiterCode(field: string): number {
  if (field.length === 0) return TAB;
  if (field.length === 1) return field.charCodeAt(0);
  if (field === '\\t') return TAB;
  const hexStart = field.startsWith('0x') || field.startsWith('0X') ? 2 : field.charCodeAt(0) === 120 || field.charCodeAt(0) === 88 ? 1 : -1;
  if (hexStart < 0 || field.length - hexStart < 1 || field.length - hexStart > 4) return -1;
  let code = 0;
  for (let i = hexStart; i < field.length; i++) {
    const c = field.charCodeAt(i) | 32;
    const v = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (v < 0) return -1;
    code = code * 16 + v;
  }
  return code === 0 ? -1 : code;
}

/** `key=value` segments separated by `delimiter`; segments without `=` and empty ones (a trailing delimiter) are skipped. */
function splitAttributes(s: string, start: number, delimiter: number, out: Record<string, string>): void {
  const end = s.length;
  let segment = start;
  let eq = -1;
  for (let i = start; i <= end; i++) {
    const c = i < end ? s.charCodeAt(i) : delimiter;
    if (c === 61 && eq < 0) eq = i;
    if (c !== delimiter) continue;
    if (eq > segment) {
      let keyStart = segment;
      let keyEnd = eq;
      while (keyStart < keyEnd && s.charCodeAt(keyStart) <= 32) keyStart++;
      while (keyEnd > keyStart && s.charCodeAt(keyEnd - 1) <= 32) keyEnd--;
      let valueEnd = i;
      if (i === end) while (valueEnd > eq + 1 && (s.charCodeAt(valueEnd - 1) === 10 || s.charCodeAt(valueEnd - 1) === 13)) valueEnd--;
      if (keyEnd > keyStart) setOwn(out, s.slice(keyStart, keyEnd), s.slice(eq + 1, valueEnd));
    }
    segment = i + 1;
    eq = -1;
  }
}

/** Null when `text` holds no LEEF 1.0/2.0 header. */
export function parseLeef(text: string): LeefRecord | null {
  const start = findFormatStart(text, 'LEEF:');
  if (start < 0) return null;
  const bounds = splitPipeHeader(text, start + 5, text.startsWith('LEEF:2', start) ? 7 : 6);
  const versionText = fieldAt(text, bounds, 0);
  let version: LeefRecord['version'];
  if (versionText === '1.0' || versionText === '1') version = '1.0';
  else if (versionText === '2.0' || versionText === '2') version = '2.0';
  else return null;
  // Vendor, product, version and event id are required; the attributes may be missing.
  if (bounds.length < 5) return null;

  let attributesStart = bounds.length > 5 ? bounds[5] : text.length;
  let delimiter = TAB;
  if (version === '2.0' && bounds.length > 5) {
    const code = bounds.length > 6 ? delimiterCode(fieldAt(text, bounds, 5)) : -1;
    if (code >= 0) {
      delimiter = code;
      attributesStart = bounds[6];
    }
  }
  const attributes: Record<string, string> = {};
  if (delimiter === TAB && text.indexOf('\t', attributesStart) < 0) {
    // Tabs often turn into spaces on the way (copy-paste, relays); read `k=v k=v` then.
    scanSpacedPairs(text, attributesStart, text.length, rawValue, attributes);
  } else {
    splitAttributes(text, attributesStart, delimiter, attributes);
  }
  return {
    version,
    vendor: fieldAt(text, bounds, 1),
    product: fieldAt(text, bounds, 2),
    productVersion: fieldAt(text, bounds, 3),
    eventId: fieldAt(text, bounds, 4),
    attributes,
  };
}
