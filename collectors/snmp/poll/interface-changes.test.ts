/**
 * Interface changes between two constructed polls: ifOperStatus differences, and flaps seen only
 * through ifLastChange (same status at both polls), with the guards against agent restarts,
 * sysUpTime wrap and agents that move ifLastChange backwards.
 */
import { changedBetweenPolls, interfaceStatusChanges } from './interface-changes';
import type { DeviceSample, InterfaceSample } from './types';

const UP = 1;
const DOWN = 2;

function iface(index: number, operStatus: number | undefined, lastChangeTicks?: number): InterfaceSample {
  const s: InterfaceSample = { index, name: `Gi1/0/${index}`, adminStatus: UP, counters: {} };
  if (operStatus !== undefined) s.operStatus = operStatus;
  if (lastChangeTicks !== undefined) s.lastChangeTicks = lastChangeTicks;
  return s;
}

function poll(uptimeTicks: number | undefined, interfaces: InterfaceSample[]): DeviceSample {
  return { at: 0, system: uptimeTicks === undefined ? {} : { uptimeTicks }, interfaces: new Map(interfaces.map((i) => [i.index, i])), processorLoads: [], storage: [], errors: [] };
}

// A switch up 3 days (25,920,000 ticks), polled a minute (6,000 ticks) apart.
const T1 = 25_920_000;
const T2 = T1 + 6_000;

describe('interfaceStatusChanges', () => {
  it('reports a status difference as one change, whatever ifLastChange says', () => {
    const prev = poll(T1, [iface(1, UP, 100), iface(2, DOWN, 100), iface(3, UP, 100)]);
    const curr = poll(T2, [iface(1, DOWN, T1 + 2_000), iface(2, DOWN, 100), iface(4, UP, 50)]);
    const changes = interfaceStatusChanges(prev, curr, false);
    expect(changes).toEqual([{ sample: curr.interfaces.get(1), from: UP, to: DOWN, changes: 1 }]);
  });

  it('reports the same status with ifLastChange inside the interval as at least two changes', () => {
    // Gi1/0/7 went down and came back up 20 s before the second poll: both polls read "up".
    const prev = poll(T1, [iface(7, UP, 1_000), iface(8, UP, 1_000)]);
    const curr = poll(T2, [iface(7, UP, T2 - 2_000), iface(8, UP, 1_000)]);
    expect(interfaceStatusChanges(prev, curr, false)).toEqual([{ sample: curr.interfaces.get(7), from: UP, to: UP, changes: 2 }]);
  });

  it('sees a down interface that came up and went down again between polls', () => {
    const prev = poll(T1, [iface(9, DOWN, T1 - 50_000)]);
    const curr = poll(T2, [iface(9, DOWN, T1 + 10)]);
    expect(interfaceStatusChanges(prev, curr, false).map((c) => [c.from, c.to, c.changes])).toEqual([[DOWN, DOWN, 2]]);
  });

  it('accepts an ifLastChange a little past the poll\'s sysUpTime (a change during the table walk)', () => {
    const prev = poll(T1, [iface(1, UP, 500)]);
    const curr = poll(T2, [iface(1, UP, T2 + 150)]);
    expect(interfaceStatusChanges(prev, curr, false)).toHaveLength(1);
  });

  it('ignores ifLastChange after an agent restart, when sysUpTime or ifLastChange is missing, and on the first sight of an interface', () => {
    const prev = poll(T1, [iface(1, UP, 1_000), iface(2, UP), iface(3, UP, 1_000)]);
    // Restarted agent: every ifLastChange is relative to the new start.
    expect(interfaceStatusChanges(prev, poll(3_000, [iface(1, UP, 1_200)]), true)).toEqual([]);
    expect(interfaceStatusChanges(poll(undefined, [iface(1, UP, 1_000)]), poll(T2, [iface(1, UP, T2 - 100)]), false)).toEqual([]);
    expect(interfaceStatusChanges(prev, poll(T2, [iface(2, UP, T2 - 100), iface(3, UP), iface(5, UP, T2 - 100)]), false)).toEqual([]);
    // No operStatus on either side: nothing to compare.
    expect(interfaceStatusChanges(poll(T1, [iface(1, undefined, 1_000)]), poll(T2, [iface(1, UP, T2 - 100)]), false)).toEqual([]);
  });

  it('ignores an ifLastChange that moved backwards, to zero, or before the previous poll', () => {
    const prev = poll(T1, [iface(1, UP, T1 - 100), iface(2, UP, 5_000), iface(3, UP, 5_000)]);
    const curr = poll(T2, [iface(1, UP, T1 - 300), iface(2, UP, 0), iface(3, UP, T1 - 1)]);
    expect(interfaceStatusChanges(prev, curr, false)).toEqual([]);
  });
});

describe('changedBetweenPolls', () => {
  it('works across the 497-day sysUpTime wrap', () => {
    const before = 2 ** 32 - 3_000;
    const after = 3_000; // 60 s later, past the wrap
    expect(changedBetweenPolls(before, after, 100, 1_000)).toBe(true);
    expect(changedBetweenPolls(before, after, 100, 2 ** 32 - 1_000)).toBe(true);
    expect(changedBetweenPolls(before, after, 100, before - 10)).toBe(false);
    // Far past this poll (beyond the walk slack): not a change between these polls.
    expect(changedBetweenPolls(before, after, 100, after + 10_000)).toBe(false);
  });
});
