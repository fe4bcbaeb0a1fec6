/**
 * Reads a feed document from a file or an http(s) URL, asking only for what changed: a file whose
 * size and modification time are unchanged is not re-read; an HTTP server gets If-None-Match /
 * If-Modified-Since from the last answer and may reply 304. Bodies are capped in size and time.
 */
import { readFile, stat } from 'node:fs/promises';

/** What the last successful read returned, to ask for changes only. */
export interface DocumentValidators {
  etag?: string;
  lastModified?: string;
  mtimeMs?: number;
  size?: number;
}

export type FetchedDocument = { changed: true; text: string; bytes: number; validators: DocumentValidators } | { changed: false };

export interface FetchOptions {
  timeoutMs: number;
  maxBytes: number;
  headers: Record<string, string>;
}

export class FeedFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedFetchError';
  }
}

/** A URL fit for logs and the API: no user:password. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username === '' && u.password === '') return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

async function readFileDocument(path: string, previous: DocumentValidators | undefined, options: FetchOptions): Promise<FetchedDocument> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw new FeedFetchError(`${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (!info.isFile()) throw new FeedFetchError(`${path}: not a file`);
  if (previous?.mtimeMs === info.mtimeMs && previous.size === info.size) return { changed: false };
  if (info.size > options.maxBytes) throw new FeedFetchError(`${path}: ${info.size} bytes exceeds maxBytes ${options.maxBytes}`);
  const text = await readFile(path, 'utf8');
  return { changed: true, text, bytes: info.size, validators: { mtimeMs: info.mtimeMs, size: info.size } };
}

async function readHttpDocument(url: string, previous: DocumentValidators | undefined, options: FetchOptions): Promise<FetchedDocument> {
  const shown = displayUrl(url);
  const headers: Record<string, string> = { accept: 'application/json, text/csv, text/plain, */*', ...options.headers };
  if (previous?.etag !== undefined) headers['if-none-match'] = previous.etag;
  if (previous?.lastModified !== undefined) headers['if-modified-since'] = previous.lastModified;
  const signal = AbortSignal.timeout(options.timeoutMs);
  let res: Response;
  try {
    res = await fetch(url, { headers, signal, redirect: 'follow' });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const reason = e.name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new FeedFetchError(`GET ${shown}: ${reason}`);
  }
  if (res.status === 304 && previous !== undefined) {
    await res.body?.cancel();
    return { changed: false };
  }
  if (res.status !== 200) {
    await res.body?.cancel();
    throw new FeedFetchError(`GET ${shown}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > options.maxBytes) {
    await res.body?.cancel();
    throw new FeedFetchError(`GET ${shown}: Content-Length ${declared} exceeds maxBytes ${options.maxBytes}`);
  }
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  try {
    if (res.body !== null) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        if (bytes > options.maxBytes) {
          await reader.cancel();
          throw new FeedFetchError(`GET ${shown}: body exceeds maxBytes ${options.maxBytes}`);
        }
        chunks.push(value);
      }
    }
  } catch (err) {
    if (err instanceof FeedFetchError) throw err;
    const e = err as Error;
    throw new FeedFetchError(`GET ${shown}: ${e.name === 'TimeoutError' ? `body not received within ${options.timeoutMs} ms` : e.message}`);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const validators: DocumentValidators = {};
  const etag = res.headers.get('etag');
  const lastModified = res.headers.get('last-modified');
  if (etag !== null) validators.etag = etag;
  if (lastModified !== null) validators.lastModified = lastModified;
  return { changed: true, text, bytes, validators };
}

export function fetchDocument(location: { path?: string; url?: string }, previous: DocumentValidators | undefined, options: FetchOptions): Promise<FetchedDocument> {
  if (location.url !== undefined) return readHttpDocument(location.url, previous, options);
  if (location.path !== undefined) return readFileDocument(location.path, previous, options);
  return Promise.reject(new FeedFetchError('no path or url'));
}
