/**
 * A real socnoc HTTP server on 127.0.0.1:0 with a fresh auth database, a set of users in two
 * agencies and a log captured in memory, for the route tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Counter, Registry } from 'prom-client';
import { createLogger } from '../../logger';
import type { CoreConfig } from '../../config';
import type { EcsEvent } from '../../event';
import { openSqlite, type SqliteDb } from '../../store/sqlite';
import type { EventStore } from '../../store/event-store';
import { TokenStore } from '../../auth/tokens';
import { UserStore } from '../../auth/users';
import { createHttpApp } from '../app';
import type { HttpAppDeps, HttpModule } from '../deps';
import { startHttpServer, type RunningHttpServer } from '../server';
import { FakeEventStore } from './fake-event-store';

export const PASSWORDS = {
  admin: 'Admin-pass-2025!',
  'analyst.hn': 'HaNoi-analyst-1',
  'analyst.dn': 'DaNang-analyst-1',
  'noc.hn': 'Noc-operator-hn1',
  auditor: 'Auditor-read-only',
} as const;
export type TestUser = keyof typeof PASSWORDS;

export function sampleEvents(): EcsEvent[] {
  return JSON.parse(readFileSync(join(__dirname, 'events.json'), 'utf8')) as EcsEvent[];
}

export interface HarnessOptions {
  events?: EventStore;
  http?: Partial<CoreConfig['http']>;
  agencies?: CoreConfig['agencies'];
  modules?: HttpModule[];
  bodyLimitBytes?: number;
  /** Records mutating requests (core/http/audit-trail.ts). */
  audit?: HttpAppDeps['audit'];
}

export interface Harness {
  base: string;
  db: SqliteDb;
  users: UserStore;
  tokens: TokenStore;
  events: EventStore;
  metrics: Registry;
  /** Log lines written so far. */
  log(): string;
  /** Moves the token store's clock. */
  advance(ms: number): void;
  login(user: TestUser): Promise<{ token: string; cookie: string; response: Response }>;
  get(path: string, auth?: { token?: string; cookie?: string }): Promise<Response>;
  send(method: string, path: string, body: unknown, auth?: { token?: string; cookie?: string }): Promise<Response>;
  close(): Promise<void>;
}

const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const db = openSqlite(':memory:');
  const users = new UserStore(db, { scrypt: FAST_SCRYPT });
  let offset = 0;
  const http: CoreConfig['http'] = { host: '127.0.0.1', port: 0, sessionTtlMinutes: 60, secureCookies: false, metricsPublic: false, ...options.http };
  const tokens = new TokenStore(db, users, { sessionTtlMs: http.sessionTtlMinutes * 60_000, now: () => Date.now() + offset });
  await users.create('admin', PASSWORDS.admin, 'admin');
  await users.create('analyst.hn', PASSWORDS['analyst.hn'], 'soc_analyst', ['hanoi-doh']);
  await users.create('analyst.dn', PASSWORDS['analyst.dn'], 'soc_analyst', ['danang-dof']);
  await users.create('noc.hn', PASSWORDS['noc.hn'], 'noc_operator', ['hanoi-doh']);
  await users.create('auditor', PASSWORDS.auditor, 'auditor', ['hanoi-doh', 'danang-dof']);

  let events = options.events;
  if (!events) {
    const fake = new FakeEventStore();
    await fake.append(sampleEvents());
    events = fake;
  }
  const metrics = new Registry();
  new Counter({ name: 'socnoc_test_requests_total', help: 'test counter', registers: [metrics] }).inc(3);

  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger('debug', sink);
  const app = createHttpApp({
    config: { http, agencies: options.agencies ?? [] },
    users,
    tokens,
    events,
    metrics,
    logger,
    modules: options.modules,
    version: '0.1.0-test',
    bodyLimitBytes: options.bodyLimitBytes,
    audit: options.audit,
  });
  const server: RunningHttpServer = await startHttpServer(app, '127.0.0.1', 0);
  const base = `http://127.0.0.1:${server.address().port}`;

  const headersFor = (auth?: { token?: string; cookie?: string }): Record<string, string> => {
    const h: Record<string, string> = {};
    if (auth?.token) h.authorization = `Bearer ${auth.token}`;
    if (auth?.cookie) h.cookie = auth.cookie;
    return h;
  };

  const harness: Harness = {
    base,
    db,
    users,
    tokens,
    events,
    metrics,
    log: () => chunks.join(''),
    advance: (ms) => {
      offset += ms;
    },
    async login(user) {
      const response = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: user, password: PASSWORDS[user] }),
      });
      if (response.status !== 200) throw new Error(`login ${user}: ${response.status} ${await response.text()}`);
      const body = (await response.json()) as { token: string };
      const setCookie = response.headers.get('set-cookie') ?? '';
      return { token: body.token, cookie: setCookie.split(';')[0], response };
    },
    get: (path, auth) => fetch(base + path, { headers: headersFor(auth) }),
    send: (method, path, body, auth) =>
      fetch(base + path, {
        method,
        headers: { ...headersFor(auth), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async close() {
      await server.close();
      db.close();
    },
  };
  return harness;
}
