/**
 * Slows password guessing: after too many failed logins from one address (for one username, or in
 * total) further attempts get 429 until the window passes. Keyed by address and username together
 * so an attacker elsewhere cannot lock a user out. In memory: a restart forgets, which is fine for
 * a speed bump in front of a 0.3 s scrypt.
 */

interface Window {
  start: number;
  failures: number;
}

export interface LoginThrottleOptions {
  /** Failures per address and username within the window. */
  maxPerUser?: number;
  /** Failures per address, any username (password spraying). */
  maxPerAddress?: number;
  windowMs?: number;
  now?: () => number;
}

const MAX_TRACKED = 10_000;

export class LoginThrottle {
  private readonly windows = new Map<string, Window>();
  private readonly maxPerUser: number;
  private readonly maxPerAddress: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(options: LoginThrottleOptions = {}) {
    this.maxPerUser = options.maxPerUser ?? 10;
    this.maxPerAddress = options.maxPerAddress ?? 100;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Seconds to wait before trying again, or 0 when the attempt may proceed. */
  retryAfter(address: string, username: string): number {
    const now = this.now();
    return Math.max(this.blockedFor(userKey(address, username), this.maxPerUser, now), this.blockedFor(address, this.maxPerAddress, now));
  }

  failed(address: string, username: string): void {
    const now = this.now();
    if (this.windows.size >= MAX_TRACKED) this.prune(now);
    this.bump(userKey(address, username), now);
    this.bump(address, now);
  }

  succeeded(address: string, username: string): void {
    this.windows.delete(userKey(address, username));
  }

  private blockedFor(key: string, max: number, now: number): number {
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs || w.failures < max) return 0;
    return Math.ceil((w.start + this.windowMs - now) / 1000);
  }

  private bump(key: string, now: number): void {
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) this.windows.set(key, { start: now, failures: 1 });
    else w.failures++;
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
    // Still full of live windows (a flood from many addresses): forget the oldest half.
    if (this.windows.size >= MAX_TRACKED) {
      let drop = this.windows.size / 2;
      for (const key of this.windows.keys()) {
        if (drop-- <= 0) break;
        this.windows.delete(key);
      }
    }
  }
}

function userKey(address: string, username: string): string {
  return `${address}|${username.toLowerCase()}`;
}
