/**
 * Wall-clock times devices write inside the message (`date=2019-05-10 time=11:37:47`, Kea's
 * `2024-03-04 08:01:10.123`), turned into epoch milliseconds in the device's zone: a numeric
 * offset when the device wrote one (`+0700`), else the collector's configured IANA zone. Digits are
 * read by char code; anything malformed gives undefined so the caller keeps the time it has.
 */
import { daysInMonth, decimalDigits } from '../../../core/time-digits';
import { zoneOffsetCache } from '../parse/zone-offset';


/** `YYYY-MM-DD` as days-since-epoch milliseconds (UTC midnight), or undefined. */
export function parseIsoDate(date: string): number | undefined {
  if (date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return undefined;
  const year = decimalDigits(date, 0, 4);
  const month = decimalDigits(date, 5, 2);
  const day = decimalDigits(date, 8, 2);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return Date.UTC(year, month - 1, day);
}

/** `HH:MM:SS` as milliseconds into the day, or undefined. */
export function parseClockTime(time: string): number | undefined {
  if (time.length !== 8 || time.charCodeAt(2) !== 58 || time.charCodeAt(5) !== 58) return undefined;
  const h = decimalDigits(time, 0, 2);
  const m = decimalDigits(time, 3, 2);
  const s = decimalDigits(time, 6, 2);
  if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59) return undefined;
  return ((h * 60 + m) * 60 + s) * 1000;
}

/** FortiOS `tz="+0700"` / `"-0500"` (also `+07:00`) as milliseconds east of UTC, or undefined. */
export function parseNumericOffset(tz: string): number | undefined {
  const sign = tz.charCodeAt(0);
  if (sign !== 43 && sign !== 45) return undefined;
  let h: number;
  let m: number;
  if (tz.length === 5) {
    h = decimalDigits(tz, 1, 2);
    m = decimalDigits(tz, 3, 2);
  } else if (tz.length === 6 && tz.charCodeAt(3) === 58) {
    h = decimalDigits(tz, 1, 2);
    m = decimalDigits(tz, 4, 2);
  } else {
    return undefined;
  }
  if (h < 0 || h > 14 || m < 0 || m > 59) return undefined;
  const ms = (h * 60 + m) * 60_000;
  return sign === 45 ? -ms : ms;
}

/**
 * Epoch milliseconds of a device's `date` + `time` wall clock: in the numeric offset `tz` when it
 * is one, else in the IANA zone `timezone` (UTC when undefined). Undefined for a malformed date or time.
 */
export function deviceTimeMillis(date: string | undefined, time: string | undefined, tz: string | undefined, timezone: string | undefined): number | undefined {
  if (date === undefined || time === undefined) return undefined;
  const day = parseIsoDate(date);
  if (day === undefined) return undefined;
  const clock = parseClockTime(time);
  if (clock === undefined) return undefined;
  const local = day + clock;
  if (tz !== undefined) {
    const offset = parseNumericOffset(tz);
    if (offset !== undefined) return local - offset;
  }
  return timezone === undefined ? local : zoneOffsetCache(timezone).localToUtc(local);
}
