import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTlsListener, type TlsListenerOptions } from './tls';
import type { StreamSyslogListener } from './stream-listener';
import { CLIENT_CN, makeTestPki, type TestPki } from './testing/certs';
import { FrameRecorder, waitUntil } from './testing/recorder';
import { requireBinary, run } from './testing/peers';

let pki: TestPki;
let dir: string;
const started: StreamSyslogListener[] = [];

beforeAll(async () => {
  pki = await makeTestPki();
  dir = mkdtempSync(join(tmpdir(), 'socnoc-tls-'));
  for (const [name, pem] of Object.entries(pki)) writeFileSync(join(dir, `${name}.pem`), pem);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

afterEach(async () => {
  for (const l of started.splice(0)) await l.stop();
});

async function startTls(rec: FrameRecorder, extra: Partial<TlsListenerOptions> = {}): Promise<StreamSyslogListener> {
  const listener = createTlsListener({
    name: 'tls-test',
    host: '127.0.0.1',
    port: 0,
    cert: pki.serverCert,
    key: pki.serverKey,
    requireClientCert: false,
    onFrame: rec.onFrame,
    onError: rec.onError,
    ...extra,
  });
  await listener.start();
  started.push(listener);
  return listener;
}

/** Connects, sends `data`, ends; resolves with how the client saw it ('sent' or the error). */
function tlsSend(port: number, data: string, options: ConnectionOptions = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket: TLSSocket = tlsConnect({ host: '127.0.0.1', port, ca: pki.caCert, servername: 'localhost', ...options });
    let result = 'closed before handshake';
    socket.on('secureConnect', () => {
      result = 'sent';
      socket.end(data);
    });
    socket.on('error', (err) => {
      result = `error: ${err.message}`;
    });
    socket.on('close', () => resolve(result));
    socket.resume(); // the listener never writes, but drain any alert
  });
}

const pem = (name: keyof TestPki): string => join(dir, `${name}.pem`);

