import { deviceTimeMillis, parseClockTime, parseIsoDate, parseNumericOffset } from './device-time';

describe('device wall-clock times', () => {
  it('reads dates and rejects impossible ones', () => {
    expect(parseIsoDate('2024-03-04')).toBe(Date.UTC(2024, 2, 4));
    expect(parseIsoDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseIsoDate('2023-02-29')).toBeUndefined();
    expect(parseIsoDate('1900-02-29')).toBeUndefined();
    expect(parseIsoDate('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
    for (const bad of ['2024-13-01', '2024-00-10', '2024-04-31', '2024-3-4', '2024/03/04', '2024-03-0x', '', '0000-01-01']) {
      expect(parseIsoDate(bad)).toBeUndefined();
    }
  });

  it('reads clock times and rejects impossible ones', () => {
    expect(parseClockTime('00:00:00')).toBe(0);
    expect(parseClockTime('23:59:59')).toBe(86_399_000);
    for (const bad of ['24:00:00', '12:60:00', '12:00:60', '1:02:03', '12-00-00', '12:00:0a', '']) {
      expect(parseClockTime(bad)).toBeUndefined();
    }
  });

  it('reads numeric offsets', () => {
    expect(parseNumericOffset('+0700')).toBe(7 * 3_600_000);
    expect(parseNumericOffset('-0500')).toBe(-5 * 3_600_000);
    expect(parseNumericOffset('+0545')).toBe((5 * 60 + 45) * 60_000);
    expect(parseNumericOffset('+05:30')).toBe((5 * 60 + 30) * 60_000);
    for (const bad of ['0700', '+7', '+1600', '+0760', 'UTC', '']) expect(parseNumericOffset(bad)).toBeUndefined();
  });

  it('uses the numeric offset, else the IANA zone across a DST change, else UTC', () => {
    expect(deviceTimeMillis('2024-03-04', '17:15:32', '+0700', 'America/New_York')).toBe(Date.UTC(2024, 2, 4, 10, 15, 32));
    // An unreadable tz falls back to the zone.
    expect(deviceTimeMillis('2024-03-04', '17:15:32', 'ICT', 'Asia/Ho_Chi_Minh')).toBe(Date.UTC(2024, 2, 4, 10, 15, 32));
    expect(deviceTimeMillis('2024-03-09', '12:00:00', undefined, 'America/New_York')).toBe(Date.UTC(2024, 2, 9, 17));
    expect(deviceTimeMillis('2024-03-11', '12:00:00', undefined, 'America/New_York')).toBe(Date.UTC(2024, 2, 11, 16));
    expect(deviceTimeMillis('2024-03-04', '17:15:32', undefined, undefined)).toBe(Date.UTC(2024, 2, 4, 17, 15, 32));
  });

  it('gives undefined for a missing or malformed part', () => {
    expect(deviceTimeMillis(undefined, '10:00:00', undefined, 'UTC')).toBeUndefined();
    expect(deviceTimeMillis('2024-03-04', undefined, undefined, 'UTC')).toBeUndefined();
    expect(deviceTimeMillis('2024-03-04', '10:00', '+0700', 'UTC')).toBeUndefined();
    expect(deviceTimeMillis('yesterday', '10:00:00', '+0700', 'UTC')).toBeUndefined();
  });
});
