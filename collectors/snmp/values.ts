/**
 * SNMP values as net-snmp decodes them, turned into plain JSON values: Counter64 arrives as a
 * big-endian Buffer, OCTET STRING as a Buffer that is text on most agents and binary for MAC
 * addresses and other PhysAddress/opaque columns.
 */

/** ASN.1 / SMI type tags as net-snmp reports them in `varbind.type`. */
export const SnmpType = {
  Boolean: 1,
  Integer: 2,
  BitString: 3,
  OctetString: 4,
  Null: 5,
  OID: 6,
  IpAddress: 64,
  Counter32: 65,
  Gauge32: 66,
  TimeTicks: 67,
  Opaque: 68,
  Counter64: 70,
  NoSuchObject: 128,
  NoSuchInstance: 129,
  EndOfMibView: 130,
} as const;

const TWO_POW_32 = 4294967296;

/**
 * An unsigned big-endian integer of up to 8 bytes (Counter64) as a number. Above 2^53 the value is
 * rounded to the nearest double (ulp 4096 near 2^64): the rates derived from it stay exact to well
 * under a millionth.
 */
export function unsignedBufferToNumber(buf: Buffer): number {
  let hi = 0;
  let lo = 0;
  const start = buf.length > 8 ? buf.length - 8 : 0;
  for (let i = start; i < buf.length; i++) {
    // Shift the 64-bit pair left by one byte.
    hi = (hi * 256 + Math.floor(lo / 16777216)) % TWO_POW_32;
    lo = (lo % 16777216) * 256 + buf[i];
  }
  return hi * TWO_POW_32 + lo;
}

/** A counter or gauge value in whatever form net-snmp gives it, as a number (undefined if absent). */
export function numericValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (Buffer.isBuffer(value)) return value.length <= 8 ? unsignedBufferToNumber(value) : undefined;
  return undefined;
}

/** True when every byte is printable UTF-8 text (tabs and line breaks allowed, a trailing NUL tolerated). */
function isPrintableText(buf: Buffer, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const c = buf[i];
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
    if (c === 0x7f) return false;
  }
  const text = buf.toString('utf8', 0, end);
  return !text.includes('\ufffd');
}

const HEX = '0123456789abcdef';

/** Bytes as lower-case hex pairs joined by ':' (the PhysAddress display convention). */
export function colonHex(buf: Buffer): string {
  let out = '';
  for (let i = 0; i < buf.length; i++) {
    if (i > 0) out += ':';
    out += HEX[buf[i] >> 4] + HEX[buf[i] & 15];
  }
  return out;
}

/** OCTET STRING as text when it is text (DisplayString, SnmpAdminString), else colon hex. */
export function octetStringValue(buf: Buffer): string {
  let end = buf.length;
  while (end > 0 && buf[end - 1] === 0) end--; // some agents NUL-terminate DisplayStrings
  if (end === 0) return buf.length === 0 ? '' : colonHex(buf);
  return isPrintableText(buf, end) ? buf.toString('utf8', 0, end) : colonHex(buf);
}

/** True for the three "no value here" exceptions of SNMPv2 responses. */
export function isExceptionType(type: number | undefined): boolean {
  return type === SnmpType.NoSuchObject || type === SnmpType.NoSuchInstance || type === SnmpType.EndOfMibView;
}

export type PlainValue = string | number | boolean | null;

/** A varbind as net-snmp decodes it (only type and value matter here). */
export interface RawVarbind {
  type?: number;
  value?: unknown;
}

/** A varbind's value as a JSON-friendly value, before any MIB knowledge (enum labels, OID names). */
export function plainValue(vb: RawVarbind): PlainValue {
  const v = vb.value;
  switch (vb.type) {
    case SnmpType.Counter64: {
      if (!Buffer.isBuffer(v)) return numericValue(v) ?? null;
      const n = unsignedBufferToNumber(v);
      // Exact decimal text beyond 2^53, so that an identifier-like Counter64 is not silently rounded.
      return Number.isSafeInteger(n) ? n : BigInt('0x' + (v.length > 0 ? v.toString('hex') : '0')).toString();
    }
    case SnmpType.OctetString:
      return Buffer.isBuffer(v) ? octetStringValue(v) : typeof v === 'string' ? v : null;
    case SnmpType.Opaque:
    case SnmpType.BitString:
      return Buffer.isBuffer(v) ? colonHex(v) : typeof v === 'string' ? v : null;
    case SnmpType.Null:
    case SnmpType.NoSuchObject:
    case SnmpType.NoSuchInstance:
    case SnmpType.EndOfMibView:
      return null;
    default:
      if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
      if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
      if (Buffer.isBuffer(v)) return octetStringValue(v);
      return null;
  }
}
