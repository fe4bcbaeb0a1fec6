import { Server } from 'node:net';
import { Writable } from 'node:stream';
import type { Router } from 'express';
import { z } from 'zod';
import { createLogger } from '../logger';
import { grantPermission } from '../auth/roles';
import { requirePermission } from './authenticate';
import type { HttpModule } from './deps';
import type { OpenApiRegistry } from './openapi';
import { defineRoute } from './route';
import { startHttpServer } from './server';
import { PASSWORDS, startHarness, type Harness } from './testdata/harness';

grantPermission('widgets:read', ['noc_operator']);

/** A capability the way alerts or devices will plug in. */
const widgets: HttpModule = {
  name: 'widgets',
  register(router: Router, api: OpenApiRegistry) {
    defineRoute(router, api, {
      method: 'get',
      path: '/widgets/:id',
      summary: 'One widget',
      tags: ['widgets'],
      permission: 'widgets:read',
      params: z.object({ id: z.string().regex(/^w-\d+$/) }),
      query: z.object({ verbose: z.enum(['yes', 'no']).optional().describe('more detail') }),
      responses: { 200: { description: 'the widget', schema: z.object({ id: z.string(), agencies: z.unknown() }) } },
      handler: ({ params, principal }) => ({ id: params.id, agencies: principal.agencies }),
    });
    router.get('/widgets-broken', () => {
      throw new Error('sqlite: cannot open /var/lib/socnoc/db (password=hunter2)');
    });
  },
};

type ErrorBody = { error: { code: string; message: string; requestId?: string } };

describe('HTTP framework', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ modules: [widgets], bodyLimitBytes: 2048 });
  });
  afterAll(async () => {
    await h.close();
  });

  it('publishes an OpenAPI 3.1 document with every route, its parameters and response shapes', async () => {
    const doc = (await (await h.get('/api/v1/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown[]; parameters: Array<{ name: string; in: string; required: boolean }>; responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>; requestBody?: unknown }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    const routes = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(routes.sort()).toEqual(
      [
        'GET /metrics',
        'GET /api/v1/health',
        'GET /api/v1/openapi.json',
        'POST /api/v1/auth/login',
        'POST /api/v1/auth/logout',
        'GET /api/v1/auth/me',
        'POST /api/v1/auth/password',
        'GET /api/v1/events',
        'GET /api/v1/events/histogram',
        'GET /api/v1/events/top',
        'GET /api/v1/users',
        'POST /api/v1/users',
        'GET /api/v1/users/{username}',
        'PATCH /api/v1/auth/me',
        'PATCH /api/v1/users/{username}',
        'DELETE /api/v1/users/{username}',
        'GET /api/v1/tokens',
        'POST /api/v1/tokens',
        'DELETE /api/v1/tokens/{id}',
        'GET /api/v1/widgets/{id}',
      ].sort(),
    );
    const events = doc.paths['/api/v1/events'].get;
    expect(events.parameters.map((p) => p.name)).toEqual(['q', 'from', 'to', 'limit', 'cursor']);
    expect(events.parameters.every((p) => p.in === 'query' && !p.required)).toBe(true);
    const page = events.responses['200'].content!['application/json'].schema as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(page.properties)).toEqual(['total', 'events', 'next']);
    expect(doc.paths['/api/v1/events/top'].get.parameters.find((p) => p.name === 'field')?.required).toBe(true);
    expect(doc.paths['/api/v1/widgets/{id}'].get.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
      expect.objectContaining({ name: 'verbose', in: 'query', required: false, description: 'more detail' }),
    ]);
    expect(doc.paths['/api/v1/users'].post.requestBody).toBeDefined();
    expect(doc.paths['/api/v1/health'].get.security).toEqual([]);
    expect(doc.paths['/api/v1/auth/login'].post.security).toEqual([]);
    expect(doc.paths['/api/v1/events'].get.security).toBeUndefined();
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearerToken', 'sessionCookie']);
  });

  it('mounts module routes behind authentication and their permission', async () => {
    expect((await h.get('/api/v1/widgets/w-1')).status).toBe(401);
    const analyst = (await h.login('analyst.hn')).token;
    expect((await h.get('/api/v1/widgets/w-1', { token: analyst })).status).toBe(403);
    const noc = (await h.login('noc.hn')).token;
    const ok = await h.get('/api/v1/widgets/w-1', { token: noc });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ id: 'w-1', agencies: ['hanoi-doh'] });
    const bad = await h.get('/api/v1/widgets/nope', { token: noc });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody & { error: { parameter: string } }).error).toMatchObject({ code: 'invalid_parameter', parameter: 'id' });
  });

  it('answers 500 JSON without the stack or the message of an unexpected error', async () => {
    const admin = (await h.login('admin')).token;
    const res = await h.get('/api/v1/widgets-broken', { token: admin });
    expect(res.status).toBe(500);
    const text = await res.text();
    const body = JSON.parse(text) as ErrorBody;
    expect(body.error.code).toBe('internal');
    expect(text).not.toMatch(/hunter2|sqlite|\/var\/lib|at .*\.ts/);
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
    // The operator finds the cause in the log under the same id.
    const line = h.log().split('\n').find((l) => l.includes('"request failed"'))!;
    expect(JSON.parse(line)).toMatchObject({ requestId: body.error.requestId, err: { message: expect.stringContaining('cannot open') } });
  });

  it('answers unknown /api routes with JSON 404', async () => {
    const admin = (await h.login('admin')).token;
    const res = await h.get('/api/v1/no/such/route', { token: admin });
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ code: 'not_found', message: 'no route GET /api/v1/no/such/route' });
    const outside = await h.get('/api/v2/events');
    expect(outside.status).toBe(404);
    expect(outside.headers.get('content-type')).toMatch(/^application\/json/);
    const wrongMethod = await h.send('PUT', '/api/v1/events', {}, { token: admin });
    expect(wrongMethod.status).toBe(404);
  });

  it('limits the request body size with 413 JSON', async () => {
    const res = await h.send('POST', '/api/v1/auth/login', { username: 'admin', password: 'x'.repeat(4000) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as ErrorBody).error.code).toBe('payload_too_large');
  });

  it('marks API answers uncacheable and sets basic security headers', async () => {
    const res = await h.get('/api/v1/health');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('serves /metrics to admin and noc_operator tokens only', async () => {
    expect((await h.get('/metrics')).status).toBe(401);
    const analyst = (await h.login('analyst.hn')).token;
    const denied = await h.get('/metrics', { token: analyst });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as ErrorBody).error.code).toBe('forbidden');
    const noc = h.users.get('noc.hn')!;
    const scrapeToken = h.tokens.issue(noc.id, { kind: 'api', name: 'prometheus' });
    const res = await h.get('/metrics', { token: scrapeToken });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await res.text()).toMatch(/^socnoc_test_requests_total 3$/m);
    const adminCookie = (await h.login('admin')).cookie;
    expect((await h.get('/metrics', { cookie: adminCookie })).status).toBe(200);
  });

  it('keeps passwords, tokens and cookies out of the log', async () => {
    const { token, cookie } = await h.login('auditor');
    await h.get('/api/v1/events?limit=5', { token });
    await h.get('/api/v1/auth/me', { cookie });
    await h.send('POST', '/api/v1/auth/login', { username: 'auditor', password: 'Wrong-guess-123' });
    // A password typed into the username field must not be logged either.
    await h.send('POST', '/api/v1/auth/login', { username: PASSWORDS.admin, password: 'x' });
    const log = h.log();
    expect(log).toContain('"path":"/api/v1/events"');
    expect(log).toContain('"msg":"login failed"');
    for (const secret of [PASSWORDS.auditor, 'Wrong-guess-123', PASSWORDS.admin, token, token.slice(4)]) expect(log).not.toContain(secret);
    expect(log).not.toMatch(/snc_[A-Za-z0-9_-]{43}/);
  });
});

