import { ipv4String, ipv4Text, ipv6String, macString, readU64, readUnsigned } from './bytes';
import { ip6, u64 } from '../testdata/packets';

describe('ipv6String (RFC 5952 text form)', () => {
  test.each([
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['0000:0000:0000:0000:0000:0000:0000:0000', '::'],
    ['0000:0000:0000:0000:0000:0000:0000:0001', '::1'],
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'], // first of two equal runs
    ['2001:0000:0000:0001:0000:0000:0000:0001', '2001:0:0:1::1'], // the longer run
    ['2001:0db8:0000:0001:0001:0001:0001:0001', '2001:db8:0:1:1:1:1:1'], // one zero group stays
    ['fe80:0000:0000:0000:0000:0000:0000:0000', 'fe80::'],
    ['0000:0000:0000:0000:0000:ffff:c000:0201', '::ffff:192.0.2.1'], // IPv4-mapped keeps dotted form
    ['2001:0db8:0001:0000:0000:0000:0000:0014', '2001:db8:1::14'],
  ])('%s -> %s', (full, text) => {
    expect(ipv6String(ip6(full), 0)).toBe(text);
  });

  test('matches the WHATWG URL canonical form for 2000 random addresses with zero runs', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 0; i < 2000; i++) {
      const b = Buffer.alloc(16);
      for (let g = 0; g < 8; g++) if (rnd() < 0.5) b.writeUInt16BE(Math.floor(rnd() * 65536), g * 2);
      if (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) continue; // mapped: dotted by design
      const full = Array.from({ length: 8 }, (_, g) => b.readUInt16BE(g * 2).toString(16)).join(':');
      const canonical = new URL(`http://[${full}]/`).hostname.slice(1, -1);
      expect(ipv6String(b, 0)).toBe(canonical);
    }
  });
});

test('ipv4String and macString read at an offset', () => {
  const b = Buffer.from([9, 10, 0, 0, 1, 0x02, 0x00, 0x5e, 0xab, 0xcd, 0xef]);
  expect(ipv4String(b, 1)).toBe('10.0.0.1');
  expect(macString(b, 5)).toBe('02:00:5e:ab:cd:ef');
});

describe('integers', () => {
  test('64-bit counters are exact up to 2^53', () => {
    expect(readU64(u64(2n ** 53n - 1n), 0)).toBe(Number.MAX_SAFE_INTEGER);
    expect(readU64(u64(0x1_0000_0001n), 0)).toBe(4294967297);
  });

  test('reduced-size encodings of every width (RFC 7011 s6.2)', () => {
    const b = Buffer.from([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09]);
    expect(readUnsigned(b, 0, 1)).toBe(0x01);
    expect(readUnsigned(b, 0, 2)).toBe(0x0102);
    expect(readUnsigned(b, 0, 3)).toBe(0x010203);
    expect(readUnsigned(b, 0, 4)).toBe(0x01020304);
    expect(readUnsigned(b, 0, 5)).toBe(0x0102030405);
    expect(readUnsigned(b, 0, 6)).toBe(0x010203040506);
    expect(readUnsigned(b, 0, 7)).toBe(0x01020304050607);
    expect(readUnsigned(b, 0, 8)).toBe(Number(0x0102030405060708n));
    expect(readUnsigned(b, 0, 9)).toBe(Number(0x0203040506070809n)); // low 8 bytes of an over-wide field
    expect(readUnsigned(Buffer.from([0xff, 0xff, 0xff, 0xff]), 0, 4)).toBe(4294967295);
  });
});

test('ipv4String hands out the cached text only for the same address, across slot collisions', () => {
  const b = Buffer.alloc(4);
  // 300,000 addresses overflow the 2^18-slot cache: every answer must still be the address's own text.
  for (let i = 0; i < 300_000; i++) {
    const v = (Math.imul(i, 2654435761) >>> 0) ^ (i << 3);
    b.writeUInt32BE(v >>> 0, 0);
    expect(ipv4String(b, 0)).toBe(`${b[0]}.${b[1]}.${b[2]}.${b[3]}`);
  }
  b.writeUInt32BE(0x0a000001, 0);
  const first = ipv4String(b, 0);
  expect(ipv4String(Buffer.from(b), 0)).toBe(first);
});

test('ipv4Text makes the text of an address number (unsigned or signed 32-bit), sharing the cache with ipv4String', () => {
  const b = Buffer.alloc(4);
  for (const v of [0, 1, 0x0a000001, 0x7fffffff, 0x80000000, 0xc0a80101, 0xcb007107, 0xffffffff]) {
    b.writeUInt32BE(v, 0);
    const text = `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
    expect(ipv4Text(v)).toBe(text);
    expect(ipv4Text(v | 0)).toBe(text);
    expect(ipv4String(b, 0)).toBe(text);
  }
  // A colliding address in between: each answer is still its own.
  for (let i = 0; i < 50_000; i++) {
    const v = Math.imul(i, 2654435761) >>> 0;
    b.writeUInt32BE(v, 0);
    expect(ipv4Text(v)).toBe(`${b[0]}.${b[1]}.${b[2]}.${b[3]}`);
  }
});
