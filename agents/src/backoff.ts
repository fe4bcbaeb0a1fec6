/** Exponential backoff with full jitter (AWS architecture blog): spreads thousands of agents reconnecting after an outage. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs = 500,
    private readonly maxMs = 60_000,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * The wait before the next try. A server's Retry-After (`floorMs`) is a floor, spread up to twice
   * itself so that thousands of agents told "2 seconds" do not all come back in the same second;
   * repeated refusals still grow the wait exponentially (a long storage outage is not retried every
   * two seconds by the whole fleet).
   */
  next(floorMs = 0): number {
    const cap = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.attempt, 20));
    this.attempt++;
    const jittered = Math.floor(this.random() * cap);
    if (floorMs <= 0) return jittered;
    return Math.max(floorMs + Math.min(jittered, floorMs), jittered);
  }

  reset(): void {
    this.attempt = 0;
  }

  get failures(): number {
    return this.attempt;
  }
}

export function sleep(ms: number, signal?: { stopped: boolean; wake?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    if (signal !== undefined) signal.wake = () => {
      clearTimeout(t);
      resolve();
    };
  });
}
