/**
 * Interface state changes between two polls of one device, including those a poll cannot see in
 * ifOperStatus alone. IF-MIB ifLastChange (RFC 2863) is the sysUpTime at which the interface
 * entered its current operational state: when the state is the same at both polls but
 * ifLastChange moved to a time after the previous poll, the interface left that state and came
 * back — at least two changes in between. When the state differs, at least one. These lower
 * bounds are what the flapping rule sums (`snmp.interface.changes`).
 */
import type { DeviceSample, InterfaceSample } from './types';

export interface InterfaceStatusChange {
  sample: InterfaceSample;
  /** ifOperStatus at the previous poll and now (equal for a change seen only through ifLastChange). */
  from: number;
  to: number;
  /** State changes since the previous poll, at least: 1 when the status differs, 2 when it went and came back. */
  changes: number;
}

const TWO_POW_32 = 2 ** 32;
/**
 * sysUpTime is read before the interface tables: a change between the two requests has an
 * ifLastChange a little past the poll's sysUpTime. 30 s covers a slow walk.
 */
const WALK_SLACK_TICKS = 3000;

/** ticks - base in TimeTicks arithmetic (both wrap at 2^32 hundredths, after 497 days). */
function ticksAfter(base: number, ticks: number): number {
  return (ticks - base + TWO_POW_32) % TWO_POW_32;
}

/**
 * Whether ifLastChange moved to a time after the previous poll and not past this one. An agent
 * that rewrites ifLastChange to an earlier or far-off time (some reset it on counter reloads)
 * gives no change.
 */
export function changedBetweenPolls(prevUptime: number, currUptime: number, prevLastChange: number, currLastChange: number): boolean {
  if (currLastChange === prevLastChange) return false;
  const sincePrevPoll = ticksAfter(prevUptime, currLastChange);
  return sincePrevPoll > 0 && sincePrevPoll <= ticksAfter(prevUptime, currUptime) + WALK_SLACK_TICKS;
}

/**
 * Interfaces present in both samples whose ifOperStatus differs, or — same status, same agent run
 * (no restart between the samples) — whose ifLastChange says they changed and changed back.
 */
export function interfaceStatusChanges(prev: DeviceSample, curr: DeviceSample, agentRestarted: boolean): InterfaceStatusChange[] {
  const changes: InterfaceStatusChange[] = [];
  const pu = prev.system.uptimeTicks;
  const cu = curr.system.uptimeTicks;
  const sameRun = !agentRestarted && pu !== undefined && cu !== undefined;
  for (const [index, sample] of curr.interfaces) {
    const before = prev.interfaces.get(index);
    const from = before?.operStatus;
    const to = sample.operStatus;
    if (from === undefined || to === undefined) continue;
    if (from !== to) {
      changes.push({ sample, from, to, changes: 1 });
      continue;
    }
    const pl = before?.lastChangeTicks;
    const cl = sample.lastChangeTicks;
    if (sameRun && pl !== undefined && cl !== undefined && changedBetweenPolls(pu, cu, pl, cl)) changes.push({ sample, from, to, changes: 2 });
  }
  return changes;
}
