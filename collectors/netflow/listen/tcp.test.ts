import { connect, type Socket } from 'node:net';
import { waitUntil } from '../../syslog/listen/testing/recorder';
import { readCapture } from '../testdata/captures';
import { createIpfixTcpListener, type IpfixTcpListener, type IpfixTcpListenerOptions } from './tcp';
import type { FlowListenerErrorReason, FlowMessageConsumer, FlowPeer } from './types';

/** A consumer that records messages and can refuse them, as a full pipeline would. */
class RecordingConsumer implements FlowMessageConsumer {
  readonly messages: Buffer[] = [];
  /** Messages it takes before refusing; refused ones are kept (as the real consumer keeps their records). */
  room = Infinity;
  held: Buffer | null = null;
  flushes = 0;
  closed: Array<readonly Buffer[] | null> = [];

  constructor(readonly peer: FlowPeer) {}

  message(msg: Buffer): boolean {
    if (this.messages.length >= this.room) {
      this.held = msg;
      return false;
    }
    this.messages.push(msg);
    return true;
  }

  flush(): boolean {
    this.flushes++;
    if (this.held === null) return true;
    if (this.messages.length >= this.room) return false;
    this.messages.push(this.held);
    this.held = null;
    return true;
  }

  close(undelivered: readonly Buffer[] | null): void {
    this.closed.push(undelivered);
  }
}

const stream = readCapture('pmacct-ipfix');
const listeners: IpfixTcpListener[] = [];
const sockets: Socket[] = [];

async function start(extra: Partial<IpfixTcpListenerOptions> = {}) {
  const consumers: RecordingConsumer[] = [];
  const errors: Array<{ reason: FlowListenerErrorReason; detail: string }> = [];
  const l = createIpfixTcpListener({
    name: 'tcp-test',
    host: '127.0.0.1',
    port: 0,
    idleTimeoutMs: 0,
    maxConnections: 10,
    createConsumer: (peer) => {
      const c = new RecordingConsumer(peer);
      consumers.push(c);
      return c;
    },
    onError: (reason, _peer, detail) => void errors.push({ reason, detail }),
    ...extra,
  });
  await l.start();
  listeners.push(l);
  return { l, consumers, errors };
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
    sockets.push(s);
  });
}

