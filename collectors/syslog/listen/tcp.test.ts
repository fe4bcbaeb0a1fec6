import { connect, type Socket } from 'node:net';
import { SyslogFramer, type FrameOutput } from './framing';
import { createTcpListener } from './tcp';
import type { StreamListenerOptions, StreamSyslogListener } from './stream-listener';
import { FrameRecorder, waitUntil } from './testing/recorder';
import { logger, startRsyslogRelay, type RsyslogRelay } from './testing/peers';

const started: StreamSyslogListener[] = [];
const sockets: Socket[] = [];
let relay: RsyslogRelay | undefined;

async function startTcp(recorder: FrameRecorder, extra: Partial<StreamListenerOptions> = {}): Promise<StreamSyslogListener> {
  const listener = createTcpListener({ name: 'tcp-test', host: '127.0.0.1', port: 0, onFrame: recorder.onFrame, onError: recorder.onError, ...extra });
  await listener.start();
  started.push(listener);
  return listener;
}

function open(port: number, host = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    sockets.push(socket);
    socket.on('error', () => undefined); // resets from the listener are expected in some tests
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed && socket.closed ? resolve() : socket.once('close', () => resolve())));
}

/** Sends `data` and half-closes, waiting for the listener to close its side. */
async function sendAll(port: number, data: Buffer | string): Promise<void> {
  const socket = await open(port);
  socket.end(data);
  await closed(socket);
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const l of started.splice(0)) await l.stop();
  if (relay) await relay.stop();
  relay = undefined;
});

describe('TCP listener with util-linux logger', () => {
  it('receives LF-framed RFC 3164 and RFC 5424 messages', async () => {
    const rec = new FrameRecorder();
    const { port } = (await startTcp(rec)).address();
    await logger('127.0.0.1', port, ['--tcp', '--rfc3164', '-t', 'sshd', '-p', 'auth.info', 'Accepted publickey for deploy from 10.9.8.7 port 50022 ssh2']);
    await logger('127.0.0.1', port, ['--tcp', '--rfc5424', '--msgid', 'LOGIN', '--sd-id', 'origin@32473', '--sd-param', 'ip="10.0.0.1"', '-t', 'app', 'login failed']);
    await rec.waitFor('2 frames', () => rec.frames.length === 2);
    expect(rec.frames[0].frame).toMatch(/^<38>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ sshd: Accepted publickey for deploy from 10\.9\.8\.7 port 50022 ssh2$/);
    expect(rec.frames[1].frame).toMatch(/^<13>1 \S+ \S+ app - LOGIN \[timeQuality [^\]]*\]\[origin@32473 ip="10\.0\.0\.1"\] login failed$/);
    expect(rec.frames[0].peer).toEqual({ address: '127.0.0.1', port: expect.any(Number), transport: 'tcp', listener: 'tcp-test' });
    expect(rec.errors).toEqual([]);
  });

  it('receives --octet-count frames in both formats', async () => {
    const rec = new FrameRecorder();
    const { port } = (await startTcp(rec)).address();
    await logger('127.0.0.1', port, ['--tcp', '--octet-count', '--rfc5424', '-t', 'app', 'msg with\ttab']);
    await logger('127.0.0.1', port, ['--tcp', '--octet-count', '--rfc3164', '-t', 'kernel', '-p', 'kern.err', 'eth0: link down']);
    await rec.waitFor('2 frames', () => rec.frames.length === 2);
    expect(rec.frames[0].frame).toMatch(/^<13>1 \S+ \S+ app - - \[timeQuality [^\]]*\] msg with\ttab$/);
    // logger refuses the kern facility from user space and sends user.err (<11>) instead.
    expect(rec.frames[1].frame).toMatch(/^<11>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ kernel: eth0: link down$/);
  });

  it('listens on IPv6 ::1', async () => {
    const rec = new FrameRecorder();
    const { port } = (await startTcp(rec, { host: '::1' })).address();
    await logger('::1', port, ['--tcp', '--octet-count', '--rfc5424', '-t', 'v6', 'over ipv6']);
    await rec.waitFor('1 frame', () => rec.frames.length === 1);
    expect(rec.frames[0].peer.address).toBe('::1');
  });
});

