/**
 * Value-transforming modifiers: base64, base64offset, utf16le/wide, utf16be, utf16 (with BOM) and
 * windash. They work on parsed patterns; a pattern can expand into several alternatives that are
 * OR-linked (even under `all`, which links the rule's listed values, not these expansions).
 */
import type { PatternPart } from './sigma-string';
import { SigmaError } from './types';

/** A pattern plus whether its literals are bytes (one char per byte, after a utf16 modifier). */
export interface ValuePattern {
  parts: PatternPart[];
  binary: boolean;
}

function textOf(value: ValuePattern, modifier: string): string {
  let out = '';
  for (const p of value.parts) {
    if (typeof p !== 'string') throw new SigmaError('modifier', `${modifier}: values with wildcards cannot be encoded (escape * and ? as \\* and \\?)`);
    out += p;
  }
  return out;
}

function bytesOf(value: ValuePattern, modifier: string): Buffer {
  const text = textOf(value, modifier);
  return Buffer.from(text, value.binary ? 'latin1' : 'utf8');
}

export function base64(value: ValuePattern): ValuePattern[] {
  return [{ parts: [bytesOf(value, 'base64').toString('base64')], binary: false }];
}

/**
 * A value inside a longer base64 string can start at any of three byte offsets. For each offset,
 * encode with that many filler bytes in front and keep only the characters that do not depend
 * on the neighbouring (unknown) bytes: drop 0/2/3 leading and, depending on where the value ends
 * in its 3-byte group, 0/3/2 trailing characters.
 */
export function base64offset(value: ValuePattern): ValuePattern[] {
  const data = bytesOf(value, 'base64offset');
  if (data.length === 0) throw new SigmaError('value', 'base64offset: empty value');
  const startCut = [0, 2, 3];
  const endCut = [0, 3, 2];
  const out: ValuePattern[] = [];
  for (let i = 0; i < 3; i++) {
    const encoded = Buffer.concat([Buffer.alloc(i, 0x20), data]).toString('base64');
    const cutEnd = endCut[(data.length + i) % 3];
    const piece = encoded.slice(startCut[i], encoded.length - cutEnd);
    if (piece !== '') out.push({ parts: [piece], binary: false });
  }
  return out;
}

/** UTF-16 bytes as a latin1 string (a byte string input, after another utf16, is re-encoded unit by unit). */
function utf16Bytes(text: string, bigEndian: boolean): string {
  const buf = Buffer.from(text, 'utf16le');
  if (bigEndian) buf.swap16();
  return buf.toString('latin1');
}

export function utf16(value: ValuePattern, variant: 'utf16le' | 'utf16be' | 'utf16'): ValuePattern[] {
  const parts: PatternPart[] = value.parts.map((p) => (typeof p === 'string' ? utf16Bytes(p, variant === 'utf16be') : p));
  // `utf16` writes the little-endian byte order mark FF FE first (spec: "FF FE 63 00 6d 00 64 00").
  if (variant === 'utf16') parts.unshift('\xff\xfe');
  return [{ parts: mergeLiterals(parts), binary: true }];
}

function mergeLiterals(parts: PatternPart[]): PatternPart[] {
  const out: PatternPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p;
    else out.push(p);
  }
  return out;
}

const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];
/** A dash or slash that starts a word (pySigma's `\B[-/]\b`, extended to the spec's five dashes). */
const WINDASH_POSITION = /\B[-/\u2013\u2014\u2015]\b/g;
export const MAX_WINDASH_VARIANTS = 5 ** 5;

type Piece = PatternPart | { dash: true };

export function windash(value: ValuePattern): ValuePattern[] {
  const pieces: Piece[] = [];
  let choices = 0;
  for (const p of value.parts) {
    if (typeof p !== 'string') {
      pieces.push(p);
      continue;
    }
    let last = 0;
    for (const m of p.matchAll(WINDASH_POSITION)) {
      const at = m.index ?? 0;
      if (at > last) pieces.push(p.slice(last, at));
      pieces.push({ dash: true });
      choices++;
      last = at + 1;
    }
    if (last < p.length) pieces.push(p.slice(last));
  }
  if (choices === 0) return [value];
  if (DASHES.length ** choices > MAX_WINDASH_VARIANTS) {
    throw new SigmaError('value', `windash: ${choices} flag characters would expand into more than ${MAX_WINDASH_VARIANTS} variants`);
  }
  const out: ValuePattern[] = [];
  const current: PatternPart[] = [];
  const expand = (i: number): void => {
    if (i === pieces.length) {
      out.push({ parts: mergeLiterals([...current]), binary: value.binary });
      return;
    }
    const piece = pieces[i];
    if (typeof piece === 'object' && piece !== null && 'dash' in piece) {
      for (const d of DASHES) {
        current.push(d);
        expand(i + 1);
        current.pop();
      }
    } else {
      current.push(piece as PatternPart);
      expand(i + 1);
      current.pop();
    }
  };
  expand(0);
  return out;
}

