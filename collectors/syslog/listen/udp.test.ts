import { createSocket, type Socket } from 'node:dgram';
import { hostname } from 'node:os';
import { isIpv6Unavailable } from '../../../core/net/listen';
import { FrameRecorder } from './testing/recorder';
import { logger } from './testing/peers';
import { createUdpListener, type UdpListenerOptions, type UdpSyslogListener } from './udp';

const started: UdpSyslogListener[] = [];
const clients: Socket[] = [];

async function startUdpListener(recorder: FrameRecorder, extra: Partial<UdpListenerOptions> = {}): Promise<UdpSyslogListener> {
  const listener = createUdpListener({
    name: 'udp-test',
    host: '127.0.0.1',
    port: 0,
    maxMessageSize: 65536,
    receiveBufferBytes: 1024 * 1024,
    onFrame: recorder.onFrame,
    onError: recorder.onError,
    ...extra,
  });
  await listener.start();
  started.push(listener);
  return listener;
}

function client(type: 'udp4' | 'udp6' = 'udp4'): Socket {
  const socket = createSocket(type);
  clients.push(socket);
  return socket;
}

function send(socket: Socket, payload: Buffer | string, port: number, host = '127.0.0.1'): Promise<void> {
  return new Promise((resolve, reject) => socket.send(payload, port, host, (err) => (err ? reject(err) : resolve())));
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const l of started.splice(0)) await l.stop();
});

describe('UDP listener with util-linux logger', () => {
  it('receives RFC 3164 and RFC 5424 datagrams from logger', async () => {
    const rec = new FrameRecorder();
    const listener = await startUdpListener(rec);
    const { port } = listener.address();
    await logger('127.0.0.1', port, ['--udp', '--rfc3164', '-t', 'sshd', '-p', 'auth.warning', 'Failed password for root from 10.1.2.3 port 4242 ssh2']);
    await logger('127.0.0.1', port, ['--udp', '--rfc5424', '--msgid', 'LOGIN', '--sd-id', 'origin@32473', '--sd-param', 'ip="10.0.0.1"', '-t', 'app', 'đăng nhập thất bại']);
    await rec.waitFor('2 datagrams', () => rec.frames.length === 2);
    const [bsd, ietf] = rec.frames;
    expect(bsd.frame).toMatch(/^<36>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ sshd: Failed password for root from 10\.1\.2\.3 port 4242 ssh2$/);
    expect(ietf.frame).toMatch(/^<13>1 \d{4}-\d\d-\d\dT\S+ \S+ app - LOGIN \[timeQuality [^\]]*\]\[origin@32473 ip="10\.0\.0\.1"\] đăng nhập thất bại$/);
    expect(ietf.frame).toContain(hostname().split('.')[0]);
    expect(bsd.peer).toEqual({ address: '127.0.0.1', port: expect.any(Number), transport: 'udp', listener: 'udp-test' });
    expect(rec.errors).toEqual([]);
  });

  it('listens on IPv6 ::1 and reports the sender address unbracketed', async () => {
    const rec = new FrameRecorder();
    const listener = await startUdpListener(rec, { host: '::1' });
    await logger('::1', listener.address().port, ['--udp', '--rfc3164', '-t', 'v6app', 'over ipv6']);
    await rec.waitFor('1 datagram', () => rec.frames.length === 1);
    expect(rec.frames[0].frame).toMatch(/ v6app: over ipv6$/);
    expect(rec.frames[0].peer.address).toBe('::1');
  });
});