describe('TCP listener behind an rsyslog relay', () => {
  it('receives 1,000 relayed messages on each forwarding connection, all present and in order', async () => {
    const rec = new FrameRecorder();
    const { port } = (await startTcp(rec)).address();
    relay = await startRsyslogRelay([
      `action(type="omfwd" target="127.0.0.1" port="${port}" protocol="tcp" TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format")`,
      `action(type="omfwd" target="127.0.0.1" port="${port}" protocol="tcp" template="RSYSLOG_ForwardFormat")`,
    ]);
    const total = 1000;
    const lines: string[] = [];
    for (let i = 0; i < total; i++) lines.push(`<134>Nov 27 02:15:13 fw01 app[42]: relayed seq=${i} src=10.1.${i % 256}.7\n`);
    await sendAll(relay.inputPort, lines.join(''));
    await rec.waitFor('2,000 frames', () => rec.frames.length === 2 * total, 20_000);

    const byConnection = new Map<number, string[]>();
    for (const { frame, peer } of rec.frames) {
      const list = byConnection.get(peer.port) ?? [];
      list.push(frame);
      byConnection.set(peer.port, list);
    }
    expect(byConnection.size).toBe(2);
    const streams = Array.from(byConnection.values());
    const octet = streams.find((s) => s[0].startsWith('<134>1 '));
    const forward = streams.find((s) => !s[0].startsWith('<134>1 '));
    expect(octet).toBeDefined();
    expect(forward).toBeDefined();
    for (const stream of [octet ?? [], forward ?? []]) {
      expect(stream).toHaveLength(total);
      stream.forEach((frame, i) => {
        expect(frame.endsWith(` relayed seq=${i} src=10.1.${i % 256}.7`)).toBe(true);
        expect(frame).not.toMatch(/[\r\n]/);
      });
    }
    // Protocol23 format: RFC 5424 header, two spaces before MSG when there is no structured data.
    expect((octet ?? [])[0]).toMatch(/^<134>1 \S+ fw01 app 42 - - {2}relayed seq=0 src=10\.1\.0\.7$/);
    expect((forward ?? [])[0]).toMatch(/^<134>\d{4}-\d\d-\d\dT\S+ fw01 app\[42\]: relayed seq=0 src=10\.1\.0\.7$/);
    expect(rec.errors).toEqual([]);
  });
});

