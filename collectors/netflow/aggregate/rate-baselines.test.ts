import { baselineRatio, baselineZscore, RateBaselines } from './rate-baselines';

const opts = { halfLifeMinutes: 60, warmupMinutes: 30, maxKeys: 1000 };

describe('RateBaselines', () => {
  it('applies missed minutes as zeros in closed form, equal to observing each zero', () => {
    const lazy = new RateBaselines(opts);
    const eager = new RateBaselines(opts);
    const values = [500, 700, 650, 900, 400];
    values.forEach((v, i) => {
      lazy.observe('k', i, v);
      eager.observe('k', i, v);
    });
    // 37 quiet minutes: eager sees each zero, lazy only the next value.
    for (let m = 5; m < 42; m++) eager.observe('k', m, 0);
    const a = lazy.observe('k', 42, 800);
    const b = eager.observe('k', 42, 800);
    expect(a.mean).toBeCloseTo(b.mean, 6);
    expect(a.std).toBeCloseTo(b.std, 6);
    expect(lazy.get('k')?.variance).toBeCloseTo(eager.get('k')?.variance ?? -1, 6);
  });

  it('compares a minute with the baseline learned before it, and is cold until the warm-up has passed', () => {
    const b = new RateBaselines(opts);
    const first = b.observe('k', 0, 1000);
    expect(first).toEqual({ mean: 0, std: 0, warm: false });
    for (let m = 1; m < 30; m++) expect(b.observe('k', m, 1000 + (m % 3) * 10).warm).toBe(false);
    const spike = b.observe('k', 30, 50_000);
    expect(spike.warm).toBe(true);
    expect(spike.mean).toBeGreaterThan(990);
    expect(spike.mean).toBeLessThan(1020);
    expect(baselineRatio(50_000, spike)).toBeGreaterThan(45);
    expect(baselineZscore(50_000, spike)).toBeGreaterThan(100);
    // The spike is learned, but one minute weighs little with an hour's half-life.
    const after = b.observe('k', 31, 1000);
    expect(after.mean).toBeGreaterThan(1500);
    expect(after.mean).toBeLessThan(2000);
  });

  it('keeps a steady heavy sender near ratio 1', () => {
    const b = new RateBaselines(opts);
    for (let m = 0; m < 120; m++) b.observe('k', m, 200_000_000 + (m % 5) * 10_000_000);
    const c = b.observe('k', 120, 230_000_000);
    expect(c.warm).toBe(true);
    expect(baselineRatio(230_000_000, c)).toBeLessThan(1.3);
  });

  it('forgets the least recently seen key beyond maxKeys, and a restored table keeps the order', () => {
    const b = new RateBaselines({ ...opts, maxKeys: 3 });
    b.observe('a', 0, 1);
    b.observe('b', 0, 1);
    b.observe('c', 0, 1);
    b.observe('a', 1, 1);
    b.observe('d', 1, 1);
    expect(b.get('b')).toBeUndefined();
    expect([...b.entriesInOrder()].map(([k]) => k)).toEqual(['c', 'a', 'd']);
    const restored = new RateBaselines({ ...opts, maxKeys: 2 });
    for (const [k, s] of b.entriesInOrder()) restored.restore(k, s);
    expect([...restored.entriesInOrder()].map(([k]) => k)).toEqual(['a', 'd']);
  });
});
