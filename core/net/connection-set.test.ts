import { ConnectionSet, type DrainableConnection } from './connection-set';

/** A connection whose downstream can be made to take its data (done) or never take it. */
class FakeConnection implements DrainableConnection {
  readonly calls: string[] = [];
  constructor(
    private readonly set: ConnectionSet<FakeConnection>,
    private readonly finishesOnEnd: boolean,
  ) {}
  resume(): void {
    this.calls.push('resume');
  }
  endInput(): void {
    this.calls.push('endInput');
    if (this.finishesOnEnd) setImmediate(() => this.set.connectionDone(this));
  }
  abandon(): void {
    this.calls.push('abandon');
    this.set.connectionDone(this);
  }
}

describe('ConnectionSet', () => {
  it('resumes each paused connection once and counts what it holds', () => {
    const set = new ConnectionSet<FakeConnection>();
    const a = new FakeConnection(set, true);
    const b = new FakeConnection(set, true);
    set.countAccepted();
    set.countAccepted();
    set.countAccepted(); // a third socket failed to set up: accepted, never added
    set.add(a);
    set.add(b);
    set.connectionPaused(a);
    expect(set.stats()).toEqual({ connections: 2, pausedConnections: 1, accepted: 3 });
    set.resumeAll();
    set.resumeAll();
    expect(a.calls).toEqual(['resume']);
    expect(b.calls).toEqual([]);
    set.connectionDone(b);
    expect(set.stats()).toEqual({ connections: 1, pausedConnections: 0, accepted: 3 });
  });

  it('drains without abandoning when every connection finishes in time', async () => {
    const set = new ConnectionSet<FakeConnection>();
    const a = new FakeConnection(set, true);
    set.add(a);
    await set.drain(5000);
    expect(a.calls).toEqual(['endInput']);
    expect(set.stats().connections).toBe(0);
  });

  it('abandons only the connections still open when the stop timeout passes', async () => {
    const set = new ConnectionSet<FakeConnection>();
    const quick = new FakeConnection(set, true);
    const stuck = new FakeConnection(set, false);
    set.add(quick);
    set.add(stuck);
    const started = Date.now();
    await set.drain(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(quick.calls).toEqual(['endInput']);
    expect(stuck.calls).toEqual(['endInput', 'abandon']);
    expect(set.stats().connections).toBe(0);
  });

  it('returns at once when nothing is open', async () => {
    const set = new ConnectionSet<FakeConnection>();
    const started = Date.now();
    await set.drain(10_000);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