describe.each([
  ['socket read on the main thread', false],
  ['socket read in a receive thread', true],
])('UDP listener datagram handling, %s', (_mode, receiveThread) => {
  const startUdp = (recorder: FrameRecorder, extra: Partial<UdpListenerOptions> = {}) => startUdpListener(recorder, { receiveThread, ...extra });

  it('strips trailing LF/CR/NUL, keeps one datagram as one message, and counts empty ones', async () => {
    const rec = new FrameRecorder();
    const listener = await startUdp(rec);
    const { port } = listener.address();
    const c = client();
    await send(c, '<13>one\n', port);
    await send(c, '<13>two\r\n\0', port);
    await send(c, '<13>first line\n<13>second line\n', port);
    await send(c, '\n', port);
    await rec.waitFor('3 frames and 1 error', () => rec.frames.length === 3 && rec.errors.length === 1);
    expect(rec.texts()).toEqual(['<13>one', '<13>two', '<13>first line\n<13>second line']);
    expect(rec.errors[0].reason).toBe('empty_datagram');
  });

  it('truncates a datagram longer than maxMessageSize on a character boundary and counts it', async () => {
    const rec = new FrameRecorder();
    const listener = await startUdp(rec, { maxMessageSize: 600 });
    const body = '<13>' + 'é'.repeat(400); // 804 bytes
    await send(client(), body, listener.address().port);
    await rec.waitFor('1 frame', () => rec.frames.length === 1);
    expect(rec.frames[0].frame).toBe('<13>' + 'é'.repeat(298));
    expect(rec.errors.map((e) => e.reason)).toEqual(['frame_truncated']);
    expect(rec.errors[0].detail).toMatch(/^syslog udp 127\.0\.0\.1:\d+: datagram of 804 bytes longer than max 600, truncated$/);
  });

  it('counts a message as dropped (queue_full) when the handler refuses it, and survives a throwing handler', async () => {
    const rec = new FrameRecorder();
    let calls = 0;
    const listener = await startUdp(rec, {
      onFrame: (frame, peer) => {
        calls++;
        if (frame.includes('refuse')) return false;
        if (frame.includes('throw')) throw new Error('parser bug');
        return rec.onFrame(frame, peer);
      },
    });
    const { port } = listener.address();
    const c = client();
    for (const text of ['<13>refuse 1', '<13>throw', '<13>refuse 2', '<13>kept']) await send(c, text, port);
    await rec.waitFor('all 4 handled', () => calls === 4);
    expect(rec.texts()).toEqual(['<13>kept']);
    expect(rec.errors.map((e) => e.reason).sort()).toEqual(['handler_error', 'queue_full', 'queue_full']);
    expect(rec.errors.find((e) => e.reason === 'handler_error')?.detail).toContain('frame handler threw: parser bug');
  });

  it('reports the receive buffer the kernel granted and warns with the sysctl when it is less than requested', async () => {
    const warnings: string[] = [];
    const log = { info: () => undefined, warn: (m: string) => warnings.push(m) };
    const rec = new FrameRecorder();
    const small = await startUdp(rec, { receiveBufferBytes: 64 * 1024, logger: log });
    // Linux grants twice the request (bookkeeping overhead) when under net.core.rmem_max.
    expect(small.getRecvBufferSize()).toBeGreaterThanOrEqual(64 * 1024);
    expect(warnings).toEqual([]);
    const huge = 1024 * 1024 * 1024;
    const capped = await startUdp(rec, { receiveBufferBytes: huge, logger: log });
    expect(capped.getRecvBufferSize()).toBeLessThan(huge);
    expect(capped.getRecvBufferSize()).toBeGreaterThan(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`sysctl -w net.core.rmem_max=${huge}`);
    expect(warnings[0]).toContain(`UDP receive buffer is ${capped.getRecvBufferSize()} bytes`);
  });

  it('survives thousands of random datagrams with exact counts, then still delivers a normal message', async () => {
    const rec = new FrameRecorder();
    const max = 1024;
    const listener = await startUdp(rec, { maxMessageSize: max, receiveBufferBytes: 8 * 1024 * 1024 });
    const { port } = listener.address();
    const c = client();
    let seed = 7;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 4294967296;
    };
    let expectedFrames = 0;
    let expectedEmpty = 0;
    let expectedTruncated = 0;
    const total = 4000;
    for (let i = 0; i < total; i++) {
      const kind = rnd();
      const size = kind < 0.05 ? 0 : kind < 0.15 ? max + 1 + Math.floor(rnd() * 2000) : Math.floor(rnd() * 1200);
      const d = Buffer.alloc(size);
      for (let j = 0; j < size; j++) d[j] = rnd() < 0.1 ? 0x0a : Math.floor(rnd() * 256);
      let end = size;
      while (end > 0 && (d[end - 1] === 0x0a || d[end - 1] === 0x0d || d[end - 1] === 0)) end--;
      if (end > max) expectedTruncated++;
      // After truncation a frame can still be empty only if it was all terminators: not the case
      // here since those bytes were stripped first.
      if (end === 0) expectedEmpty++;
      else expectedFrames++;
      await send(c, d, port);
      // Pace the sender so the kernel buffer never overflows: the counts must be exact.
      if (i % 200 === 199) await rec.waitFor(`datagram ${i + 1}`, () => rec.frames.length + rec.errorCount('empty_datagram') === i + 1);
    }
    await send(c, '<13>still alive', port);
    await rec.waitFor('the normal message', () => rec.frames.length === expectedFrames + 1);
    expect(rec.frames[rec.frames.length - 1].frame).toBe('<13>still alive');
    expect(rec.errorCount('empty_datagram')).toBe(expectedEmpty);
    expect(rec.errorCount('frame_truncated')).toBe(expectedTruncated);
    expect(rec.errors.length).toBe(expectedEmpty + expectedTruncated);
    for (const f of rec.frames) expect(Buffer.byteLength(f.frame)).toBeLessThanOrEqual(max * 3);
  });
});

function busyWait(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // holds the main thread, as encoding a large batch for the store or a long GC pause does
  }
}

