import { InProcessBus } from '../bus';
import { newEventId, type EcsEvent } from '../event';
import { Metrics } from '../metrics';
import { EventPipeline } from './event-pipeline';

function ev(n: number): EcsEvent {
  return { '@timestamp': new Date(1_700_000_000_000 + n).toISOString(), event: { id: newEventId() }, message: `m${n}` };
}

describe('EventPipeline', () => {
  it('batches events to the bus and counts them stored per input once acknowledged', async () => {
    const bus = new InProcessBus();
    const seen: number[] = [];
    bus.subscribe('events', 'store', async (batch) => {
      seen.push(batch.length);
    });
    const metrics = new Metrics({ defaultMetrics: false });
    const stats = metrics.input('test');
    const p = new EventPipeline({ queueSize: 100, batchSize: 10, flushIntervalMs: 5, bus, metrics });
    for (let i = 0; i < 25; i++) expect(p.offer(ev(i), stats)).toBe(true);
    await p.flush();
    expect(seen.reduce((a, b) => a + b, 0)).toBe(25);
    expect(Math.max(...seen)).toBeLessThanOrEqual(10);
    expect(stats.stored).toBe(25);
    await p.stop();
  });

  it('flushes a partial batch after the interval', async () => {
    const bus = new InProcessBus();
    const got: EcsEvent[] = [];
    bus.subscribe('events', 'store', async (batch) => {
      got.push(...batch);
    });
    const metrics = new Metrics({ defaultMetrics: false });
    const p = new EventPipeline({ queueSize: 100, batchSize: 50, flushIntervalMs: 10, bus, metrics });
    p.offer(ev(1), metrics.input('x'));
    await new Promise((r) => setTimeout(r, 60));
    expect(got).toHaveLength(1);
    await p.stop();
  });

  it('refuses offers when full, then signals drain once the consumer catches up', async () => {
    const bus = new InProcessBus();
    let release: () => void = () => undefined;
    let gate = new Promise<void>((r) => (release = r));
    const stored: string[] = [];
    bus.subscribe('events', 'store', async (batch) => {
      await gate;
      for (const e of batch) stored.push(e.event.id);
    });
    const metrics = new Metrics({ defaultMetrics: false });
    const stats = metrics.input('tcp');
    const p = new EventPipeline({ queueSize: 20, batchSize: 5, flushIntervalMs: 5, bus, metrics, maxInFlight: 1 });
    const offered: string[] = [];
    let refused = 0;
    for (let i = 0; i < 100; i++) {
      const e = ev(i);
      if (p.offer(e, stats)) offered.push(e.event.id);
      else refused++;
      await new Promise((r) => setImmediate(r));
    }
    expect(refused).toBeGreaterThan(0);
    const drained = new Promise<void>((r) => p.onDrain(r));
    release();
    gate = Promise.resolve();
    await drained;
    await p.flush();
    expect(stored.sort()).toEqual(offered.sort());
    expect(stats.stored).toBe(offered.length);
    await p.stop();
  });

  it('refuses pausable inputs at the high-water mark while lossy ones may fill the queue', async () => {
    const bus = new InProcessBus();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const stored: string[] = [];
    bus.subscribe('events', 'store', async (batch) => {
      await gate;
      for (const e of batch) stored.push(e.event.id);
    });
    const metrics = new Metrics({ defaultMetrics: false });
    const tcp = metrics.input('tcp');
    const udp = metrics.input('udp');
    const p = new EventPipeline({ queueSize: 100, batchSize: 10, flushIntervalMs: 5, bus, metrics, maxInFlight: 1 });
    // One batch goes out and hangs on the gate; then the pausable input gets two batches' worth.
    const accepted: string[] = [];
    for (let i = 0; i < 10; i++) {
      const e = ev(i);
      expect(p.offer(e, tcp, true)).toBe(true);
      accepted.push(e.event.id);
    }
    await new Promise((r) => setImmediate(r));
    let refused = 0;
    for (let i = 10; i < 40; i++) {
      const e = ev(i);
      if (p.offer(e, tcp, true)) accepted.push(e.event.id);
      else refused++;
    }
    expect(p.depth).toBe(20);
    expect(refused).toBe(10);
    // A lossy input is not held to the high-water mark, only to the queue's capacity.
    for (let i = 40; i < 120; i++) {
      const e = ev(i);
      if (p.offer(e, udp)) accepted.push(e.event.id);
    }
    expect(p.depth).toBe(100);
    expect(p.offer(ev(999), tcp, true)).toBe(false);
    const drained = new Promise<void>((r) => p.onDrain(r));
    release();
    await drained;
    // Woken only once the queue is down to half the high-water mark.
    expect(p.depth).toBeLessThanOrEqual(10);
    expect(p.offer(ev(1000), tcp, true)).toBe(true);
    await p.flush();
    expect(stored).toHaveLength(accepted.length + 1);
    expect(tcp.stored + udp.stored).toBe(stored.length);
    await p.stop();
  });

  it('retries a failing consumer instead of dropping the batch', async () => {
    const bus = new InProcessBus();
    let failures = 2;
    const stored: EcsEvent[] = [];
    bus.subscribe('events', 'store', async (batch) => {
      if (failures-- > 0) throw new Error('disk full');
      stored.push(...batch);
    });
    const metrics = new Metrics({ defaultMetrics: false });
    const p = new EventPipeline({ queueSize: 10, batchSize: 3, flushIntervalMs: 5, bus, metrics, retryDelayMs: 5 });
    for (let i = 0; i < 3; i++) p.offer(ev(i), metrics.input('x'));
    await p.flush();
    expect(stored).toHaveLength(3);
    await p.stop();
  });

  it('runs enrichers on each batch before publishing', async () => {
    const bus = new InProcessBus();
    const got: EcsEvent[] = [];
    bus.subscribe('events', 'store', async (batch) => {
      got.push(...batch);
    });
    const metrics = new Metrics({ defaultMetrics: false });
    const p = new EventPipeline({
      queueSize: 10,
      batchSize: 2,
      flushIntervalMs: 5,
      bus,
      metrics,
      enrichers: [(batch) => batch.forEach((e) => (e.tags = ['enriched']))],
    });
    p.offer(ev(1), metrics.input('x'));
    p.offer(ev(2), metrics.input('x'));
    await p.flush();
    expect(got.map((e) => e.tags)).toEqual([['enriched'], ['enriched']]);
    await p.stop();
  });
});
