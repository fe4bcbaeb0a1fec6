import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SyslogFramer, decodeFrame, utf8BoundaryBefore, type FrameOutput, type FramingErrorReason } from './framing';

class Collected implements FrameOutput {
  frames: string[] = [];
  errors: Array<{ reason: FramingErrorReason; detail: string }> = [];
  frame(text: string): void {
    this.frames.push(text);
  }
  frameError(reason: FramingErrorReason, detail: string): void {
    this.errors.push({ reason, detail });
  }
}

/** Feeds `chunks` to a fresh framer and ends the stream. */
function deframe(chunks: Buffer[], max = 65536, end = true): Collected & { ok: boolean } {
  const framer = new SyslogFramer(max);
  const out = new Collected();
  let ok = true;
  for (const chunk of chunks) if (ok) ok = framer.push(chunk, out);
  if (ok && end) framer.end(out);
  return Object.assign(out, { ok });
}

/** Every way to cut `bytes` into two chunks, plus one byte at a time. */
function* chunkings(bytes: Buffer): Generator<Buffer[]> {
  yield [bytes];
  for (let i = 1; i < bytes.length; i++) yield [bytes.subarray(0, i), bytes.subarray(i)];
  const single: Buffer[] = [];
  for (let i = 0; i < bytes.length; i++) single.push(bytes.subarray(i, i + 1));
  yield single;
}

function expectSameAtEverySplit(bytes: Buffer, expected: string[], max = 65536): void {
  for (const chunks of chunkings(bytes)) {
    const out = deframe(chunks, max);
    expect({ cut: chunks[0].length, frames: out.frames }).toEqual({ cut: chunks[0].length, frames: expected });
    expect(out.errors).toEqual([]);
  }
}

const testdata = (name: string): Buffer => readFileSync(join(__dirname, 'testdata', name));

describe('SyslogFramer on real sender streams', () => {
  it('de-frames util-linux logger LF framing (RFC 3164 then RFC 5424 with UTF-8) at every split point', () => {
    expectSameAtEverySplit(testdata('logger-tcp-lf.bin'), [
      '<38>Nov 27 02:15:13 vm sshd: Accepted password for admin from 10.1.2.3 port 51514 ssh2',
      '<132>1 2026-11-27T02:15:13.412036+00:00 vm app - LOGIN [timeQuality tzKnown="1" isSynced="0"][origin@32473 ip="10.0.0.1"] Đăng nhập thất bại cho người dùng admin',
    ]);
  });

  it('de-frames util-linux logger --octet-count frames at every split point', () => {
    expectSameAtEverySplit(testdata('logger-tcp-octet.bin'), [
      '<13>1 2026-11-27T02:15:14.522270+00:00 vm app - - [timeQuality tzKnown="1" isSynced="0"] msg one',
      '<11>Nov 27 02:15:14 vm kernel: eth0: link down',
    ]);
  });

  it('strips the LF rsyslog SyslogProtocol23Format puts inside octet-counted frames', () => {
    const login = '<132>1 2026-11-27T02:15:19.968449+00:00 vm app - LOGIN [timeQuality tzKnown="1" isSynced="0"][origin@32473 ip="10.0.0.1"] login failed for admin';
    const sshd = '<38>1 2026-11-27T02:15:19+00:00 vm sshd - - -  Accepted password for admin from 10.1.2.3 port 51514 ssh2';
    expectSameAtEverySplit(testdata('rsyslog-protocol23-octet.bin'), [
      login,
      sshd,
      login.replace('02:15:19.968449', '02:15:29.635468'),
      sshd.replace('02:15:19', '02:15:29'),
    ]);
  });

  it('de-frames rsyslog ForwardFormat LF frames at every split point', () => {
    expectSameAtEverySplit(testdata('rsyslog-forwardformat-lf.bin'), [
      '<132>2026-11-27T02:15:36.290393+00:00 vm app login failed for admin',
      '<38>2026-11-27T02:15:36+00:00 vm sshd: Accepted password for admin from 10.1.2.3 port 51514 ssh2',
    ]);
  });
});

describe('SyslogFramer terminators and framing detection', () => {
  it('accepts CRLF and NUL terminators and skips empty lines between frames', () => {
    const bytes = Buffer.from('<13>one\r\n\n<13>two\0<13>three\r\n\r\n\0<13>four\n', 'latin1');
    expectSameAtEverySplit(bytes, ['<13>one', '<13>two', '<13>three', '<13>four']);
  });

  it('re-checks framing per frame: octet-counted and LF frames mixed on one connection', () => {
    const bytes = Buffer.from('11 <13>octet A<13>line B\n12 <13>octet C\n<13>line D\n', 'latin1');
    expectSameAtEverySplit(bytes, ['<13>octet A', '<13>line B', '<13>octet C', '<13>line D']);
  });

  it('reads digits not followed by SP as the start of an LF frame (raw lines starting with a date)', () => {
    const bytes = Buffer.from('2024-05-01 12:00:00 fw01 denied tcp\n7 <13>ok\n', 'latin1');
    expectSameAtEverySplit(bytes, ['2024-05-01 12:00:00 fw01 denied tcp', '<13>ok']);
  });

  it('keeps LF and NUL bytes that sit inside an octet-counted frame', () => {
    const body = '<13>multi\nline\0end';
    const bytes = Buffer.from(`${Buffer.byteLength(body)} ${body}`, 'latin1');
    expectSameAtEverySplit(bytes, ['<13>multi\nline\0end']);
  });

  it('counts octets as bytes, not characters, for UTF-8 messages', () => {
    const body = '<14>Cảnh báo: đăng nhập sai';
    const bytes = Buffer.concat([Buffer.from(`${Buffer.byteLength(body)} `), Buffer.from(body), Buffer.from('<14>next\n')]);
    expectSameAtEverySplit(bytes, [body, '<14>next']);
  });

  it('hands over an unterminated last LF frame when the stream ends', () => {
    const out = deframe([Buffer.from('<13>a\n<13>no newline at end')]);
    expect(out.frames).toEqual(['<13>a', '<13>no newline at end']);
  });

  it('reports a stream that ends inside an octet-counted frame', () => {
    const out = deframe([Buffer.from('20 <13>short')]);
    expect(out.frames).toEqual([]);
    expect(out.errors).toEqual([{ reason: 'incomplete_frame', detail: 'stream ended inside an octet-counted frame (9 of 20 bytes)' }]);
  });

  it('delivers many frames from one chunk in order', () => {
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) lines.push(`<134>1 2026-11-27T02:15:19Z fw01 app - - - seq=${i}`);
    const octet = Buffer.from(lines.map((l) => `${Buffer.byteLength(l)} ${l}`).join(''));
    const lf = Buffer.from(lines.join('\n') + '\n');
    expect(deframe([octet]).frames).toEqual(lines);
    expect(deframe([lf]).frames).toEqual(lines);
  });
});