describe('UDP listener with a receive thread', () => {
  it('loses nothing while the main thread is held, where the socket read on the main thread overflows the kernel buffer', async () => {
    const burst = 3000;
    const payload = (i: number): string => `<13>Mar  4 10:15:32 host app: message ${i} ` + 'x'.repeat(200);
    const delivered: number[] = [];
    for (const receiveThread of [false, true]) {
      const rec = new FrameRecorder();
      // 1 MiB asked (2 MiB granted): ~1,700 datagrams of this size in the kernel's accounting.
      const listener = await startUdpListener(rec, { receiveThread, receiveBufferBytes: 1024 * 1024 });
      const c = client();
      // Connected, so each send goes out at once (an addressed send waits for a lookup on a later tick).
      await new Promise<void>((resolve) => c.connect(listener.address().port, '127.0.0.1', resolve));
      // The whole burst while this thread never yields, as a long batch encode or GC pause holds it.
      for (let i = 0; i < burst; i++) {
        c.send(payload(i));
        if (i % 50 === 49) busyWait(15);
      }
      busyWait(100);
      await rec.waitFor('the burst to settle', () => rec.frames.length > 0);
      await new Promise((r) => setTimeout(r, 300));
      delivered.push(rec.frames.length);
      if (receiveThread) {
        expect(rec.frames.map((f) => f.frame)).toEqual(Array.from({ length: burst }, (_, i) => payload(i)));
        expect(rec.errors).toEqual([]);
      }
    }
    expect(delivered[0]).toBeLessThan(burst);
    expect(delivered[1]).toBe(burst);
  });

  it('drops beyond its in-flight bound and reports how many, and keeps serving', async () => {
    const rec = new FrameRecorder();
    const listener = await startUdpListener(rec, { receiveThread: true, receiveThreadMaxBytes: 16 * 1024, receiveBufferBytes: 4 * 1024 * 1024 });
    const c = client();
    await new Promise<void>((resolve) => c.connect(listener.address().port, '127.0.0.1', resolve));
    const sent = 600;
    const payload = '<13>held ' + 'y'.repeat(300);
    // Sent while this thread never acknowledges: the receive thread holds 16 KiB and drops the rest.
    for (let i = 0; i < sent; i++) {
      c.send(payload);
      if (i % 50 === 49) busyWait(15);
    }
    busyWait(100);
    await rec.waitFor('the held batches', () => rec.frames.length > 0);
    await new Promise((r) => setTimeout(r, 100));
    // Once the held bytes are acknowledged the thread takes datagrams again; a drop count travels with
    // the next batch.
    c.send('<13>after the drops');
    await rec.waitFor('the next message', () => rec.frames.some((f) => f.frame === '<13>after the drops'));
    expect(rec.frames.length - 1 + rec.errorCount('receive_thread_full')).toBe(sent);
    expect(rec.errorCount('receive_thread_full')).toBeGreaterThan(sent / 2);
    expect(rec.errors.every((e) => e.reason === 'receive_thread_full' && /receive thread full, \d+ datagrams dropped/.test(e.detail))).toBe(true);
  });

  it('hands over what the thread holds on stop, and names the listener when the port is taken', async () => {
    const rec = new FrameRecorder();
    const listener = createUdpListener({ name: 'udp-stop', host: '127.0.0.1', port: 0, receiveThread: true, onFrame: rec.onFrame, onError: rec.onError });
    await listener.start();
    const { port } = listener.address();
    const taken = createUdpListener({ name: 'dup', host: '127.0.0.1', port, receiveThread: true, onFrame: rec.onFrame, onError: rec.onError });
    await expect(taken.start()).rejects.toThrow(/syslog udp listener "dup" on 127\.0\.0\.1:\d+: cannot bind: .*EADDRINUSE/);
    const c = client();
    for (let i = 0; i < 50; i++) await send(c, `<13>before stop ${i}`, port);
    await new Promise((r) => setTimeout(r, 100));
    await listener.stop();
    expect(rec.frames).toHaveLength(50);
    expect(listener.getRecvBufferSize()).toBe(0);
  });
});

describe('bind fallback', () => {
  it('treats only address-family errors on :: as "IPv6 unavailable"', () => {
    const err = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });
    expect(isIpv6Unavailable('::', err('EAFNOSUPPORT'))).toBe(true);
    expect(isIpv6Unavailable('::', err('EADDRNOTAVAIL'))).toBe(true);
    expect(isIpv6Unavailable('::', err('EADDRINUSE'))).toBe(false);
    expect(isIpv6Unavailable('127.0.0.1', err('EAFNOSUPPORT'))).toBe(false);
  });

  it('names the listener and address when the port is taken', async () => {
    const rec = new FrameRecorder();
    const first = await startUdpListener(rec);
    const second = createUdpListener({ name: 'dup', host: '127.0.0.1', port: first.address().port, onFrame: rec.onFrame, onError: rec.onError });
    await expect(second.start()).rejects.toThrow(/^syslog udp listener "dup" on 127\.0\.0\.1:\d+: cannot bind: .*EADDRINUSE/);
  });
});
