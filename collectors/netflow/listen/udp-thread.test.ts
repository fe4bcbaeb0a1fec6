import { createSocket, type Socket } from 'node:dgram';
import { waitUntil } from '../../syslog/listen/testing/recorder';
import { readCapture } from '../testdata/captures';
import type { FlowListenerErrorReason, FlowPeer } from './types';
import { createFlowUdpListener, type FlowUdpListener, type FlowUdpListenerOptions } from './udp';

const started: FlowUdpListener[] = [];
const clients: Socket[] = [];

interface Received {
  datagram: Buffer;
  peer: FlowPeer;
}

function recorder() {
  const got: Received[] = [];
  const errors: Array<{ reason: FlowListenerErrorReason; detail: string }> = [];
  const logs: string[] = [];
  const dropped: number[] = [];
  return {
    got,
    errors,
    logs,
    dropped,
    onDatagram: (datagram: Buffer, peer: FlowPeer) => void got.push({ datagram: Buffer.from(datagram), peer }),
    onError: (reason: FlowListenerErrorReason, _peer: FlowPeer, detail: string) => void errors.push({ reason, detail }),
    onDropped: (n: number) => void dropped.push(n),
    logger: { info: (m: string) => void logs.push(`info ${m}`), warn: (m: string) => void logs.push(`warn ${m}`) },
  };
}

async function start(rec: ReturnType<typeof recorder>, extra: Partial<FlowUdpListenerOptions> = {}): Promise<FlowUdpListener> {
  const l = createFlowUdpListener({
    name: 'udp-thread-test',
    host: '127.0.0.1',
    port: 0,
    receiveBufferBytes: 1024 * 1024,
    onDatagram: rec.onDatagram,
    onError: rec.onError,
    onDropped: rec.onDropped,
    logger: rec.logger,
    receiveThread: true,
    ...extra,
  });
  await l.start();
  started.push(l);
  return l;
}

async function client(): Promise<Socket> {
  const s = createSocket('udp4');
  clients.push(s);
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  return s;
}

function send(s: Socket, payload: Buffer, port: number): Promise<void> {
  return new Promise((resolve, reject) => s.send(payload, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
}

/** Datagram `seq` of sender `tag`: a header naming both, padded to a size that varies with seq. */
function numbered(tag: number, seq: number): Buffer {
  const b = Buffer.alloc(40 + ((seq * 37) % 1400), tag);
  b.writeUInt32BE(tag, 0);
  b.writeUInt32BE(seq, 4);
  return b;
}

function busyWait(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // holds the main thread, as a long minute close does
  }
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const l of started.splice(0)) await l.stop();
});

