import { IsoTimeFormatter } from './iso-time';

test('the same text as Date#toISOString, across seconds, slots, years and the epoch', () => {
  const f = new IsoTimeFormatter();
  const times = [0, 1, 999, 1000, 1_700_000_000_000, 1_700_000_000_999, 1_794_489_280_590, Date.UTC(2000, 1, 29, 23, 59, 59, 999), 253_402_300_799_999];
  // Two times 256 s apart share a cache slot: the second must not reuse the first's prefix.
  times.push(1_700_000_000_123 + 256_000, 1_700_000_000_123);
  for (let i = 0; i < 2000; i++) times.push(1_700_000_000_000 + Math.floor(Math.random() * 10_000_000));
  for (const ms of times) expect(f.format(ms)).toBe(new Date(ms).toISOString());
});
