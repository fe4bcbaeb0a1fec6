import { autoInterval, parseDuration, parseTimeParam } from './time-params';

const NOW = Date.parse('2025-03-01T08:00:00.000Z');

describe('parseTimeParam', () => {
  it.each([
    ['2025-03-01T08:00:00Z', '2025-03-01T08:00:00.000Z'],
    ['2025-03-01T08:00:00.123456Z', '2025-03-01T08:00:00.123Z'],
    ['2025-03-01T15:00:00+07:00', '2025-03-01T08:00:00.000Z'],
    ['2025-03-01T15:00:00 07:00', '2025-03-01T08:00:00.000Z'],
    ['2025-03-01T03:30:00-0430', '2025-03-01T08:00:00.000Z'],
    ['2025-03-01T08:00Z', '2025-03-01T08:00:00.000Z'],
    ['2025-03-01', '2025-03-01T00:00:00.000Z'],
    ['2025-03-01T08:00:00', '2025-03-01T08:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['1740816000000', '2025-03-01T08:00:00.000Z'],
    ['now', '2025-03-01T08:00:00.000Z'],
    ['now-15m', '2025-03-01T07:45:00.000Z'],
    ['now-24h', '2025-02-28T08:00:00.000Z'],
    ['now+1d', '2025-03-02T08:00:00.000Z'],
  ])('%s → %s', (text, iso) => {
    expect(new Date(parseTimeParam(text, NOW)!).toISOString()).toBe(iso);
  });

  it.each(['yesterday', '2025-02-30', '2025-13-01', '2025-03-01T25:00:00Z', '2025-03-01T08:00:00Q', '', 'now-5x', '12345', '2025-03-01T08:00:00+25:00'])(
    'rejects %j',
    (text) => {
      expect(parseTimeParam(text, NOW)).toBeUndefined();
    },
  );
});

describe('parseDuration and autoInterval', () => {
  it('parses units and plain milliseconds', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration('0s')).toBeUndefined();
    expect(parseDuration('1 h')).toBeUndefined();
    expect(parseDuration('-5m')).toBeUndefined();
  });

  it('picks round intervals that keep buckets under the limit', () => {
    expect(autoInterval(15 * 60_000)).toBe(10_000);
    expect(autoInterval(24 * 3_600_000)).toBe(1_800_000);
    expect(autoInterval(30 * 86_400_000)).toBe(12 * 3_600_000);
  });
});
