/** Builders for hand-made NetFlow v9 / IPFIX / sFlow packets in tests, byte for byte as the RFCs lay them out. */

export function u8(n: number): Buffer {
  return Buffer.from([n & 0xff]);
}
export function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
export function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}
export function u64(n: number | bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}
export function ip4(text: string): Buffer {
  return Buffer.from(text.split('.').map(Number));
}
/** Full (uncompressed) IPv6 text only: 8 groups. */
export function ip6(text: string): Buffer {
  const b = Buffer.alloc(16);
  text.split(':').forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), i * 2));
  return b;
}
export function mac(text: string): Buffer {
  return Buffer.from(text.split(':').map((h) => parseInt(h, 16)));
}
export function cat(...parts: Buffer[]): Buffer {
  return Buffer.concat(parts);
}

/** A set / flowset: id, length (header included), body, zero padding to a 4-byte boundary. */
export function flowSet(id: number, body: Buffer, pad = true): Buffer {
  const padding = pad ? (4 - (body.length % 4)) % 4 : 0;
  return cat(u16(id), u16(4 + body.length + padding), body, Buffer.alloc(padding));
}

export interface IpfixField {
  id: number;
  length: number;
  enterprise?: number;
}

function ipfixFieldSpecs(fields: IpfixField[]): Buffer {
  return cat(
    ...fields.map((f) =>
      f.enterprise ? cat(u16(0x8000 | f.id), u16(f.length), u32(f.enterprise)) : cat(u16(f.id), u16(f.length)),
    ),
  );
}

export function ipfixTemplateRecord(id: number, fields: IpfixField[]): Buffer {
  return cat(u16(id), u16(fields.length), ipfixFieldSpecs(fields));
}

export function ipfixOptionsTemplateRecord(id: number, scopeCount: number, fields: IpfixField[]): Buffer {
  return cat(u16(id), u16(fields.length), u16(scopeCount), ipfixFieldSpecs(fields));
}

export function ipfixMessage(exportTimeS: number, sequence: number, domainId: number, ...sets: Buffer[]): Buffer {
  const body = cat(...sets);
  return cat(u16(10), u16(16 + body.length), u32(exportTimeS), u32(sequence), u32(domainId), body);
}

/** IPFIX variable-length value: 1-byte length, or 255 + 2-byte length (RFC 7011 s7). */
export function varlen(value: Buffer): Buffer {
  return value.length < 255 ? cat(u8(value.length), value) : cat(u8(255), u16(value.length), value);
}

export function v9TemplateRecord(id: number, fields: Array<[number, number]>): Buffer {
  return cat(u16(id), u16(fields.length), ...fields.map(([t, l]) => cat(u16(t), u16(l))));
}

export function v9OptionsTemplateRecord(id: number, scopes: Array<[number, number]>, fields: Array<[number, number]>): Buffer {
  return cat(
    u16(id),
    u16(scopes.length * 4),
    u16(fields.length * 4),
    ...scopes.map(([t, l]) => cat(u16(t), u16(l))),
    ...fields.map(([t, l]) => cat(u16(t), u16(l))),
  );
}

export function v9Packet(sysUpTimeMs: number, unixSecs: number, sequence: number, sourceId: number, ...flowsets: Buffer[]): Buffer {
  return cat(u16(9), u16(flowsets.length), u32(sysUpTimeMs), u32(unixSecs), u32(sequence), u32(sourceId), ...flowsets);
}

/** sFlow XDR item: format word ((enterprise << 12) | format), length word, body. */
export function sflowItem(format: number, body: Buffer): Buffer {
  return cat(u32(format), u32(body.length), body);
}

export function sflowDatagram(agent: Buffer, subAgentId: number, sequence: number, uptimeMs: number, ...samples: Buffer[]): Buffer {
  return cat(u32(5), u32(agent.length === 4 ? 1 : 2), agent, u32(subAgentId), u32(sequence), u32(uptimeMs), u32(samples.length), ...samples);
}
