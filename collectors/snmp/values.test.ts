import { checkBerEnvelope } from './traps/ber-envelope';
import { colonHex, numericValue, octetStringValue, plainValue, SnmpType, unsignedBufferToNumber } from './values';

describe('Counter64 buffers', () => {
  it('decodes big-endian unsigned integers of 1 to 8 bytes exactly up to 2^53', () => {
    // The Counter64 net-snmp decoded from `snmptrap ... C 12345678901234`.
    expect(unsignedBufferToNumber(Buffer.from([11, 58, 115, 206, 47, 242]))).toBe(12345678901234);
    expect(unsignedBufferToNumber(Buffer.from([0]))).toBe(0);
    expect(unsignedBufferToNumber(Buffer.from([])).valueOf()).toBe(0);
    expect(unsignedBufferToNumber(Buffer.from('001fffffffffffff', 'hex'))).toBe(Number.MAX_SAFE_INTEGER);
    expect(unsignedBufferToNumber(Buffer.from('0100000000', 'hex'))).toBe(4294967296);
    for (const hex of ['7fffffffffffffff', 'ffffffffffffffff', '8000000000000001', '00a1b2c3d4e5f607']) {
      expect(unsignedBufferToNumber(Buffer.from(hex, 'hex'))).toBe(Number(BigInt('0x' + hex)));
    }
    // BER may prefix a 0x00 to keep the value positive: 9 bytes, the first one zero.
    expect(unsignedBufferToNumber(Buffer.from('00ffffffffffffffff', 'hex'))).toBe(Number(2n ** 64n - 1n));
  });

  it('numericValue accepts numbers, bigints and buffers', () => {
    expect(numericValue(42)).toBe(42);
    expect(numericValue(7n)).toBe(7);
    expect(numericValue(Buffer.from([1, 0]))).toBe(256);
    expect(numericValue('12')).toBeUndefined();
    expect(numericValue(NaN)).toBeUndefined();
  });
});

describe('OCTET STRING rendering', () => {
  it('keeps text (UTF-8, NUL-terminated) and shows binary as colon hex', () => {
    expect(octetStringValue(Buffer.from('GigabitEthernet0/1'))).toBe('GigabitEthernet0/1');
    expect(octetStringValue(Buffer.from('Cổng mạng tầng 3\0', 'utf8'))).toBe('Cổng mạng tầng 3');
    expect(octetStringValue(Buffer.from('line1\r\nline2\tend'))).toBe('line1\r\nline2\tend');
    expect(octetStringValue(Buffer.from([0x00, 0x50, 0x56, 0xab, 0x12, 0x9f]))).toBe('00:50:56:ab:12:9f');
    expect(octetStringValue(Buffer.from([0xc3, 0x28]))).toBe('c3:28'); // invalid UTF-8
    expect(octetStringValue(Buffer.alloc(0))).toBe('');
    expect(octetStringValue(Buffer.from([0, 0]))).toBe('00:00');
    expect(colonHex(Buffer.from([1, 0xab]))).toBe('01:ab');
  });

  it('plainValue by SMI type', () => {
    expect(plainValue({ type: SnmpType.Counter64, value: Buffer.from('0000000100000000', 'hex') })).toBe(4294967296);
    expect(plainValue({ type: SnmpType.Counter64, value: Buffer.from('ffffffffffffffff', 'hex') })).toBe('18446744073709551615');
    expect(plainValue({ type: SnmpType.IpAddress, value: '192.0.2.1' })).toBe('192.0.2.1');
    expect(plainValue({ type: SnmpType.Opaque, value: Buffer.from([0x9f, 0x78, 4]) })).toBe('9f:78:04');
    expect(plainValue({ type: SnmpType.NoSuchInstance, value: null })).toBeNull();
    expect(plainValue({ type: SnmpType.Gauge32, value: 4294967295 })).toBe(4294967295);
  });
});

describe('BER envelope check', () => {
  it('accepts a datagram holding exactly one SEQUENCE and names what is wrong otherwise', () => {
    expect(checkBerEnvelope(Buffer.from([0x30, 0x03, 2, 1, 0]))).toBeUndefined();
    const long = Buffer.concat([Buffer.from([0x30, 0x81, 0x80]), Buffer.alloc(0x80)]);
    expect(checkBerEnvelope(long)).toBeUndefined();
    expect(checkBerEnvelope(long.subarray(0, 100))).toBe('BER message of 131 bytes in a datagram of 100');
    expect(checkBerEnvelope(Buffer.from('<34>hello'))).toBe('starts with 0x3c, not a BER SEQUENCE');
    expect(checkBerEnvelope(Buffer.from([0x30, 0x85, 1, 1, 1, 1, 1]))).toBe('BER length of 5 bytes is not allowed');
    expect(checkBerEnvelope(Buffer.from([0x30]))).toBe('1 bytes is no SNMP message');
  });
});
