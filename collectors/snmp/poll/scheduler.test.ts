import { phaseOf, PollScheduler, type PollJob, type PollLane } from './scheduler';

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

interface Recorded {
  id: string;
  start: number;
  end: number;
}

function job(id: string, intervalMs: number, durationMs: number, log: Recorded[], lane: PollLane = 'live'): PollJob {
  return {
    id,
    intervalMs,
    lane: () => lane,
    run: async () => {
      const start = performance.now();
      await sleep(durationMs);
      log.push({ id, start, end: performance.now() });
    },
  };
}

const schedulers: PollScheduler[] = [];
afterEach(async () => {
  for (const s of schedulers.splice(0)) await s.stop();
});

function scheduler(live: number, down: number, spreadStart = false): PollScheduler {
  const s = new PollScheduler({ concurrency: { live, down }, spreadStart });
  schedulers.push(s);
  return s;
}

describe('PollScheduler', () => {
  it('runs each job on its own interval', async () => {
    const log: Recorded[] = [];
    const s = scheduler(4, 1);
    s.add(job('fast', 50, 1, log));
    s.add(job('slow', 200, 1, log));
    s.start();
    await sleep(430);
    await s.stop();
    const fast = log.filter((r) => r.id === 'fast').length;
    const slow = log.filter((r) => r.id === 'slow').length;
    expect(fast).toBeGreaterThanOrEqual(5);
    expect(fast).toBeLessThanOrEqual(10);
    expect(slow).toBeGreaterThanOrEqual(2);
    expect(slow).toBeLessThanOrEqual(3);
  });

  it('never runs more than the lane allows at once', async () => {
    let now = 0;
    let peak = 0;
    const s = scheduler(3, 1);
    for (let i = 0; i < 12; i++) {
      s.add({
        id: `d${i}`,
        intervalMs: 10_000,
        lane: () => 'live',
        run: async () => {
          now++;
          peak = Math.max(peak, now);
          await sleep(30);
          now--;
        },
      });
    }
    s.start();
    await sleep(250);
    expect(peak).toBe(3);
  });

  it('keeps dead devices in their own lane: live polls are not delayed by a crowd of timeouts', async () => {
    const log: Recorded[] = [];
    const s = scheduler(2, 2);
    for (let i = 0; i < 10; i++) s.add(job(`dead${i}`, 10_000, 400, log, 'down'));
    s.add(job('live', 40, 2, log));
    s.start();
    await sleep(300);
    const live = log.filter((r) => r.id === 'live');
    expect(live.length).toBeGreaterThanOrEqual(4);
    expect(s.active().down).toBe(2);
  });

  it('skips the turn of a job still running from its last one', async () => {
    const log: Recorded[] = [];
    const overruns: string[] = [];
    const s = new PollScheduler({ concurrency: { live: 4, down: 1 }, spreadStart: false, onOverrun: (id) => overruns.push(id) });
    schedulers.push(s);
    s.add(job('sluggish', 30, 100, log));
    s.start();
    await sleep(260);
    await s.stop();
    expect(overruns.length).toBeGreaterThanOrEqual(3);
    // Never two at once.
    const sorted = log.filter((r) => r.id === 'sluggish').sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i].start).toBeGreaterThanOrEqual(sorted[i - 1].end - 1);
  });

  it('reports a failing job and keeps scheduling it', async () => {
    const errors: string[] = [];
    let runs = 0;
    const s = new PollScheduler({ concurrency: { live: 1, down: 1 }, spreadStart: false, onError: (id, err) => errors.push(`${id}: ${(err as Error).message}`) });
    schedulers.push(s);
    s.add({
      id: 'flaky',
      intervalMs: 20,
      lane: () => 'live',
      run: async () => {
        runs++;
        throw new Error('agent said tooBig');
      },
    });
    s.start();
    await sleep(110);
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(errors[0]).toBe('flaky: agent said tooBig');
  });

  it('spreads first polls by a stable phase, and removed jobs stop', async () => {
    expect(phaseOf('core-sw-01')).toBe(phaseOf('core-sw-01'));
    expect(phaseOf('core-sw-01')).not.toBe(phaseOf('core-sw-02'));
    const phases = Array.from({ length: 1000 }, (_, i) => phaseOf(`agency-${i}-sw`));
    const firstHalf = phases.filter((p) => p < 0.5).length;
    expect(firstHalf).toBeGreaterThan(400);
    expect(firstHalf).toBeLessThan(600);
    const log: Recorded[] = [];
    const s = scheduler(2, 1, true);
    s.add(job('gone', 20, 1, log));
    s.remove('gone');
    expect(s.has('gone')).toBe(false);
    s.start();
    await sleep(80);
    expect(log).toEqual([]);
  });
});
