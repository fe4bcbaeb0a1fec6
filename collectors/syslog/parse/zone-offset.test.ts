import { isValidTimeZone, zoneOffsetCache } from './zone-offset';

const HOUR = 3_600_000;

describe('zoneOffsetCache', () => {
  test('fixed zone: Ho Chi Minh City is UTC+7 all year', () => {
    const zone = zoneOffsetCache('Asia/Ho_Chi_Minh');
    expect(zone.offsetAt(Date.UTC(2026, 0, 15))).toBe(7 * HOUR);
    expect(zone.offsetAt(Date.UTC(2026, 6, 15))).toBe(7 * HOUR);
    expect(zone.localToUtc(Date.UTC(2026, 10, 27, 10))).toBe(Date.UTC(2026, 10, 27, 3));
  });

  test('DST: New York offsets and the skipped and repeated hours', () => {
    const zone = zoneOffsetCache('America/New_York');
    expect(zone.offsetAt(Date.UTC(2026, 0, 15))).toBe(-5 * HOUR);
    expect(zone.offsetAt(Date.UTC(2026, 6, 15))).toBe(-4 * HOUR);
    // 2026-03-08 02:30 does not exist (clocks jump 02:00 → 03:00): read with EST, i.e. 03:30 EDT.
    expect(zone.localToUtc(Date.UTC(2026, 2, 8, 2, 30))).toBe(Date.UTC(2026, 2, 8, 7, 30));
    // 2026-11-01 01:30 happens twice: the first (EDT) is taken.
    expect(zone.localToUtc(Date.UTC(2026, 10, 1, 1, 30))).toBe(Date.UTC(2026, 10, 1, 5, 30));
    expect(zone.localToUtc(Date.UTC(2026, 10, 1, 3, 0))).toBe(Date.UTC(2026, 10, 1, 8, 0));
  });

  test('half-hour zone and half-hour DST (Lord Howe: +10:30 / +11)', () => {
    expect(zoneOffsetCache('Asia/Kolkata').offsetAt(Date.UTC(2026, 5, 1))).toBe(5.5 * HOUR);
    const lordHowe = zoneOffsetCache('Australia/Lord_Howe');
    expect(lordHowe.offsetAt(Date.UTC(2026, 0, 15))).toBe(11 * HOUR);
    expect(lordHowe.offsetAt(Date.UTC(2026, 6, 15))).toBe(10.5 * HOUR);
  });

  test('one cache per zone; Intl is consulted per quarter hour, not per call', () => {
    const spy = jest.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    try {
      const zone = zoneOffsetCache('Europe/Paris');
      expect(zoneOffsetCache('Europe/Paris')).toBe(zone);
      const start = Date.UTC(2026, 4, 1, 12);
      spy.mockClear();
      for (let i = 0; i < 10_000; i++) zone.localToUtc(start + (i % 600) * 1000);
      expect(spy.mock.calls.length).toBeLessThanOrEqual(4);
    } finally {
      spy.mockRestore();
    }
  });

  test('unknown zone: UTC fallback; isValidTimeZone tells config validation', () => {
    expect(zoneOffsetCache('Not/AZone').offsetAt(Date.UTC(2026, 0, 1))).toBe(0);
    expect(isValidTimeZone('Asia/Ho_Chi_Minh')).toBe(true);
    expect(isValidTimeZone('Not/AZone')).toBe(false);
  });
});
