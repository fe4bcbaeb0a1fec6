import { HourlyBaselines, hourOfLocalMinute, missedMinutesOfHour } from './hourly-baselines';

const DAY = 1440;
/** Local minute of day `d`, hh:mm. */
const at = (d: number, hh: number, mm: number): number => 20_000 * DAY + d * DAY + hh * 60 + mm;
const opts = { halfLifeDays: 7, warmupDays: 3, maxKeys: 100 };
const MB = 1_000_000;

describe('missedMinutesOfHour', () => {
  it('counts the minutes of the same hour in between, across days', () => {
    expect(missedMinutesOfHour(at(0, 2, 5), at(0, 2, 9))).toBe(3);
    // 02:55 day 0 -> 02:03 day 1: 02:56-02:59 and 02:00-02:02.
    expect(missedMinutesOfHour(at(0, 2, 55), at(1, 2, 3))).toBe(4 + 3);
    // Three days later: two whole 02:00 hours in between.
    expect(missedMinutesOfHour(at(0, 2, 59), at(3, 2, 0))).toBe(120);
    expect(hourOfLocalMinute(at(4, 23, 59))).toBe(23);
  });
});

describe('HourlyBaselines', () => {
  it('applies unseen minutes of an hour as zeros, equal to observing every one of them', () => {
    const lazy = new HourlyBaselines(opts);
    const eager = new HourlyBaselines(opts);
    // Five nights: uploads 02:00-02:09, every minute of 02:xx observed by `eager` (zeros included).
    for (let d = 0; d < 5; d++) {
      for (let mm = 0; mm < 60; mm++) {
        const v = mm < 10 ? 300 * MB + mm * MB : 0;
        if (v > 0) lazy.observe('so-yte|10.1.0.20', at(d, 2, mm), v);
        eager.observe('so-yte|10.1.0.20', at(d, 2, mm), v);
      }
    }
    const a = lazy.observe('so-yte|10.1.0.20', at(5, 2, 0), 310 * MB);
    const b = eager.observe('so-yte|10.1.0.20', at(5, 2, 0), 310 * MB);
    expect(a.mean).toBeCloseTo(b.mean, 3);
    expect(a.std).toBeCloseTo(b.std, 3);
  });

  it('learns a nightly backup as usual at its hour and far above at another hour (constructed week)', () => {
    const h = new HourlyBaselines(opts);
    const key = 'so-yte|10.1.0.20';
    // A quiet daytime trickle and a 10-minute 300 MB/min backup at 02:00 every night for a week.
    for (let d = 0; d < 7; d++) {
      for (let mm = 0; mm < 10; mm++) h.observe(key, at(d, 2, mm), 300 * MB);
      for (let mm = 0; mm < 60; mm += 15) h.observe(key, at(d, 14, mm), 2 * MB);
    }
    const usual = h.observe(key, at(7, 2, 3), 300 * MB);
    expect(usual.warm).toBe(true);
    // 10 of 60 minutes at 300 MB: about 50 MB per minute of the hour, a ratio near 6.
    expect(usual.mean).toBeGreaterThan(35 * MB);
    expect(usual.mean).toBeLessThan(60 * MB);
    expect(300 / (usual.mean / MB)).toBeLessThan(10);
    const unusual = h.observe(key, at(7, 14, 20), 300 * MB);
    expect(unusual.warm).toBe(true);
    expect(unusual.mean).toBeLessThan(1 * MB);
    expect(300 * MB / unusual.mean).toBeGreaterThan(100);
  });

  it('gives an hour never used a mean of 0 once the host has been watched for the warm-up', () => {
    const h = new HourlyBaselines(opts);
    const key = 'so-gtvt|10.0.0.31';
    for (let d = 0; d < 4; d++) for (let hh = 8; hh < 17; hh++) h.observe(key, at(d, hh, 10), 20 * MB);
    const night = h.observe(key, at(4, 3, 0), 150 * MB);
    expect(night.warm).toBe(true);
    expect(night.mean).toBe(0);
    // Before the warm-up a profile is cold, whatever it says.
    const fresh = new HourlyBaselines(opts);
    fresh.observe(key, at(0, 9, 0), 20 * MB);
    expect(fresh.observe(key, at(2, 3, 0), 150 * MB).warm).toBe(false);
  });

  it('survives a save and restore unchanged, and forgets the least recently seen key beyond maxKeys', () => {
    const h = new HourlyBaselines({ ...opts, maxKeys: 2 });
    h.observe('a', at(0, 1, 0), 5);
    h.observe('b', at(0, 1, 0), 7);
    h.observe('a', at(0, 1, 1), 9);
    h.observe('c', at(0, 1, 2), 11);
    expect([...h.entriesInOrder()].map(([k]) => k)).toEqual(['a', 'c']);
    const copy = new HourlyBaselines(opts);
    for (const [k, p] of h.entriesInOrder()) expect(copy.restore(k, p.firstMinute, p.buckets.slice())).toBe(true);
    expect(copy.observe('a', at(1, 1, 0), 9)).toEqual(h.observe('a', at(1, 1, 0), 9));
    expect(copy.restore('bad', 0, new Float64Array(5))).toBe(false);
  });
});
