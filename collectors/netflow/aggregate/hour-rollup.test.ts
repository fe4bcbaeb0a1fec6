import { FlowHourRollup, HOUR_MS } from './hour-rollup';
import { FlowAggregateRow, MINUTE_MS } from './minute-aggregator';

const H = Date.parse('2026-11-27T08:00:00.000Z');

function row(minute: number, src: string, bytes: number, org = 'so-yte'): FlowAggregateRow {
  const r = new FlowAggregateRow(minute, '192.0.2.1', org, src, '203.0.113.1', 0, 443, 6, 1, 2);
  r.bytes = bytes;
  r.packets = 1;
  r.flows = 1;
  return r;
}

test('minutes of an hour fold by key; beyond maxKeysPerHour into "other" with exact totals; complete only when started before the hour', () => {
  const rollup = new FlowHourRollup(2, H - 1);
  for (let m = 0; m < 60; m++) expect(rollup.addMinute(H + m * MINUTE_MS, [row(H + m * MINUTE_MS, '10.1.0.1', 10), row(H + m * MINUTE_MS, '10.1.0.2', 20)])).toBe('merged');
  rollup.addMinute(H + 5 * MINUTE_MS, [row(H + 5 * MINUTE_MS, '10.1.0.3', 7), row(H + 5 * MINUTE_MS, '', 5)]);
  expect(rollup.closeDue(H + HOUR_MS + 59_999, 60_000)).toEqual([]);
  const [hour] = rollup.closeDue(H + HOUR_MS + 60_000, 60_000);
  expect(hour.complete).toBe(true);
  expect(hour.rows.map((r) => [r.minute, r.src, r.bytes, r.flows])).toEqual([
    [H, '10.1.0.1', 600, 60],
    [H, '10.1.0.2', 1200, 60],
    [H, '', 12, 2],
  ]);
  expect(rollup.overflowRows).toBe(1);
  // Late minutes for the closed hour are the caller's to write; a later start makes an hour partial.
  expect(rollup.addMinute(H + 7 * MINUTE_MS, [row(H + 7 * MINUTE_MS, '10.1.0.1', 1)])).toBe('late_for_done_hour');
  const late = new FlowHourRollup(10, H + 1);
  late.addMinute(H + MINUTE_MS, [row(H + MINUTE_MS, '10.1.0.1', 1)]);
  expect(late.closeDue(H + 2 * HOUR_MS, 0).map((h) => h.complete)).toEqual([false]);
  expect(late.addMinute(H + 2 * MINUTE_MS, [row(H, '10.1.0.1', 1)])).toBe('late_for_partial_hour');
  // At stop, open hours are partial.
  const stopping = new FlowHourRollup(10, H - 1);
  stopping.addMinute(H, [row(H, '10.1.0.1', 1)]);
  expect(stopping.closeAll().map((h) => h.complete)).toEqual([false]);
});