describe('SyslogFramer size limits', () => {
  it('fails on an octet count above the maximum and ignores later input', () => {
    const framer = new SyslogFramer(65536);
    const out = new Collected();
    expect(framer.push(Buffer.from('5 <13>a9999999 <13>huge'), out)).toBe(false);
    expect(out.frames).toEqual(['<13>a']);
    expect(out.errors).toEqual([{ reason: 'frame_too_large', detail: 'frame length 9999999 exceeds max 65536' }]);
    expect(framer.failed).toBe(true);
    expect(framer.push(Buffer.from('5 <13>b'), out)).toBe(false);
    expect(out.frames).toEqual(['<13>a']);
  });

  it('fails on an endless run of digits without waiting for a space', () => {
    const out = deframe([Buffer.from('1'.repeat(5000))]);
    expect(out.ok).toBe(false);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0].reason).toBe('frame_too_large');
    expect(out.errors[0].detail).toBe('frame length 11111111111... exceeds max 65536');
  });

  it('accepts an octet-counted frame of exactly the maximum', () => {
    const body = '<13>' + 'x'.repeat(996);
    const out = deframe([Buffer.from(`1000 ${body}`)], 1000);
    expect(out.frames).toEqual([body]);
    expect(out.errors).toEqual([]);
  });

  it('truncates an LF frame longer than the maximum, counts it, and resyncs at the next LF', () => {
    const long = '<13>' + 'a'.repeat(2000);
    const bytes = Buffer.from(`<13>before\n${long}\n<13>after\n`);
    for (const chunks of chunkings(bytes)) {
      const framer = new SyslogFramer(500);
      const out = new Collected();
      for (const c of chunks) expect(framer.push(c, out)).toBe(true);
      framer.end(out);
      expect(out.frames).toEqual(['<13>before', long.slice(0, 500), '<13>after']);
      expect(out.errors).toEqual([{ reason: 'frame_truncated', detail: 'frame longer than max 500 bytes, truncated' }]);
      expect(framer.truncatedFrames).toBe(1);
    }
  });

  it('truncates on a UTF-8 character boundary', () => {
    // 'ả' is 3 bytes: the 500-byte cut would fall inside one.
    const long = '<13>' + 'ả'.repeat(400);
    const out = deframe([Buffer.from(long + '\n<13>next\n')], 500);
    expect(out.frames[0]).toBe('<13>' + 'ả'.repeat(165));
    expect(out.frames[1]).toBe('<13>next');
  });
});

describe('SyslogFramer against random input', () => {
  /** Deterministic generator so a failure can be replayed. */
  function lcg(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 4294967296;
    };
  }

  it('gives the same frames and errors however a random stream is chunked, and never throws', () => {
    const rnd = lcg(42);
    const alphabet = Buffer.from('0123456789  <>\n\n\r\0abc\xff\xc3', 'latin1');
    for (let round = 0; round < 300; round++) {
      const bytes = Buffer.alloc(Math.floor(rnd() * 3000));
      for (let i = 0; i < bytes.length; i++) bytes[i] = rnd() < 0.5 ? alphabet[Math.floor(rnd() * alphabet.length)] : Math.floor(rnd() * 256);
      const whole = deframe([bytes], 700);
      const chunks: Buffer[] = [];
      for (let pos = 0; pos < bytes.length; ) {
        const size = 1 + Math.floor(rnd() * 64);
        chunks.push(bytes.subarray(pos, pos + size));
        pos += size;
      }
      const pieces = deframe(chunks, 700);
      expect(pieces.frames).toEqual(whole.frames);
      expect(pieces.errors).toEqual(whole.errors);
      for (const f of whole.frames) expect(Buffer.byteLength(f)).toBeLessThanOrEqual(700 * 3);
    }
  });
});

describe('frame helpers', () => {
  it('decodeFrame strips trailing CR, LF and NUL only', () => {
    const b = Buffer.from(' x \r\n\0\n');
    expect(decodeFrame(b, 0, b.length)).toBe(' x ');
    expect(decodeFrame(Buffer.from('\r\n'), 0, 2)).toBe('');
  });

  it('utf8BoundaryBefore steps back over continuation bytes', () => {
    const b = Buffer.from('aé€😀b');
    // offsets: a=0, é=1-2, €=3-5, 😀=6-9, b=10
    expect(utf8BoundaryBefore(b, 0, 2)).toBe(1);
    expect(utf8BoundaryBefore(b, 0, 5)).toBe(3);
    expect(utf8BoundaryBefore(b, 0, 9)).toBe(6);
    expect(utf8BoundaryBefore(b, 0, 10)).toBe(10);
  });
});
