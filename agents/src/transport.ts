/**
 * HTTPS to the agent channel with the server's CA pinned: only certificates issued by the CA
 * received at enrolment are accepted (the host name is not compared, since agents often reach the
 * server by an address the certificate does not list; the private CA is the trust). TLS 1.2+.
 */
import { X509Certificate } from 'node:crypto';
import { Agent, request, type RequestOptions } from 'node:https';
import { gzipSync } from 'node:zlib';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'HttpStatusError';
  }
}

export function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();
}

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  /** JSON value or NDJSON text. */
  body?: unknown;
  ndjson?: string;
  gzip?: boolean;
  timeoutMs?: number;
}

export class AgentClient {
  private readonly agent: Agent;
  private readonly base: URL;

  constructor(
    server: string,
    caCert: string | undefined,
    private readonly bearer: string | undefined,
  ) {
    this.base = new URL(server);
    if (this.base.protocol !== 'https:') throw new Error(`server ${server}: the agent channel is HTTPS only`);
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: 4,
      minVersion: 'TLSv1.2',
      ...(caCert === undefined ? { rejectUnauthorized: false } : { ca: [caCert], checkServerIdentity: () => undefined }),
    });
  }

  send(spec: RequestSpec): Promise<Reply> {
    let payload: Buffer | undefined;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (spec.ndjson !== undefined) {
      payload = Buffer.from(spec.ndjson, 'utf8');
      headers['content-type'] = 'application/x-ndjson';
    } else if (spec.body !== undefined) {
      payload = Buffer.from(JSON.stringify(spec.body), 'utf8');
      headers['content-type'] = 'application/json';
    }
    if (payload !== undefined && spec.gzip === true) {
      payload = gzipSync(payload, { level: 6 });
      headers['content-encoding'] = 'gzip';
    }
    if (payload !== undefined) headers['content-length'] = String(payload.length);
    if (this.bearer !== undefined) headers.authorization = `Bearer ${this.bearer}`;
    const options: RequestOptions = {
      protocol: 'https:',
      hostname: this.base.hostname.replace(/^\[|\]$/g, ''),
      port: this.base.port === '' ? 443 : Number(this.base.port),
      method: spec.method,
      path: spec.path,
      headers,
      agent: this.agent,
      timeout: spec.timeoutMs ?? 30_000,
    };
    return new Promise((resolve, reject) => {
      const req = request(options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${spec.method} ${spec.path}: no answer within ${spec.timeoutMs ?? 30_000} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Sends and expects 2xx; returns the parsed JSON body (undefined for 204). */
  async json<T>(spec: RequestSpec): Promise<T> {
    const reply = await this.send(spec);
    if (reply.status < 200 || reply.status >= 300) throw statusError(spec, reply);
    if (reply.status === 204 || reply.body.length === 0) return undefined as T;
    return JSON.parse(reply.body.toString('utf8')) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

export function statusError(spec: { method: string; path: string }, reply: Reply): HttpStatusError {
  let message = reply.body.toString('utf8').slice(0, 500);
  try {
    const parsed = JSON.parse(message) as { error?: { message?: string } };
    if (parsed.error?.message !== undefined) message = parsed.error.message;
  } catch {
    // not JSON: keep the text
  }
  const ra = reply.headers['retry-after'];
  return new HttpStatusError(reply.status, typeof ra === 'string' ? parseRetryAfter(ra) : undefined, `${spec.method} ${spec.path}: HTTP ${reply.status}: ${message}`);
}

/** Longest pause a Retry-After may impose: a wrong server clock must not silence an agent for days. */
const MAX_RETRY_AFTER_MS = 3_600_000;

/** RFC 9110 §10.2.3: Retry-After is delay-seconds or an HTTP-date; milliseconds from `now`, or undefined when unreadable. */
export function parseRetryAfter(value: string, now: number = Date.now()): number | undefined {
  const v = value.trim();
  if (/^\d+$/.test(v)) return Math.min(Number(v) * 1000, MAX_RETRY_AFTER_MS);
  // An HTTP-date names its day and month (`Fri, 27 Nov 2026 01:00:30 GMT`); Date.parse alone takes `-5` as a year.
  if (!/[A-Za-z]{3}/.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}