describe('logger redaction', () => {
  it('redacts authorization headers, cookies and passwords wherever a caller logs them', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info({ req: { headers: { authorization: 'Bearer snc_SECRET1', cookie: 'socnoc_session=snc_SECRET2' } } }, 'incoming');
    logger.info({ headers: { authorization: 'Bearer snc_SECRET3' } }, 'raw headers');
    logger.info({ body: { username: 'admin', password: 'SECRET4' }, password: 'SECRET5' }, 'body');
    logger.info({ res: { headers: { 'set-cookie': 'socnoc_session=snc_SECRET6' } } }, 'response');
    const out = lines.join('');
    expect(out).not.toMatch(/SECRET\d/);
    expect(out.match(/\[redacted\]/g)?.length).toBe(6);
  });
});

describe('startHttpServer and requirePermission', () => {
  it('listens on the dual-stack wildcard (or 0.0.0.0 without IPv6) and closes with open keep-alive connections', async () => {
    const server = await startHttpServer((_req, res) => res.end('ok'), '::', 0);
    const { port } = server.address();
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('falls back to 0.0.0.0 when the host has no IPv6', async () => {
    const original = Server.prototype.listen;
    const spy = jest.spyOn(Server.prototype, 'listen').mockImplementation(function (this: Server, ...args: unknown[]) {
      const options = args[0] as { host?: string };
      if (options.host === '::') {
        process.nextTick(() => this.emit('error', Object.assign(new Error('listen EAFNOSUPPORT: address family not supported :::0'), { code: 'EAFNOSUPPORT' })));
        return this;
      }
      return (original as (...a: unknown[]) => Server).apply(this, args);
    });
    const warnings: string[] = [];
    const logger = createLogger('warn', new Writable({ write: (chunk: Buffer, _e, done) => (warnings.push(chunk.toString()), done()) }));
    try {
      const server = await startHttpServer((_req, res) => res.end('v4'), '::', 0, logger);
      expect(server.address().address).toBe('0.0.0.0');
      expect(await (await fetch(`http://127.0.0.1:${server.address().port}/`)).text()).toBe('v4');
      await server.close();
      expect(warnings.join('')).toContain('IPv6 unavailable (EAFNOSUPPORT), listening on 0.0.0.0');
    } finally {
      spy.mockRestore();
    }
  });

  it('names the address when it cannot listen', async () => {
    const first = await startHttpServer((_req, res) => res.end(), '127.0.0.1', 0);
    try {
      await expect(startHttpServer((_req, res) => res.end(), '127.0.0.1', first.address().port)).rejects.toThrow(`http: cannot listen on 127.0.0.1:${first.address().port}`);
    } finally {
      await first.close();
    }
  });

  it('refuses unknown permissions when the route is set up', () => {
    expect(() => requirePermission('evnts:read')).toThrow(/unknown permission "evnts:read"/);
  });
});

describe('open metrics', () => {
  it('serves /metrics without a token when http.metricsPublic is set, and documents it as public', async () => {
    const h = await startHarness({ http: { metricsPublic: true } });
    try {
      const res = await h.get('/metrics');
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('socnoc_test_requests_total 3');
      const doc = (await (await h.get('/api/v1/openapi.json')).json()) as { paths: Record<string, { get: { security?: unknown[] } }> };
      expect(doc.paths['/metrics'].get.security).toEqual([]);
      expect((await h.get('/api/v1/events')).status).toBe(401);
    } finally {
      await h.close();
    }
  });
});
