/** Building blocks shared by the syslog header parsers. */
import type { SyslogFormat, SyslogMessage } from './types';

/**
 * A message with every field present (undefined until set), so all parsed messages share one
 * object shape and the code that reads them stays monomorphic.
 */
export function newSyslogMessage(format: SyslogFormat): SyslogMessage {
  return {
    format,
    facility: undefined,
    severity: undefined,
    timestamp: undefined,
    timestampAssumedZone: undefined,
    clockUnsynchronized: undefined,
    hostname: undefined,
    appName: undefined,
    procId: undefined,
    msgId: undefined,
    version: undefined,
    structuredData: undefined,
    message: '',
    ciscoTag: undefined,
    sequence: undefined,
  };
}

/** Length of the line without trailing LF / CR / NUL (rsyslog appends `\n` even inside octet-counted frames). */
export function trimmedEnd(line: string): number {
  let end = line.length;
  while (end > 0) {
    const c = line.charCodeAt(end - 1);
    if (c !== 10 && c !== 13 && c !== 0) break;
    end--;
  }
  return end;
}

export function skipSpaces(line: string, pos: number, end: number): number {
  while (pos < end && line.charCodeAt(pos) === 32) pos++;
  return pos;
}

/** Index of the next space at or after `pos`, or `end`. */
export function tokenEnd(line: string, pos: number, end: number): number {
  const sp = line.indexOf(' ', pos);
  return sp < 0 || sp > end ? end : sp;
}

/**
 * Sets a key from untrusted input as an own property: a plain assignment of `__proto__` would
 * replace the record's prototype instead of storing the value.
 */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    record[key] = value;
  }
}