describe('TLS listener', () => {
  it('receives octet-counted and LF frames from a node TLS client verifying the server', async () => {
    const rec = new FrameRecorder();
    const { port } = (await startTls(rec)).address();
    const msg = '<165>1 2026-11-27T02:15:19.968449+07:00 fw01.hn.gov.vn asa 7 ASA-6-302013 - Built inbound TCP connection';
    expect(await tlsSend(port, `${Buffer.byteLength(msg)} ${msg}<13>lf framed\n`)).toBe('sent');
    await rec.waitFor('2 frames', () => rec.frames.length === 2);
    expect(rec.texts()).toEqual([msg, '<13>lf framed']);
    expect(rec.frames[0].peer).toEqual({ address: '127.0.0.1', port: expect.any(Number), transport: 'tls', listener: 'tls-test' });
    expect(rec.errors).toEqual([]);
  });

  it('receives a message sent with openssl s_client', async () => {
    const openssl = requireBinary('openssl', 'openssl');
    const rec = new FrameRecorder();
    const { port } = (await startTls(rec)).address();
    await run(openssl, ['s_client', '-connect', `127.0.0.1:${port}`, '-CAfile', pem('caCert'), '-verify_return_error', '-quiet', '-no_ign_eof'], '<14>Nov 27 02:15:13 host app: via openssl\n');
    await rec.waitFor('1 frame', () => rec.frames.length === 1);
    expect(rec.texts()).toEqual(['<14>Nov 27 02:15:13 host app: via openssl']);
  });

  it('refuses TLS 1.1 and plaintext, counting each handshake failure without throwing', async () => {
    const openssl = requireBinary('openssl', 'openssl');
    const rec = new FrameRecorder();
    const listener = await startTls(rec);
    const { port } = listener.address();
    await expect(
      run(openssl, ['s_client', '-connect', `127.0.0.1:${port}`, '-tls1_1', '-cipher', 'DEFAULT:@SECLEVEL=0', '-quiet', '-no_ign_eof'], '<13>old tls\n'),
    ).rejects.toThrow();
    await new Promise<void>((resolve) => {
      const plain = tcpConnect(port, '127.0.0.1', () => plain.end('<13>plaintext on the TLS port\n'));
      plain.on('error', () => undefined);
      plain.on('close', () => resolve());
    });
    await rec.waitFor('2 handshake failures', () => rec.errorCount('tls_handshake_failed') === 2);
    for (const e of rec.errors) expect(e.detail).toMatch(/^syslog tls listener "tls-test" on 127\.0\.0\.1:\d+: tls handshake failed from 127\.0\.0\.1:\d+: \S/);
    expect(rec.errors[0].detail).toMatch(/unsupported protocol|version/i);
    expect(rec.frames).toEqual([]);
    // Still serving.
    expect(await tlsSend(port, '<13>after\n')).toBe('sent');
    await rec.waitFor('1 frame', () => rec.frames.length === 1);
  });

  it('drops a client that never finishes the handshake after handshakeTimeoutMs', async () => {
    const rec = new FrameRecorder();
    const { port } = (await startTls(rec, { handshakeTimeoutMs: 200 })).address();
    const silent = tcpConnect(port, '127.0.0.1');
    silent.on('error', () => undefined);
    await new Promise<void>((resolve) => silent.on('close', () => resolve()));
    expect(rec.errors.map((e) => e.reason)).toEqual(['tls_handshake_failed']);
    expect(rec.errors[0].detail).toMatch(/timeout/i);
  });

  describe('with requireClientCert', () => {
    it('accepts a CA-signed client certificate and passes its subject CN', async () => {
      const rec = new FrameRecorder();
      const { port } = (await startTls(rec, { requireClientCert: true, ca: pki.caCert })).address();
      expect(await tlsSend(port, '<13>from a known device\n', { cert: pki.clientCert, key: pki.clientKey })).toBe('sent');
      await rec.waitFor('1 frame', () => rec.frames.length === 1);
      expect(rec.frames[0].peer.clientCertSubject).toBe(CLIENT_CN);
      expect(rec.errors).toEqual([]);
    });

    it('accepts openssl s_client presenting the CA-signed certificate', async () => {
      const openssl = requireBinary('openssl', 'openssl');
      const rec = new FrameRecorder();
      const { port } = (await startTls(rec, { requireClientCert: true, ca: pki.caCert })).address();
      await run(
        openssl,
        ['s_client', '-connect', `127.0.0.1:${port}`, '-CAfile', pem('caCert'), '-cert', pem('clientCert'), '-key', pem('clientKey'), '-quiet', '-no_ign_eof'],
        '<13>openssl with client cert\n',
      );
      await rec.waitFor('1 frame', () => rec.frames.length === 1);
      expect(rec.frames[0]).toEqual({
        frame: '<13>openssl with client cert',
        peer: { address: '127.0.0.1', port: expect.any(Number), transport: 'tls', listener: 'tls-test', clientCertSubject: CLIENT_CN },
      });
    });

    it('rejects and counts a client without a certificate and one whose certificate chains to another CA', async () => {
      const rec = new FrameRecorder();
      const listener = await startTls(rec, { requireClientCert: true, ca: pki.caCert });
      const { port } = listener.address();
      const noCert = await tlsSend(port, '<13>anonymous\n');
      const stranger = await tlsSend(port, '<13>stranger\n', { cert: pki.strangerCert, key: pki.strangerKey });
      // TLS 1.3 clients may finish their side before the server's alert arrives; either way nothing is accepted.
      for (const outcome of [noCert, stranger]) expect(outcome).toMatch(/^(error: |sent|closed before handshake)/);
      await rec.waitFor('2 handshake failures', () => rec.errorCount('tls_handshake_failed') === 2);
      expect(rec.errors[0].detail).toMatch(/: tls handshake failed from 127\.0\.0\.1:\d+: client certificate required but none was presented$/);
      expect(rec.errors[1].detail).toMatch(/: tls handshake failed from 127\.0\.0\.1:\d+: client certificate CN=stranger rejected: DEPTH_ZERO_SELF_SIGNED_CERT$/);
      await waitUntil('no connection kept', () => listener.stats().connections === 0);
      expect(rec.frames).toEqual([]);
      expect(listener.stats().accepted).toBe(0);
    });

    it('refuses to start without a CA to verify clients against', () => {
      expect(() =>
        createTlsListener({ name: 'nocat', host: '127.0.0.1', port: 0, cert: pki.serverCert, key: pki.serverKey, requireClientCert: true, onFrame: () => true, onError: () => undefined }),
      ).toThrow('syslog tls listener "nocat": requireClientCert needs a ca bundle to verify client certificates');
    });
  });

  it('names the listener when the key does not fit', () => {
    expect(() =>
      createTlsListener({ name: 'badkey', host: '127.0.0.1', port: 0, cert: pki.serverCert, key: 'not a key', requireClientCert: false, onFrame: () => true, onError: () => undefined }),
    ).toThrow(/^syslog tls listener "badkey": invalid certificate, key or CA: /);
  });
});