describe('TCP listener limits and bad input', () => {
  it('closes a connection whose octet count exceeds the maximum, after delivering the frames before it', async () => {
    const rec = new FrameRecorder();
    const { port } = (await startTcp(rec)).address();
    const socket = await open(port);
    const clientPort = socket.localPort;
    socket.write('10 <13>before9999999 <13>never delivered');
    await closed(socket);
    expect(rec.texts()).toEqual(['<13>before']);
    expect(rec.errors).toHaveLength(1);
    expect(rec.errors[0].reason).toBe('frame_too_large');
    expect(rec.errors[0].detail).toBe(`syslog tcp 127.0.0.1:${clientPort}: frame length 9999999 exceeds max 65536`);
  });

  it('counts and drops a frame whose handler throws, and keeps the connection', async () => {
    const rec = new FrameRecorder();
    const { port } = (
      await startTcp(rec, {
        onFrame: (frame, peer) => {
          if (frame.includes('boom')) throw new Error('parser bug');
          return rec.onFrame(frame, peer);
        },
      })
    ).address();
    await sendAll(port, '<13>one\n<13>boom\n<13>two\n');
    expect(rec.texts()).toEqual(['<13>one', '<13>two']);
    expect(rec.errors.map((e) => e.reason)).toEqual(['handler_error']);
    expect(rec.errors[0].detail).toMatch(/^syslog tcp 127\.0\.0\.1:\d+: frame handler threw: parser bug$/);
  });

  it('stop() stops accepting and ends open connections after handing over what they sent', async () => {
    const rec = new FrameRecorder();
    const listener = await startTcp(rec);
    const { port } = listener.address();
    const socket = await open(port);
    socket.write('<13>complete\n<13>unterminated tail');
    await rec.waitFor('the complete frame', () => rec.frames.length === 1);
    await listener.stop();
    await closed(socket);
    expect(rec.texts()).toEqual(['<13>complete', '<13>unterminated tail']);
    expect(listener.stats().connections).toBe(0);
    await expect(open(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('refuses connections beyond maxConnections and counts them', async () => {
    const rec = new FrameRecorder();
    const listener = await startTcp(rec, { maxConnections: 3 });
    const { port } = listener.address();
    const kept = await Promise.all([open(port), open(port), open(port)]);
    await waitUntil('3 connections', () => listener.stats().connections === 3);
    const extra = await Promise.all([open(port), open(port)]);
    await Promise.all(extra.map(closed));
    await rec.waitFor('2 refusals', () => rec.errorCount('too_many_connections') === 2);
    expect(rec.errors[0].detail).toMatch(/^syslog tcp listener "tcp-test" on 127\.0\.0\.1:\d+: connection refused from 127\.0\.0\.1:\d+: 3 connections already open$/);
    kept[0].end('<13>still served\n');
    await rec.waitFor('a frame on a kept connection', () => rec.frames.length === 1);
    expect(listener.stats().accepted).toBe(3);
  });

  it('closes idle and half-open connections after the idle timeout, handing over a partial last line', async () => {
    const rec = new FrameRecorder();
    const listener = await startTcp(rec, { idleTimeoutMs: 300 });
    const { port } = listener.address();
    const socket = await open(port);
    socket.write('<13>complete\n<13>partial line without LF');
    await closed(socket);
    expect(rec.texts()).toEqual(['<13>complete', '<13>partial line without LF']);
    expect(rec.errors.map((e) => e.reason)).toEqual(['idle_timeout']);
    expect(rec.errors[0].detail).toMatch(/^syslog tcp 127\.0\.0\.1:\d+: no data for 300 ms, closed$/);
    await waitUntil('no connections', () => listener.stats().connections === 0);
  });

  it('survives random byte streams (huge counts, binary garbage, half-open sockets) and delivers exactly what the framer finds', async () => {
    const rec = new FrameRecorder();
    const max = 2048;
    const listener = await startTcp(rec, { maxMessageSize: max, idleTimeoutMs: 500 });
    const { port } = listener.address();
    let seed = 99;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 4294967296;
    };
    const pieces = [Buffer.from('9999999999 '), Buffer.from('123 '), Buffer.from('\n'), Buffer.from('<13>'), Buffer.from('\r\n'), Buffer.from([0]), Buffer.from('5 <13>x')];

    // The oracle: the same bytes through one framer; the network path must deliver exactly this.
    class Oracle implements FrameOutput {
      frames: string[] = [];
      fatal = 0;
      frame(text: string): void {
        this.frames.push(text);
      }
      frameError(reason: string): void {
        if (reason === 'frame_too_large') this.fatal++;
      }
    }
    const expected = new Map<number, string[]>();
    let expectedFatal = 0;
    let halfOpen = 0;
    const connections = 150;
    for (let c = 0; c < connections; c++) {
      const parts: Buffer[] = [];
      const count = 1 + Math.floor(rnd() * 40);
      for (let p = 0; p < count; p++) {
        if (rnd() < 0.4) parts.push(pieces[Math.floor(rnd() * pieces.length)]);
        else {
          const garbage = Buffer.alloc(Math.floor(rnd() * 3000));
          for (let i = 0; i < garbage.length; i++) garbage[i] = Math.floor(rnd() * 256);
          parts.push(garbage);
        }
      }
      const bytes = Buffer.concat(parts);
      const oracle = new Oracle();
      const framer = new SyslogFramer(max);
      if (framer.push(bytes, oracle)) framer.end(oracle);
      expectedFatal += oracle.fatal;

      const socket = await open(port);
      const key = socket.localPort ?? -1;
      // A port the server closed (bad count, idle) is free for a later connection, which the
      // recorder then files under the same key: that connection's frames come after the first's.
      expected.set(key, [...(expected.get(key) ?? []), ...oracle.frames]);
      // Write in random slices so chunk boundaries fall anywhere.
      for (let pos = 0; pos < bytes.length; ) {
        const size = 1 + Math.floor(rnd() * 700);
        socket.write(bytes.subarray(pos, pos + size));
        pos += size;
      }
      if (rnd() < 0.2) {
        // Left open: the idle timeout must close it, unless a bad count closed it first.
        if (oracle.fatal === 0) halfOpen++;
      } else socket.end();
    }
    await waitUntil('every garbage connection closed', () => listener.stats().connections === 0 && listener.stats().accepted === connections, 20_000);

    const got = new Map<number, string[]>();
    for (const { frame, peer } of rec.frames) {
      const list = got.get(peer.port) ?? [];
      list.push(frame);
      got.set(peer.port, list);
    }
    for (const [key, frames] of expected) expect(got.get(key) ?? []).toEqual(frames);
    expect(rec.errorCount('frame_too_large')).toBe(expectedFatal);
    expect(expectedFatal).toBeGreaterThan(0);
    expect(halfOpen).toBeGreaterThan(0);
    expect(rec.errorCount('idle_timeout')).toBe(halfOpen);

    const before = rec.frames.length;
    await sendAll(port, '<13>normal message after the storm\n');
    await rec.waitFor('the normal message', () => rec.frames.length === before + 1);
    expect(rec.frames[before].frame).toBe('<13>normal message after the storm');
  });
});
