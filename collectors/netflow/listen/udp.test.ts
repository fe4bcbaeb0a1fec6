import { createSocket, type Socket } from 'node:dgram';
import { isIpv6Unavailable } from '../../../core/net/listen';
import { waitUntil } from '../../syslog/listen/testing/recorder';
import { readCapture } from '../testdata/captures';
import type { FlowListenerErrorReason, FlowPeer } from './types';
import { createFlowUdpListener, type FlowUdpListener } from './udp';

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
  return {
    got,
    errors,
    logs,
    onDatagram: (datagram: Buffer, peer: FlowPeer) => void got.push({ datagram, peer }),
    onError: (reason: FlowListenerErrorReason, _peer: FlowPeer, detail: string) => void errors.push({ reason, detail }),
    logger: { info: (m: string) => void logs.push(`info ${m}`), warn: (m: string) => void logs.push(`warn ${m}`) },
  };
}

async function start(host: string, rec: ReturnType<typeof recorder>, onDatagram = rec.onDatagram): Promise<FlowUdpListener> {
  const l = createFlowUdpListener({ name: 'udp-test', host, port: 0, receiveBufferBytes: 1024 * 1024, onDatagram, onError: rec.onError, logger: rec.logger });
  await l.start();
  started.push(l);
  return l;
}

function send(type: 'udp4' | 'udp6', payload: Buffer, port: number, host: string): Promise<void> {
  const s = createSocket(type);
  clients.push(s);
  return new Promise((resolve, reject) => s.send(payload, port, host, (err) => (err ? reject(err) : resolve())));
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const l of started.splice(0)) await l.stop();
});

describe('flow UDP listener', () => {
  test('hands over every datagram of a capture byte for byte, with the sender', async () => {
    const rec = recorder();
    const l = await start('127.0.0.1', rec);
    const packets = readCapture('softflowd-v9');
    for (const p of packets) await send('udp4', p, l.address().port, '127.0.0.1');
    await waitUntil('all datagrams', () => rec.got.length === packets.length);
    expect(rec.got.map((g) => g.datagram.toString('hex'))).toEqual(packets.map((p) => p.toString('hex')));
    expect(rec.got[0].peer).toEqual({ address: '127.0.0.1', port: expect.any(Number), transport: 'udp', listener: 'udp-test' });
    expect(rec.errors).toEqual([]);
  });

  test('logs the receive buffer the kernel granted', async () => {
    const rec = recorder();
    const l = await start('127.0.0.1', rec);
    expect(l.getRecvBufferSize()).toBeGreaterThan(0);
    expect(rec.logs.find((m) => m.startsWith('info'))).toMatch(new RegExp(`listening, receive buffer ${l.getRecvBufferSize()} bytes \\(1048576 requested\\)`));
  });

  test('dual stack on "::": IPv4 senders appear unmapped; ::1 works', async () => {
    const rec = recorder();
    let l: FlowUdpListener;
    try {
      l = await start('::', rec);
    } catch (err) {
      if (isIpv6Unavailable('::', (err as Error).cause)) return; // host without IPv6: the fallback is covered by syslog's tests
      throw err;
    }
    await send('udp4', Buffer.from([0, 5, 0, 0]), l.address().port, '127.0.0.1');
    await send('udp6', Buffer.from([0, 9, 0, 0]), l.address().port, '::1');
    await waitUntil('2 datagrams', () => rec.got.length === 2);
    expect(rec.got.map((g) => g.peer.address).sort()).toEqual(['127.0.0.1', '::1']);
  });

  test('a handler that throws is counted and the listener keeps receiving', async () => {
    const rec = recorder();
    let n = 0;
    const l = await start('127.0.0.1', rec, (d, p) => {
      if (n++ === 0) throw new Error('boom');
      rec.onDatagram(d, p);
    });
    await send('udp4', Buffer.from('first'), l.address().port, '127.0.0.1');
    await send('udp4', Buffer.from('second'), l.address().port, '127.0.0.1');
    await waitUntil('second datagram', () => rec.got.length === 1);
    expect(rec.got[0].datagram.toString()).toBe('second');
    expect(rec.errors).toEqual([{ reason: 'handler_error', detail: expect.stringMatching(/^netflow udp listener "udp-test" on 127\.0\.0\.1:\d+: datagram from 127\.0\.0\.1:\d+: handler threw: boom$/) }]);
  });
});
