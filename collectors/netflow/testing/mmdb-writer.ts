/**
 * A minimal MaxMind DB (format 2.0) writer for tests: IPv4 tree, 24-bit records, non-overlapping prefixes,
 * values that are maps of strings and unsigned integers. Lets tests build an ASN database (no free one can
 * be shipped) that the real `maxmind` reader opens. Layout per the MaxMind DB spec: search tree, 16 zero
 * bytes, data section, then "\xAB\xCD\xEFMaxMind.com" and the metadata map.
 */

type MmdbValue = string | number | MmdbValue[] | { [key: string]: MmdbValue };

function control(type: number, size: number): Buffer {
  if (size >= 29 + 256) throw new Error(`mmdb writer: size ${size} too large for this test writer`);
  // Sizes 29-284: 29 in the control byte, then one byte of size - 29 (after the extended type byte).
  const sizeBits = size < 29 ? size : 29;
  const tail = size < 29 ? [] : [size - 29];
  // Types above 7 are "extended": type bits 0, then a byte holding type - 7.
  return type <= 7 ? Buffer.from([(type << 5) | sizeBits, ...tail]) : Buffer.from([sizeBits, type - 7, ...tail]);
}

function uintBytes(n: number): Buffer {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from(bytes);
}

function encode(value: MmdbValue): Buffer {
  if (typeof value === 'string') {
    const b = Buffer.from(value, 'utf8');
    return Buffer.concat([control(2, b.length), b]);
  }
  if (typeof value === 'number') {
    const b = uintBytes(value);
    // uint32 (type 6) up to 2^32, else uint64 (type 9)
    return Buffer.concat([control(value < 2 ** 32 ? 6 : 9, b.length), b]);
  }
  if (Array.isArray(value)) return Buffer.concat([control(11, value.length), ...value.map(encode)]);
  const entries = Object.entries(value);
  return Buffer.concat([control(7, entries.length), ...entries.flatMap(([k, v]) => [encode(k), encode(v)])]);
}

interface TrieNode {
  children: Array<TrieNode | { data: number } | null>;
  index: number;
}

function ipv4Bits(address: string): number {
  return address.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

/** `records`: [cidr, value] with IPv4 CIDRs that do not overlap. */
export function buildMmdb(databaseType: string, records: ReadonlyArray<readonly [string, MmdbValue]>): Buffer {
  const root: TrieNode = { children: [null, null], index: 0 };
  const data: Buffer[] = [];
  let dataLength = 0;
  for (const [cidr, value] of records) {
    const [addr, len] = cidr.split('/');
    const prefix = Number(len);
    const bits = ipv4Bits(addr);
    const encoded = encode(value);
    const offset = dataLength;
    data.push(encoded);
    dataLength += encoded.length;
    let node = root;
    for (let depth = 0; depth < prefix; depth++) {
      const bit = Math.floor(bits / 2 ** (31 - depth)) % 2;
      if (depth === prefix - 1) node.children[bit] = { data: offset };
      else {
        let next = node.children[bit];
        if (next === null) {
          next = { children: [null, null], index: 0 };
          node.children[bit] = next;
        }
        if ('data' in next) throw new Error(`mmdb writer: ${cidr} overlaps another prefix`);
        node = next;
      }
    }
  }
  const nodes: TrieNode[] = [];
  const queue: TrieNode[] = [root];
  while (queue.length > 0) {
    const n = queue.shift() as TrieNode;
    n.index = nodes.length;
    nodes.push(n);
    for (const c of n.children) if (c !== null && !('data' in c)) queue.push(c);
  }
  const nodeCount = nodes.length;
  const tree = Buffer.alloc(nodeCount * 6);
  for (const n of nodes) {
    for (let side = 0; side < 2; side++) {
      const c = n.children[side];
      const record = c === null ? nodeCount : 'data' in c ? nodeCount + 16 + c.data : c.index;
      tree.writeUIntBE(record, n.index * 6 + side * 3, 3);
    }
  }
  const metadata = encode({
    node_count: nodeCount,
    record_size: 24,
    ip_version: 4,
    database_type: databaseType,
    languages: ['en'],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: 1_790_000_000,
    description: { en: 'socnoc test database' },
  });
  return Buffer.concat([tree, Buffer.alloc(16), ...data, Buffer.from([0xab, 0xcd, 0xef]), Buffer.from('MaxMind.com'), metadata]);
}
