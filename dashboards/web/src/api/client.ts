/**
 * The one place the console talks HTTP. The session cookie rides along (same origin); a 401 means
 * the session ended, so listeners (the shell) drop back to the login page. Errors keep the server's
 * `{"error": {"code", "message"}}` so views can show the reason, and a 404 on a whole route marks a
 * capability that this server does not have yet.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The server has no such route (a capability not installed), as opposed to a missing record. */
  get routeMissing(): boolean {
    return this.status === 404 && this.message.startsWith('no route ');
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called whenever any request answers 401 (session expired or revoked). */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export type QueryValue = string | number | boolean | undefined | null | readonly string[];

export function queryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) search.set(key, value.join(','));
    } else search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

interface ErrorBody {
  error?: { code?: string; message?: string };
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  // A file goes as the raw body with its own type (evidence uploads); anything else as JSON.
  const raw = typeof Blob !== 'undefined' && body instanceof Blob;
  // (A .json document goes as octet-stream: the server takes JSON bodies for metadata, not files.)
  if (raw) headers['content-type'] = body.type === '' || body.type.includes('json') ? 'application/octet-stream' : body.type;
  else if (body !== undefined) headers['content-type'] = 'application/json';
  const payload = body === undefined ? undefined : raw ? body : JSON.stringify(body);
  const res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin', signal });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (!res.ok) {
    let code = 'http_error';
    let message = `${method} ${path}: HTTP ${res.status}`;
    try {
      const parsed = JSON.parse(text) as ErrorBody;
      code = parsed.error?.code ?? code;
      message = parsed.error?.message ?? message;
    } catch {
      // not JSON (a proxy's error page)
    }
    if (res.status === 401 && !path.endsWith('/auth/login')) for (const l of unauthorizedListeners) l();
    throw new ApiError(res.status, code, message, path);
  }
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? JSON.parse(text) : text) as T;
}

export const api = {
  get: <T>(path: string, params: Record<string, QueryValue> = {}, signal?: AbortSignal): Promise<T> => request<T>('GET', `/api/v1${path}${queryString(params)}`, undefined, signal),
  post: <T>(path: string, body: unknown): Promise<T> => request<T>('POST', `/api/v1${path}`, body),
  patch: <T>(path: string, body: unknown): Promise<T> => request<T>('PATCH', `/api/v1${path}`, body),
  del: (path: string): Promise<void> => request<void>('DELETE', `/api/v1${path}`),
  /** POSTs a file as the raw body, its metadata in the query string. */
  upload: <T>(path: string, params: Record<string, QueryValue>, file: Blob): Promise<T> => request<T>('POST', `/api/v1${path}${queryString(params)}`, file),
  /** Prometheus text from /metrics (outside /api/v1). */
  metricsText: (signal?: AbortSignal): Promise<string> => request<string>('GET', '/metrics', undefined, signal),
};
