import { IsoTimeCache } from './iso-time';

describe('IsoTimeCache', () => {
  test('writes what toISOString writes, for interleaved clocks, fractions, negatives and far years', () => {
    const cache = new IsoTimeCache();
    const base = Date.UTC(2026, 10, 27, 10, 15, 1);
    const times: number[] = [];
    // Five senders whose clocks are hours apart, interleaved message by message: more than the slots.
    for (let i = 0; i < 400; i++) times.push(base - (i % 5) * 25_200_000 + Math.floor(i / 5) * 7);
    times.push(0, 5, 999, 1000, -1, -500, -1000, -1001, 1.5, -1.5, 999.999, Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), -62198755200000 - 1, 8.64e15, -8.64e15);
    for (const t of [...times, ...times.reverse()]) expect(cache.format(t)).toBe(new Date(t).toISOString());
  });

  test('formatOr keeps the fallback for what Date cannot represent', () => {
    const cache = new IsoTimeCache();
    for (const t of [0, 8.64e15, -8.64e15, Date.UTC(2024, 2, 4, 10, 15, 32)]) expect(cache.formatOr(t, 'fallback')).toBe(new Date(t).toISOString());
    for (const t of [undefined, Number.NaN, Number.POSITIVE_INFINITY, 8.64e15 + 1, -8.64e15 - 1]) expect(cache.formatOr(t, 'fallback')).toBe('fallback');
  });
});
