/** Starts a whole socnoc in-process on free loopback ports with a temporary data folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSocnocConfig } from '../../app/config';
import { startSocnoc, type RunningSocnoc, type StartOptions } from '../../app/start';
import { createLogger } from '../../core/logger';
import type { EcsEvent } from '../../core/event';

export const ADMIN_PASSWORD = 'e2e-admin-password-1';

export interface TestSocnoc {
  running: RunningSocnoc;
  dataDir: string;
  baseUrl: string;
  port(listener: string): number;
  login(username: string, password: string): Promise<string>;
  get<T>(path: string, token: string): Promise<{ status: number; body: T }>;
  post<T>(path: string, body: unknown, token?: string): Promise<{ status: number; body: T }>;
  /** Polls the events API until `want` events match `q` (or the timeout), returning the last result. */
  waitForEvents(token: string, q: string, want: number, timeoutMs?: number): Promise<EcsEvent[]>;
  stop(): Promise<void>;
}

export async function startTestSocnoc(raw: Record<string, unknown> = {}, options: StartOptions = {}): Promise<TestSocnoc> {
  const dataDir = mkdtempSync(join(tmpdir(), 'socnoc-e2e-'));
  const config = parseSocnocConfig({
    http: { host: '127.0.0.1', port: 0 },
    log: { level: 'silent' },
    syslog: {
      listeners: [
        { name: 'udp', protocol: 'udp', host: '127.0.0.1', port: 0 },
        { name: 'tcp', protocol: 'tcp', host: '127.0.0.1', port: 0 },
        { name: 'tls', protocol: 'tls', host: '127.0.0.1', port: 0 },
      ],
    },
    netflow: { enabled: false },
    snmp: { traps: { enabled: false }, poller: { enabled: false } },
    // Free ports: several socnocs run side by side in parallel test workers.
    agents: { listen: { host: '127.0.0.1', port: 0 } },
    ...raw,
    dataDir,
  });
  const logger = createLogger('silent');
  const running = await startSocnoc(config, logger, { env: { SOCNOC_ADMIN_PASSWORD: ADMIN_PASSWORD }, ...options });
  const baseUrl = `http://127.0.0.1:${running.http.address().port}`;
  const call = async <T>(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON (metrics)
    }
    return { status: res.status, body: parsed as T };
  };
  const harness: TestSocnoc = {
    running,
    dataDir,
    baseUrl,
    port(listener) {
      const l = running.syslog.listeners().find((x) => x.name === listener);
      if (!l) throw new Error(`no listener ${listener}`);
      return l.address().port;
    },
    async login(username, password) {
      const res = await call<{ token: string }>('POST', '/api/v1/auth/login', undefined, { username, password });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token;
    },
    get: (path, token) => call('GET', path, token),
    post: (path, body, token) => call('POST', path, token, body),
    async waitForEvents(token, q, want, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const res = await call<{ events: EcsEvent[]; total: number }>('GET', `/api/v1/events?limit=1000&q=${encodeURIComponent(q)}`, token);
        if (res.status !== 200) throw new Error(`search ${q}: ${res.status} ${JSON.stringify(res.body)}`);
        if (res.body.events.length >= want || Date.now() > deadline) return res.body.events;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}
