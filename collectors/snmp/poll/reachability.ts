/** Device up/down from poll outcomes, and interface oper-status changes between two samples: pure state. */
import type { InterfaceSample } from './types';

export type DeviceStatusName = 'unknown' | 'up' | 'down';

export interface ReachabilityChange {
  from: DeviceStatusName;
  to: 'up' | 'down';
  /** Consecutive polls missed when the device was declared down. */
  missed: number;
}

/** N consecutive missed polls make a device down; one answered poll makes it up. */
export class Reachability {
  status: DeviceStatusName = 'unknown';
  missed = 0;

  constructor(private readonly downAfterMisses: number) {}

  answered(): ReachabilityChange | undefined {
    const missed = this.missed;
    this.missed = 0;
    if (this.status === 'up') return undefined;
    const from = this.status;
    this.status = 'up';
    return { from, to: 'up', missed };
  }

  missedPoll(): ReachabilityChange | undefined {
    this.missed++;
    if (this.status === 'down' || this.missed < this.downAfterMisses) return undefined;
    const from = this.status;
    this.status = 'down';
    return { from, to: 'down', missed: this.missed };
  }
}

export interface InterfaceStatusChange {
  sample: InterfaceSample;
  from: number;
  to: number;
}

/** Interfaces present in both samples whose ifOperStatus differs. */
export function operStatusChanges(prev: ReadonlyMap<number, InterfaceSample>, curr: ReadonlyMap<number, InterfaceSample>): InterfaceStatusChange[] {
  const changes: InterfaceStatusChange[] = [];
  for (const [index, sample] of curr) {
    const before = prev.get(index)?.operStatus;
    if (before !== undefined && sample.operStatus !== undefined && before !== sample.operStatus) changes.push({ sample, from: before, to: sample.operStatus });
  }
  return changes;
}
