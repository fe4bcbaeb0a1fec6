/** The shared seeded PRNG (core/testing/prng.ts), and packet mutations for the flow fuzz tests. */
export { prng } from '../../../core/testing/prng';

/** One random corruption of a packet: flipped bytes, an edge value written somewhere, a cut, or a duplicated range. */
export function mutate(p: Buffer, rand: () => number): Buffer {
  const b = Buffer.from(p);
  const at = Math.floor(rand() * b.length);
  switch (Math.floor(rand() * 4)) {
    case 0:
      for (let i = 0; i < 1 + Math.floor(rand() * 4); i++) b[Math.floor(rand() * b.length)] ^= 1 << Math.floor(rand() * 8);
      return b;
    case 1: {
      const edge = [0, 0xff, 0x7f, 0x80][Math.floor(rand() * 4)];
      b.fill(edge, at, Math.min(b.length, at + 1 + Math.floor(rand() * 4)));
      return b;
    }
    case 2:
      return b.subarray(0, at);
    default:
      return Buffer.concat([b.subarray(0, at), b.subarray(Math.max(0, at - 16), at), b.subarray(at)]);
  }
}
