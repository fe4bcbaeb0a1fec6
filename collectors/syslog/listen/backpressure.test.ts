import { connect, type Socket } from 'node:net';
import { createTcpListener } from './tcp';
import type { StreamListenerOptions, StreamSyslogListener } from './stream-listener';
import { FrameRecorder, waitUntil } from './testing/recorder';
import type { PeerInfo } from './types';

const started: StreamSyslogListener[] = [];
const sockets: Socket[] = [];
const timers: NodeJS.Timeout[] = [];

async function startTcp(onFrame: (frame: string, peer: PeerInfo) => boolean, rec: FrameRecorder, extra: Partial<StreamListenerOptions> = {}): Promise<StreamSyslogListener> {
  const listener = createTcpListener({ name: 'bp', host: '127.0.0.1', port: 0, onFrame, onError: rec.onError, ...extra });
  await listener.start();
  started.push(listener);
  return listener;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(async () => {
  for (const t of timers.splice(0)) clearInterval(t);
  for (const s of sockets.splice(0)) s.destroy();
  for (const l of started.splice(0)) await l.stop();
});

/**
 * A slow bounded consumer like the ingest pipeline: offer() refuses when `capacity` frames wait,
 * a timer takes `perTick` of them every `tickMs` and calls resume() on the listener when it made room.
 */
class SlowConsumer {
  readonly taken: Array<{ frame: string; port: number }> = [];
  refusals = 0;
  private queue: Array<{ frame: string; port: number }> = [];
  private refused = false;
  listener: StreamSyslogListener | undefined;

  constructor(
    private readonly capacity: number,
    perTick: number,
    tickMs: number,
  ) {
    timers.push(
      setInterval(() => {
        const batch = this.queue.splice(0, perTick);
        for (const item of batch) this.taken.push(item);
        if (this.refused && this.queue.length < this.capacity) {
          this.refused = false;
          this.listener?.resume();
        }
      }, tickMs),
    );
  }

  readonly offer = (frame: string, peer: PeerInfo): boolean => {
    if (this.queue.length >= this.capacity) {
      this.refused = true;
      this.refusals++;
      return false;
    }
    this.queue.push({ frame, port: peer.port });
    return true;
  };
}

function octetFrames(from: number, to: number, tag: string): Buffer {
  const parts: string[] = [];
  for (let i = from; i < to; i++) {
    const line = `<134>1 2026-11-27T02:15:19Z fw01 ${tag} - - - seq=${i}`;
    parts.push(`${Buffer.byteLength(line)} ${line}`);
  }
  return Buffer.from(parts.join(''));
}

function expectSequence(frames: string[], count: number): void {
  expect(frames).toHaveLength(count);
  for (let i = 0; i < count; i++) {
    if (!frames[i].endsWith(` seq=${i}`)) throw new Error(`frame ${i} out of order or missing: ${frames[i]}`);
  }
}

describe('TCP backpressure', () => {
  it('delivers 200,000 frames exactly once and in order to a slow consumer that keeps refusing', async () => {
    const rec = new FrameRecorder();
    const consumer = new SlowConsumer(2000, 4000, 2);
    const listener = await startTcp(consumer.offer, rec);
    consumer.listener = listener;
    const socket = await open(listener.address().port);
    const total = 200_000;
    for (let from = 0; from < total; from += 10_000) socket.write(octetFrames(from, from + 10_000, 'app'));
    socket.end();
    await waitUntil('200,000 frames taken', () => consumer.taken.length === total, 60_000, () => `${consumer.taken.length} taken`);
    expect(consumer.refusals).toBeGreaterThan(10);
    expectSequence(
      consumer.taken.map((t) => t.frame),
      total,
    );
    expect(rec.errors).toEqual([]);
    await waitUntil('connection closed', () => listener.stats().connections === 0);
  });

  it('keeps order per connection with several senders sharing one slow consumer', async () => {
    const rec = new FrameRecorder();
    const consumer = new SlowConsumer(500, 1000, 2);
    const listener = await startTcp(consumer.offer, rec);
    consumer.listener = listener;
    const per = 25_000;
    const senders = await Promise.all([0, 1, 2, 3].map(() => open(listener.address().port)));
    for (const s of senders) {
      const lines: string[] = [];
      for (let i = 0; i < per; i++) lines.push(`<13>Nov 27 02:15:13 host app: seq=${i}\n`);
      s.end(lines.join(''));
    }
    await waitUntil('100,000 frames taken', () => consumer.taken.length === 4 * per, 60_000, () => `${consumer.taken.length} taken`);
    const byPort = new Map<number, string[]>();
    for (const t of consumer.taken) {
      const list = byPort.get(t.port) ?? [];
      list.push(t.frame);
      byPort.set(t.port, list);
    }
    expect(byPort.size).toBe(4);
    for (const frames of byPort.values()) expectSequence(frames, per);
    expect(consumer.refusals).toBeGreaterThan(0);
  });

  it('pauses on a refused frame, keeps the rest of the chunk, reads nothing more until resume()', async () => {
    const rec = new FrameRecorder();
    let refuseNext = false;
    let calls = 0;
    const listener = await startTcp(
      (frame, peer) => {
        calls++;
        if (refuseNext) {
          refuseNext = false;
          return false;
        }
        if (frame === '<13>f2') refuseNext = true; // refuse f3 once
        return rec.onFrame(frame, peer);
      },
      rec,
      { idleTimeoutMs: 150 },
    );
    const socket = await open(listener.address().port);
    const chunk = Array.from({ length: 10 }, (_, i) => `<13>f${i}\n`).join('');
    socket.write(chunk);
    await waitUntil('the refusal', () => calls === 4); // f0 f1 f2 taken, f3 refused
    socket.write('<13>later\n');
    await sleep(400); // longer than the idle timeout: a paused connection must not time out
    expect(calls).toBe(4);
    expect(rec.texts()).toEqual(['<13>f0', '<13>f1', '<13>f2']);
    expect(listener.stats().pausedConnections).toBe(1);
    listener.resume();
    await rec.waitFor('all 11 frames', () => rec.frames.length === 11);
    expect(rec.texts()).toEqual([...Array.from({ length: 10 }, (_, i) => `<13>f${i}`), '<13>later']);
    expect(listener.stats().pausedConnections).toBe(0);
    expect(rec.errors).toEqual([]);
  });

  it('stop() hands buffered frames of a paused connection over once downstream resumes', async () => {
    const rec = new FrameRecorder();
    let open_ = false;
    const listener = await startTcp((frame, peer) => (open_ ? rec.onFrame(frame, peer) : false), rec);
    const socket = await open(listener.address().port);
    socket.write('<13>a\n<13>b\n<13>c\n');
    await waitUntil('pause', () => listener.stats().pausedConnections === 1);
    let stopped = false;
    const stopping = listener.stop().then(() => (stopped = true));
    await sleep(100);
    expect(stopped).toBe(false);
    open_ = true;
    listener.resume();
    await stopping;
    expect(rec.texts()).toEqual(['<13>a', '<13>b', '<13>c']);
    expect(listener.stats().connections).toBe(0);
  });

  it('stop() gives up after stopTimeoutMs and counts the frames it could not hand over', async () => {
    const rec = new FrameRecorder();
    const listener = await startTcp(() => false, rec, { stopTimeoutMs: 100 });
    const socket = await open(listener.address().port);
    socket.write('<13>a\n<13>b\n<13>c\n');
    await waitUntil('pause', () => listener.stats().pausedConnections === 1);
    await listener.stop();
    expect(rec.errors.map((e) => e.reason)).toEqual(['dropped_at_stop']);
    expect(rec.errors[0].detail).toMatch(/^syslog tcp 127\.0\.0\.1:\d+: 3 frames not handed over before stop$/);
    expect(listener.stats().connections).toBe(0);
  });
});