describe('flow UDP listener with a receive thread', () => {
  test('hands over a capture byte for byte, with the sender, and logs the granted buffer', async () => {
    const rec = recorder();
    const l = await start(rec);
    const s = await client();
    const packets = readCapture('softflowd-v9');
    for (const p of packets) await send(s, p, l.address().port);
    await waitUntil('all datagrams', () => rec.got.length === packets.length);
    expect(rec.got.map((g) => g.datagram.toString('hex'))).toEqual(packets.map((p) => p.toString('hex')));
    expect(rec.got[0].peer).toEqual({ address: '127.0.0.1', port: s.address().port, transport: 'udp', listener: 'udp-thread-test' });
    expect(l.getRecvBufferSize()).toBeGreaterThan(0);
    expect(rec.logs.find((m) => m.startsWith('info'))).toMatch(new RegExp(`listening in a receive thread, receive buffer ${l.getRecvBufferSize()} bytes \\(1048576 requested\\)`));
    expect(rec.errors).toEqual([]);
  });

  test('delivers every datagram of a burst from two senders in order, each with its own peer', async () => {
    const rec = recorder();
    const l = await start(rec);
    const senders = [await client(), await client()];
    const perSender = 1500;
    for (let seq = 0; seq < perSender; seq += 50) {
      const sends: Array<Promise<void>> = [];
      for (let i = seq; i < seq + 50; i++) for (let t = 0; t < 2; t++) sends.push(send(senders[t], numbered(t + 1, i), l.address().port));
      await Promise.all(sends);
    }
    await waitUntil('every datagram', () => rec.got.length === 2 * perSender);
    for (let t = 0; t < 2; t++) {
      const mine = rec.got.filter((g) => g.datagram.readUInt32BE(0) === t + 1);
      expect(mine.map((g) => g.datagram.readUInt32BE(4))).toEqual(Array.from({ length: perSender }, (_, i) => i));
      expect(mine.every((g) => g.peer.port === senders[t].address().port && g.peer.address === '127.0.0.1')).toBe(true);
      expect(mine.every((g) => g.datagram.equals(numbered(t + 1, g.datagram.readUInt32BE(4))))).toBe(true);
    }
    expect(rec.dropped).toEqual([]);
  });

  test('drops and counts datagrams beyond the in-flight bound while the main thread is held', async () => {
    const rec = recorder();
    const l = await start(rec, { maxInFlightBytes: 65_536 });
    const s = await client();
    // Connected: sends with an address wait for a lookup on the next tick, after the held stretch.
    await new Promise<void>((resolve) => s.connect(l.address().port, '127.0.0.1', resolve));
    const payload = Buffer.alloc(1000, 7);
    const sent = 600;
    // Sent without yielding: the receive thread takes them while the main thread never acknowledges.
    for (let i = 0; i < sent; i++) {
      s.send(payload);
      if (i % 50 === 49) busyWait(15);
    }
    busyWait(100);
    await waitUntil('the held batches', () => rec.got.length > 0);
    await l.stop();
    const dropped = rec.dropped.reduce((a, b) => a + b, 0);
    // At most 65 datagrams of 1000 bytes fit the bound before the first acknowledgement; a receive thread
    // slowed by a loaded machine may read a few more after it.
    expect(rec.got.length).toBeLessThan(sent / 2);
    expect(dropped).toBeGreaterThan(sent / 2);
    expect(rec.got.length + dropped).toBe(sent);
    // Once acknowledged, the bound frees: later datagrams arrive again.
    const rec2 = recorder();
    const l2 = await start(rec2, { maxInFlightBytes: 65_536 });
    const s2 = await client();
    for (let i = 0; i < 200; i++) {
      await send(s2, payload, l2.address().port);
      // A send that completes at once calls back on the next tick: yield so acknowledgements get through.
      if (i % 20 === 19) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await waitUntil('all 200 after acks', () => rec2.got.length === 200, 3000, () => `${rec2.got.length} got, dropped ${rec2.dropped.join(',')}`);
    expect(rec2.dropped).toEqual([]);
  });

  test('a handler that throws is reported and the listener keeps receiving', async () => {
    const rec = recorder();
    let n = 0;
    const l = await start(rec, {
      onDatagram: (d, p) => {
        if (n++ === 0) throw new Error('boom');
        rec.onDatagram(d, p);
      },
    });
    const s = await client();
    await send(s, Buffer.from('first'), l.address().port);
    await send(s, Buffer.from('second'), l.address().port);
    await waitUntil('second datagram', () => rec.got.length === 1);
    expect(rec.got[0].datagram.toString()).toBe('second');
    expect(rec.errors).toEqual([{ reason: 'handler_error', detail: expect.stringMatching(/^netflow udp listener "udp-thread-test" on 127\.0\.0\.1:\d+: datagram from 127\.0\.0\.1:\d+: handler threw: boom$/) }]);
  });

  test('a port in use fails start with the listener named', async () => {
    const holder = await client();
    const rec = recorder();
    await expect(start(rec, { port: holder.address().port })).rejects.toThrow(/^netflow udp listener "udp-thread-test" on 127\.0\.0\.1:\d+: cannot bind: .*EADDRINUSE/);
  });

  test('stop hands over what was received, ends the thread and frees the port', async () => {
    const rec = recorder();
    const l = await start(rec);
    const port = l.address().port;
    const s = await client();
    for (let i = 0; i < 20; i++) await send(s, numbered(1, i), port);
    await waitUntil('20 datagrams', () => rec.got.length === 20);
    await l.stop();
    await l.stop();
    expect(rec.got.length).toBe(20);
    expect(l.getRecvBufferSize()).toBe(0);
    expect(l.address()).toEqual({ address: '127.0.0.1', port: 0 });
    const again = createSocket('udp4');
    clients.push(again);
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.bind(port, '127.0.0.1', resolve);
    });
    expect(rec.errors).toEqual([]);
  });
});
