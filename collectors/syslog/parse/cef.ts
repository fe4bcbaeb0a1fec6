/**
 * ArcSight Common Event Format:
 * `CEF:Version|Device Vendor|Device Product|Device Version|Signature ID|Name|Severity|Extension`.
 * Header fields escape `|` and `\` with a backslash; extension values escape `=`, `\`, and write
 * newlines as `\n` / `\r` (ArcSight "Implementing ArcSight CEF", character encoding section).
 */
import type { CefRecord } from './types';
import { scanSpacedPairs } from './key-value';
import { fieldAt, findFormatStart, splitPipeHeader } from './pipe-header';

// The spec's string severities name bands (Low 0-3, Medium 4-6, High 7-8, Very-High 9-10); each
// maps to the top of its band so `severity >= 7` still means "High or worse". Unknown is 0.
const SEVERITY_WORDS = new Map<string, number>([
  ['unknown', 0], ['low', 3], ['medium', 6], ['high', 8], ['very-high', 10], ['very high', 10], ['veryhigh', 10],
]);

/** Extension value with `\=`, `\\`, `\n`, `\r` (and a stray `\|`) unescaped; other backslashes kept. */
function extensionValue(s: string, start: number, end: number): string {
  const backslash = s.indexOf('\\', start);
  if (backslash < 0 || backslash >= end) return s.slice(start, end);
  let out = '';
  let from = start;
  for (let i = backslash; i < end - 1; i++) {
    if (s.charCodeAt(i) !== 92) continue;
    let replacement: string;
    switch (s.charCodeAt(i + 1)) {
      case 61: replacement = '='; break;
      case 92: replacement = '\\'; break;
      case 110: replacement = '\n'; break;
      case 114: replacement = '\r'; break;
      case 124: replacement = '|'; break;
      default: continue;
    }
    out += s.slice(from, i) + replacement;
    from = i + 2;
    i++;
  }
  return out + s.slice(from, end);
}

function parseSeverity(text: string): number {
  if (text.length > 0 && text.length <= 4) {
    const n = Number(text);
    if (Number.isFinite(n)) return n;
  }
  return SEVERITY_WORDS.get(text.toLowerCase()) ?? 0;
}

/** Null when `text` holds no CEF header (fewer than six `|` after `CEF:`, or a non-numeric version). */
export function parseCef(text: string): CefRecord | null {
  const start = findFormatStart(text, 'CEF:');
  if (start < 0) return null;
  const bounds = splitPipeHeader(text, start + 4, 8);
  // Seven pipes normally; six when a sender drops the empty extension and its pipe.
  if (bounds.length < 7) return null;
  const versionText = fieldAt(text, bounds, 0);
  const version = Number(versionText);
  if (versionText.length === 0 || !Number.isInteger(version)) return null;
  const extensions: Record<string, string> = {};
  if (bounds.length === 8) scanSpacedPairs(text, bounds[7], text.length, extensionValue, extensions);
  return {
    version,
    vendor: fieldAt(text, bounds, 1),
    product: fieldAt(text, bounds, 2),
    deviceVersion: fieldAt(text, bounds, 3),
    signatureId: fieldAt(text, bounds, 4),
    name: fieldAt(text, bounds, 5),
    severity: parseSeverity(fieldAt(text, bounds, 6)),
    extensions,
  };
}
