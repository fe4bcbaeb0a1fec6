import { Backoff } from './backoff';
import { parseRetryAfter, statusError } from './transport';

describe('Retry-After (RFC 9110 §10.2.3)', () => {
  const now = Date.parse('2026-11-27T01:00:00Z');

  it('reads delay-seconds and HTTP-dates, caps them at an hour, and ignores what it cannot read', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 01:00:30 GMT', now)).toBe(30_000);
    // A date in the past means "now".
    expect(parseRetryAfter('Fri, 27 Nov 2026 00:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('86400', now)).toBe(3_600_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });

  it('a 429 and a 503 both carry their Retry-After into the error the sender backs off on', () => {
    const spec = { method: 'POST', path: '/agent/v1/events' };
    const busy = statusError(spec, { status: 429, headers: { 'retry-after': '3' }, body: Buffer.from('{"error":{"message":"agent x batch: server busy, retry later"}}') });
    expect(busy.status).toBe(429);
    expect(busy.retryAfterMs).toBe(3000);
    expect(busy.message).toBe('POST /agent/v1/events: HTTP 429: agent x batch: server busy, retry later');
    const down = statusError(spec, { status: 503, headers: { 'retry-after': '1' }, body: Buffer.from('storage unavailable') });
    expect(down.retryAfterMs).toBe(1000);
    expect(down.message).toBe('POST /agent/v1/events: HTTP 503: storage unavailable');
  });
});

describe('backoff', () => {
  it('waits at least Retry-After, spread up to twice it, and longer as refusals repeat', () => {
    const low = new Backoff(500, 60_000, () => 0);
    expect(low.next(2000)).toBe(2000);
    const high = new Backoff(500, 60_000, () => 0.999);
    // First attempts: Retry-After plus a jitter capped by the exponential step and by Retry-After itself.
    expect(high.next(2000)).toBe(2499);
    expect(high.next(2000)).toBe(2999);
    expect(high.next(2000)).toBe(3998);
    // Later: the exponential backoff outgrows the Retry-After (cap 32 s at the seventh attempt).
    for (let i = 0; i < 3; i++) high.next(2000);
    expect(high.next(2000)).toBe(31_968);
  });

  it('grows exponentially with full jitter when the server gave no Retry-After', () => {
    const b = new Backoff(500, 60_000, () => 0.5);
    expect([b.next(), b.next(), b.next(), b.next()]).toEqual([250, 500, 1000, 2000]);
    for (let i = 0; i < 20; i++) b.next();
    expect(b.next()).toBe(30_000);
  });
});
