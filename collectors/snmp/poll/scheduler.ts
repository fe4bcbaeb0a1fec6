/**
 * Runs each device's poll on its own interval with bounded concurrency. Two lanes: devices that are
 * up (or not yet known) share `live` slots; devices already down are probed in a separate, smaller
 * `down` lane, so a site outage that makes hundreds of devices time out cannot take the slots the
 * live devices need. A poll still running when its next turn comes skips that turn (counted as an
 * overrun) rather than piling up. Polls keep their cadence: a job due at t runs next at t + interval.
 */

export type PollLane = 'live' | 'down';

export interface PollJob {
  id: string;
  intervalMs: number;
  lane(): PollLane;
  run(): Promise<void>;
}

export interface PollSchedulerOptions {
  concurrency: Record<PollLane, number>;
  /** Spread first runs over one interval (by a hash of the id) instead of starting all at once. */
  spreadStart: boolean;
  now?: () => number;
  onOverrun?: (id: string) => void;
  onError?: (id: string, err: unknown) => void;
}

interface Entry {
  job: PollJob;
  nextDue: number;
  running: boolean;
  removed: boolean;
}

/** Stable fraction in [0, 1) from an id (FNV-1a), so restarts keep each device's phase. */
export function phaseOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 4294967296;
}

const MAX_SLEEP_MS = 1000;

export class PollScheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly running: Record<PollLane, number> = { live: 0, down: 0 };
  private readonly inFlight = new Set<Promise<void>>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  overruns = 0;

  constructor(private readonly options: PollSchedulerOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  add(job: PollJob): void {
    this.remove(job.id);
    const offset = this.options.spreadStart ? Math.floor(phaseOf(job.id) * job.intervalMs) : 0;
    this.entries.set(job.id, { job, nextDue: this.now() + offset, running: false, removed: false });
    this.wake();
  }

  remove(id: string): void {
    const e = this.entries.get(id);
    if (e === undefined) return;
    e.removed = true;
    this.entries.delete(id);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Polls running now, per lane. */
  active(): Record<PollLane, number> {
    return { ...this.running };
  }

  start(): void {
    this.started = true;
    this.wake();
  }

  /** Stops scheduling and waits for the polls in flight. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.inFlight]);
  }

  private wake(): void {
    if (!this.started) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.dispatch();
  }

  private dispatch(): void {
    if (!this.started) return;
    const now = this.now();
    const due: Entry[] = [];
    let nextWake = Infinity;
    for (const e of this.entries.values()) {
      if (e.nextDue <= now) due.push(e);
      else if (e.nextDue < nextWake) nextWake = e.nextDue;
    }
    due.sort((a, b) => a.nextDue - b.nextDue);
    for (const e of due) {
      if (e.running) {
        // Still polling from its last turn: skip this one.
        this.overruns++;
        this.options.onOverrun?.(e.job.id);
        this.advance(e, now);
      } else {
        const lane = e.job.lane();
        if (this.running[lane] >= this.options.concurrency[lane]) continue; // waits for a slot; runs when one frees
        this.advance(e, now);
        this.launch(e, lane);
      }
      if (e.nextDue < nextWake) nextWake = e.nextDue;
    }
    if (this.timer !== undefined) clearTimeout(this.timer);
    const sleep = nextWake === Infinity ? MAX_SLEEP_MS : Math.max(1, Math.min(MAX_SLEEP_MS, nextWake - now));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.dispatch();
    }, sleep);
    this.timer.unref();
  }

  private advance(e: Entry, now: number): void {
    e.nextDue += e.job.intervalMs;
    if (e.nextDue <= now) e.nextDue = now + e.job.intervalMs; // far behind: resume the cadence from now
  }

  private launch(e: Entry, lane: PollLane): void {
    e.running = true;
    this.running[lane]++;
    let p: Promise<void>;
    try {
      p = e.job.run();
    } catch (err) {
      p = Promise.reject(err);
    }
    const tracked = p
      .catch((err: unknown) => this.options.onError?.(e.job.id, err))
      .finally(() => {
        e.running = false;
        this.running[lane]--;
        this.inFlight.delete(tracked);
        if (this.started) this.wake();
      });
    this.inFlight.add(tracked);
  }
}
