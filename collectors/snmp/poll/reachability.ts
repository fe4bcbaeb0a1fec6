/**
 * Device up/down/unreachable from poll outcomes: pure state. A device that stops answering while the device it is reached through (its
 * parent) is failing too is `unreachable`, not `down`: the parent's outage explains it, and one
 * alert for the parent beats a storm for everything behind it. Interface changes: interface-changes.ts.
 */
export type DeviceStatusName = 'unknown' | 'up' | 'down' | 'unreachable';

export interface ReachabilityChange {
  from: DeviceStatusName;
  to: 'up' | 'down' | 'unreachable';
  /** Consecutive polls missed when the device was declared down. */
  missed: number;
}

/**
 * N consecutive missed polls make a device down (or unreachable when its parent is failing); one
 * answered poll makes it up. An unreachable device whose parent answers again but which still does
 * not answer becomes down.
 */
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

  /** Whether the device is failing enough to stop polling it in the live lane. */
  get failing(): boolean {
    return this.status === 'down' || this.status === 'unreachable';
  }

  /** Would the next missed poll change the status (so the parent's state matters now)? */
  get atThreshold(): boolean {
    return this.missed + 1 >= this.downAfterMisses;
  }

  missedPoll(parentFailing = false): ReachabilityChange | undefined {
    this.missed++;
    if (this.missed < this.downAfterMisses) return undefined;
    const to = parentFailing ? 'unreachable' : 'down';
    // Already down: a parent failing later does not make the device's own outage its parent's.
    if (this.status === to || (this.status === 'down' && to === 'unreachable')) return undefined;
    const from = this.status;
    this.status = to;
    return { from, to, missed: this.missed };
  }
}
