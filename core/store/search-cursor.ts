/**
 * The opaque keyset cursor of event searches: the (ts, id) of the last event returned (the order is
 * ts DESC, id DESC, unique per partition and ts picks the partition, so no page repeats or skips an
 * event), plus the total computed on the first page so later pages do not count again.
 */
export interface SearchCursor {
  ts: number;
  id: string;
  total: number;
}

export class EventSearchCursorError extends Error {
  constructor(reason: string) {
    super(`event search: invalid cursor (${reason})`);
    this.name = 'EventSearchCursorError';
  }
}

export function encodeSearchCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify([cursor.ts, cursor.id, cursor.total]), 'utf8').toString('base64url');
}

export function decodeSearchCursor(text: string): SearchCursor {
  if (typeof text !== 'string' || text.length === 0 || text.length > 1024) throw new EventSearchCursorError('empty or too long');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new EventSearchCursorError('not a cursor returned by a search');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw new EventSearchCursorError('not a cursor returned by a search');
  const [ts, id, total] = parsed as unknown[];
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts)) throw new EventSearchCursorError('bad time');
  if (typeof id !== 'string' || id.length === 0) throw new EventSearchCursorError('bad event id');
  if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) throw new EventSearchCursorError('bad total');
  return { ts, id, total };
}