/** Writes chunks one by one, letting each reach the listener on its own. */
async function writeChunks(s: Socket, chunks: Buffer[]): Promise<void> {
  for (const c of chunks) {
    await new Promise<void>((resolve, reject) => s.write(c, (err) => (err ? reject(err) : resolve())));
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function closed(s: Socket): Promise<void> {
  return new Promise((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const l of listeners.splice(0)) await l.stop();
});

describe('IPFIX TCP listener', () => {
  test('a capture framed as one stream, cut inside headers and bodies, gives back every message in order', async () => {
    const { l, consumers, errors } = await start();
    const whole = Buffer.concat(stream);
    // Cuts: 1 byte, inside the 4-byte version/length word, one byte short of a message, across several messages.
    const cuts = [1, 3, stream[0].length - 1, stream[0].length + 2, stream[0].length + stream[1].length + 17, 5000, whole.length - 1];
    const chunks: Buffer[] = [];
    let from = 0;
    for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
      chunks.push(whole.subarray(from, cut));
      from = cut;
    }
    chunks.push(whole.subarray(from));
    const s = await open(l.address().port);
    await writeChunks(s, chunks);
    await waitUntil('all messages', () => consumers[0]?.messages.length === stream.length);
    expect(consumers[0].messages.map((m) => m.toString('hex'))).toEqual(stream.map((m) => m.toString('hex')));
    expect(consumers[0].peer).toEqual({ address: '127.0.0.1', port: s.localPort, transport: 'tcp', listener: 'tcp-test' });
    s.end();
    await waitUntil('consumer closed', () => consumers[0].closed.length === 1);
    expect(consumers[0].closed).toEqual([null]);
    expect(errors).toEqual([]);
  });

  test('lost framing: the messages before it are delivered, the failure is counted, the connection closed', async () => {
    const { l, consumers, errors } = await start();
    const s = await open(l.address().port);
    const localPort = s.localPort;
    const gone = closed(s);
    await writeChunks(s, [Buffer.concat([stream[0], stream[1], Buffer.from('GET / HTTP/1.1\r\n\r\n'), stream[2]])]);
    await gone;
    await waitUntil('consumer closed', () => consumers[0]?.closed.length === 1);
    expect(consumers[0].messages).toEqual([stream[0], stream[1]]);
    expect(errors).toEqual([
      {
        reason: 'tcp_framing_lost',
        detail: `netflow tcp 127.0.0.1:${localPort} (listener "tcp-test"): ipfix tcp stream: version 18245 at byte ${stream[0].length + stream[1].length}, expected 10; connection closed`,
      },
    ]);
    // The listener still serves new connections.
    const again = await open(l.address().port);
    await writeChunks(again, [stream[0]]);
    await waitUntil('second connection', () => consumers[1]?.messages.length === 1);
  });

  test('a stream that ends inside a message is counted', async () => {
    const { l, consumers, errors } = await start();
    const s = await open(l.address().port);
    await writeChunks(s, [stream[0], stream[1].subarray(0, 30)]);
    s.end();
    await waitUntil('consumer closed', () => consumers[0]?.closed.length === 1);
    expect(consumers[0].messages).toEqual([stream[0]]);
    expect(errors.map((e) => e.reason)).toEqual(['tcp_incomplete_message']);
    expect(errors[0].detail).toMatch(/stream ended inside a message \(30 bytes\), discarded/);
  });

  test('backpressure: a refused message pauses the connection; resume delivers it and the rest, in order', async () => {
    const { l, consumers } = await start();
    const s = await open(l.address().port);
    await waitUntil('consumer', () => consumers.length === 1);
    const c = consumers[0];
    c.room = 3;
    await writeChunks(s, [Buffer.concat(stream)]);
    await waitUntil('paused', () => l.stats().pausedConnections === 1);
    expect(c.messages).toHaveLength(3);
    l.resume(); // still no room: stays paused, nothing lost
    expect(l.stats().pausedConnections).toBe(1);
    c.room = 10;
    l.resume();
    await waitUntil('10 taken', () => c.messages.length === 10 && l.stats().pausedConnections === 1);
    c.room = Infinity;
    l.resume();
    await waitUntil('all messages', () => c.messages.length === stream.length);
    expect(c.messages.map((m) => m.toString('hex'))).toEqual(stream.map((m) => m.toString('hex')));
    expect(l.stats().pausedConnections).toBe(0);
  });

  test('stop waits for a paused connection, then gives up and hands the consumer what was never delivered', async () => {
    const { l, consumers } = await start({ stopTimeoutMs: 200 });
    const s = await open(l.address().port);
    await waitUntil('consumer', () => consumers.length === 1);
    consumers[0].room = 1;
    await writeChunks(s, [Buffer.concat(stream.slice(0, 5))]);
    await waitUntil('paused', () => l.stats().pausedConnections === 1);
    await l.stop();
    listeners.splice(0);
    const c = consumers[0];
    expect(c.messages).toEqual([stream[0]]);
    expect(c.held).toEqual(stream[1]);
    expect(c.closed).toEqual([[stream[2], stream[3], stream[4]]]);
  });

  test('connections beyond maxConnections are refused and counted', async () => {
    const { l, errors } = await start({ maxConnections: 1 });
    await open(l.address().port);
    await waitUntil('one open', () => l.stats().connections === 1);
    const refused = await open(l.address().port);
    await closed(refused);
    await waitUntil('refusal counted', () => errors.length === 1);
    expect(errors[0].reason).toBe('too_many_connections');
  });
});
