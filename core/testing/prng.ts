/**
 * A seeded PRNG (mulberry32) for fuzz tests and benches: a failure or a bench stream reproduces from
 * its seed. (A short LCG's outputs repeat in their high bits, which hashes and hex strings show.)
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
