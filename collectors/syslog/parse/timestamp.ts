/**
 * Syslog header timestamps: RFC 3339 (RFC 5424 and rsyslog's forward format) and the BSD forms
 * devices really send (RFC 3164 `Mmm dd hh:mm:ss` plus the year, millisecond and zone variants of
 * Cisco IOS/NX-OS/ASA, Huawei and others). Scanners read in place with charCodeAt and write into a
 * reused result object: no regex, no substring, no allocation per message.
 */
import { daysInMonth } from '../../../core/time-digits';
import type { ZoneOffsetCache } from './zone-offset';

export class TimestampResult {
  /** Epoch ms, NaN when the fields were read but form no date (Feb 29 of a year without one). */
  epoch = Number.NaN;
  /** True when the text carried no zone and was read in the configured zone. */
  assumedZone = false;
  /** Index just past the timestamp. */
  end = 0;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** A yearless timestamp is placed in the latest year that puts it at most this far ahead of now. */
const MAX_FUTURE_MS = 31 * DAY_MS;
const NO_OFFSET = Number.NaN;

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function twoDigits(s: string, i: number): number {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

function fourDigits(s: string, i: number): number {
  const a = twoDigits(s, i);
  const b = twoDigits(s, i + 2);
  return a < 0 || b < 0 ? -1 : a * 100 + b;
}

/** `±hh:mm`, `±hhmm` or `±hh` at `i` → offset in ms written to `out.epoch` scratch; returns end or -1. */
function readNumericOffset(s: string, i: number, end: number, out: TimestampResult): number {
  const sign = s.charCodeAt(i);
  if (sign !== 43 && sign !== 45) return -1;
  const hours = twoDigits(s, i + 1);
  if (hours < 0 || hours > 23 || i + 3 > end) return -1;
  let j = i + 3;
  let minutes = 0;
  if (s.charCodeAt(j) === 58 /* : */ && j + 3 <= end) {
    minutes = twoDigits(s, j + 1);
    if (minutes < 0) return -1;
    j += 3;
  } else if (j + 2 <= end && twoDigits(s, j) >= 0) {
    minutes = twoDigits(s, j);
    j += 2;
  }
  if (minutes > 59) return -1;
  out.epoch = (sign === 45 ? -1 : 1) * (hours * 60 + minutes) * MINUTE_MS;
  return j;
}

/** Fraction digits at `i` (after the dot): milliseconds into `out.epoch`, returns the end. */
function readFraction(s: string, i: number, end: number, out: TimestampResult): number {
  let ms = 0;
  let n = 0;
  while (i < end) {
    const d = digit(s, i);
    if (d < 0) break;
    if (n < 3) ms = ms * 10 + d;
    n++;
    i++;
  }
  if (n === 0) return -1;
  for (; n < 3; n++) ms *= 10;
  out.epoch = ms;
  return i;
}

/**
 * RFC 3339 `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` at `pos`. A missing offset (not allowed by
 * RFC 5424 but sent by some devices) is read in `zone`. `allowSpace` also accepts a space for `T`.
 */
export function parseRfc3339(
  s: string, pos: number, end: number, allowSpace: boolean, zone: ZoneOffsetCache, out: TimestampResult,
): boolean {
  if (pos + 19 > end) return false;
  const year = fourDigits(s, pos);
  if (year < 100 || s.charCodeAt(pos + 4) !== 45 || s.charCodeAt(pos + 7) !== 45) return false;
  const month = twoDigits(s, pos + 5);
  const day = twoDigits(s, pos + 8);
  const sep = s.charCodeAt(pos + 10);
  if (sep !== 84 /* T */ && sep !== 116 /* t */ && !(allowSpace && sep === 32)) return false;
  const hour = twoDigits(s, pos + 11);
  const minute = twoDigits(s, pos + 14);
  const second = twoDigits(s, pos + 17);
  if (s.charCodeAt(pos + 13) !== 58 || s.charCodeAt(pos + 16) !== 58) return false;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  let i = pos + 19;
  let ms = 0;
  const c = s.charCodeAt(i);
  if ((c === 46 || c === 44) && i + 1 < end) {
    const j = readFraction(s, i + 1, end, out);
    if (j < 0) return false;
    ms = out.epoch;
    i = j;
  }
  let offset = NO_OFFSET;
  const z = i < end ? s.charCodeAt(i) : 0;
  if (z === 90 /* Z */ || z === 122 /* z */) {
    offset = 0;
    i++;
  } else if (z === 43 || z === 45) {
    const j = readNumericOffset(s, i, end, out);
    if (j < 0) return false;
    offset = out.epoch;
    i = j;
  }
  // Date.UTC rolls a leap second (60) into the next minute, which is as close as epoch ms get.
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  out.assumedZone = Number.isNaN(offset);
  out.epoch = out.assumedZone ? zone.localToUtc(wall) : wall - offset;
  out.end = i;
  return true;
}

/** Month index 0-11 of a three-letter English abbreviation at `i` (any case), or -1. */
function monthAt(s: string, i: number): number {
  const a = s.charCodeAt(i) | 32;
  const b = s.charCodeAt(i + 1) | 32;
  const c = s.charCodeAt(i + 2) | 32;
  switch (a) {
    case 106: // j
      if (b === 97 && c === 110) return 0; // jan
      if (b === 117 && c === 110) return 5; // jun
      if (b === 117 && c === 108) return 6; // jul
      return -1;
    case 102: return b === 101 && c === 98 ? 1 : -1; // feb
    case 109: // m
      if (b === 97 && c === 114) return 2; // mar
      if (b === 97 && c === 121) return 4; // may
      return -1;
    case 97: // a
      if (b === 112 && c === 114) return 3; // apr
      if (b === 117 && c === 103) return 7; // aug
      return -1;
    case 115: return b === 101 && c === 112 ? 8 : -1; // sep
    case 111: return b === 99 && c === 116 ? 9 : -1; // oct
    case 110: return b === 111 && c === 118 ? 10 : -1; // nov
    case 100: return b === 101 && c === 99 ? 11 : -1; // dec
    default: return -1;
  }
}

/** True when a BSD timestamp (`Mmm d…` or `yyyy Mmm d…`) could start at `i`; cheap pre-check. */
export function looksLikeBsdTimestamp(s: string, i: number): boolean {
  return monthAt(s, i) >= 0 || (fourDigits(s, i) >= 0 && s.charCodeAt(i + 4) === 32 && monthAt(s, i + 5) >= 0);
}

// Zone abbreviations devices print after the time (Cisco `show-timezone`, ASA, Juniper). Only
// unambiguous ones: CST, IST and BST mean different zones in different countries.
const ZONE_ABBREVIATIONS = new Map<string, number>([
  ['UTC', 0], ['GMT', 0], ['UT', 0], ['Z', 0], ['WET', 0],
  ['WEST', 60], ['CET', 60], ['CEST', 120], ['EET', 120], ['EEST', 180], ['MSK', 180],
  ['ICT', 420], ['WIB', 420], ['SGT', 480], ['HKT', 480], ['PHT', 480], ['AWST', 480],
  ['JST', 540], ['KST', 540], ['AEST', 600], ['AEDT', 660], ['NZST', 720], ['NZDT', 780],
  ['EST', -300], ['EDT', -240], ['CDT', -300], ['MST', -420], ['MDT', -360],
  ['PST', -480], ['PDT', -420], ['AKST', -540], ['AKDT', -480], ['HST', -600],
]);

/**
 * A zone after a BSD time at `i` (which is just past the seconds or fraction): `+07:00` glued on
 * (Huawei), or ` +0700`, ` UTC`, ` ICT`, ` UTC+07:00`. An unknown upper-case word counts as a zone
 * only in the Cisco form `WORD: %` — elsewhere it is the hostname. Writes the offset (NaN for an
 * unknown zone) to `out.epoch`; returns the end, or `i` when there is no zone.
 */
function readZoneSuffix(s: string, i: number, end: number, out: TimestampResult): number {
  const c = s.charCodeAt(i);
  if (c === 43 || c === 45) {
    const j = readNumericOffset(s, i, end, out);
    return j < 0 ? i : j;
  }
  if (c !== 32 || i + 1 >= end) return i;
  const start = i + 1;
  const first = s.charCodeAt(start);
  if (first === 43 || first === 45) {
    const j = readNumericOffset(s, start, end, out);
    return j < 0 || (j < end && s.charCodeAt(j) !== 32 && s.charCodeAt(j) !== 58) ? i : j;
  }
  let j = start;
  while (j < end && j - start < 5) {
    const u = s.charCodeAt(j);
    if (u < 65 || u > 90) break;
    j++;
  }
  if (j === start) return i;
  const next = j < end ? s.charCodeAt(j) : 32;
  if (next !== 32 && next !== 58 && next !== 43 && next !== 45) return i;
  const known = ZONE_ABBREVIATIONS.get(s.slice(start, j));
  if (known === undefined) {
    const ciscoForm = next === 58 && s.charCodeAt(j + 1) === 32 && s.charCodeAt(j + 2) === 37 /* % */;
    if (!ciscoForm) return i;
    out.epoch = NO_OFFSET;
    return j;
  }
  if (next === 43 || next === 45) {
    const k = readNumericOffset(s, j, end, out);
    if (k < 0) return i;
    out.epoch += known * MINUTE_MS;
    return k;
  }
  out.epoch = known * MINUTE_MS;
  return j;
}

/**
 * BSD-style timestamp at `pos`: `Mmm dd hh:mm:ss`, `Mmm  d …` (space-padded day), `Mmm dd yyyy
 * hh:mm:ss` (ASA), `yyyy Mmm dd hh:mm:ss` (NX-OS), each with optional `.fraction` and zone. A
 * yearless time gets the latest year that puts it no more than a month after `now` (so `Dec 31`
 * received on Jan 1 is last year, and a clock a little ahead does not jump back a year).
 */
export function parseBsdTimestamp(
  s: string, pos: number, end: number, zone: ZoneOffsetCache, now: number, out: TimestampResult,
): boolean {
  let i = pos;
  let year = -1;
  if (digit(s, i) >= 0) {
    year = fourDigits(s, i);
    if (year < 100 || s.charCodeAt(i + 4) !== 32) return false;
    i += 5;
  }
  if (i + 14 > end) return false;
  const month0 = monthAt(s, i);
  if (month0 < 0 || s.charCodeAt(i + 3) !== 32) return false;
  i += 4;
  if (s.charCodeAt(i) === 32) i++;
  let day = digit(s, i);
  if (day < 0) return false;
  i++;
  const d2 = digit(s, i);
  if (d2 >= 0) {
    day = day * 10 + d2;
    i++;
  }
  if (s.charCodeAt(i) !== 32 || day < 1 || day > 31) return false;
  i++;
  if (year < 0 && s.charCodeAt(i + 4) === 32) {
    year = fourDigits(s, i);
    if (year < 100) return false;
    i += 5;
  }
  let hour = digit(s, i);
  if (hour < 0) return false;
  i++;
  if (s.charCodeAt(i) !== 58) {
    const h2 = digit(s, i);
    if (h2 < 0) return false;
    hour = hour * 10 + h2;
    i++;
  }
  if (i + 6 > end || s.charCodeAt(i) !== 58 || s.charCodeAt(i + 3) !== 58) return false;
  const minute = twoDigits(s, i + 1);
  const second = twoDigits(s, i + 4);
  if (hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  i += 6;
  let ms = 0;
  if (s.charCodeAt(i) === 46 && i + 1 < end) {
    const j = readFraction(s, i + 1, end, out);
    if (j > 0) {
      ms = out.epoch;
      i = j;
    }
  }
  out.epoch = NO_OFFSET;
  i = readZoneSuffix(s, i, end, out);
  const offset = out.epoch;
  out.end = i;
  out.assumedZone = Number.isNaN(offset);
  if (year >= 0) {
    out.epoch = day > daysInMonth(year, month0 + 1) ? Number.NaN : toEpoch(year, month0, day, hour, minute, second, ms, offset, zone);
    return true;
  }
  out.epoch = inferYear(month0, day, hour, minute, second, ms, offset, zone, now);
  return true;
}

function toEpoch(
  year: number, month0: number, day: number, hour: number, minute: number, second: number, ms: number,
  offset: number, zone: ZoneOffsetCache,
): number {
  const wall = Date.UTC(year, month0, day, hour, minute, second, ms);
  return Number.isNaN(offset) ? zone.localToUtc(wall) : wall - offset;
}

function inferYear(
  month0: number, day: number, hour: number, minute: number, second: number, ms: number,
  offset: number, zone: ZoneOffsetCache, now: number,
): number {
  const localNow = now + (Number.isNaN(offset) ? zone.offsetAt(now) : offset);
  const year = new Date(localNow).getUTCFullYear();
  const limit = now + MAX_FUTURE_MS;
  // Newest candidate first: next year only matters around New Year, the previous one when this
  // year's date is still ahead.
  for (let y = year + 1; y >= year - 1; y--) {
    if (day > daysInMonth(y, month0 + 1)) continue;
    const t = toEpoch(y, month0, day, hour, minute, second, ms, offset, zone);
    if (t <= limit) return t;
  }
  return Number.NaN;
}
