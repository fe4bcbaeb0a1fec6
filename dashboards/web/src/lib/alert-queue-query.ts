/**
 * The alert queue's server query from its URL, shared by the queue and by the shell, which starts
 * the first page while the user's session is still being read (login → first rows sooner).
 */
import type { AlertQuery } from '../api/alerts';
import type { AlertStatus, Severity } from '../api/types';
import { agencyQuery, andQuery, term } from './query';

/** Alerts per live page: the first page painted and the one polled for updates. */
export const LIVE_PAGE = 200;
export const DEFAULT_QUEUE_STATUSES = 'new,acknowledged,in_progress';
export const DEFAULT_QUEUE_RANGE = 'now-7d';

export function listParam(value: string | null): string[] {
  return value ? value.split(',').filter((s) => s !== '') : [];
}

/** The first page's query for the queue at `search` (its URL query) with `agency` selected. */
export function queueServerQuery(search: URLSearchParams, agency: string): AlertQuery {
  const q = search.get('q') ?? '';
  const statusParam = search.get('status') ?? DEFAULT_QUEUE_STATUSES;
  const rule = search.get('rule') ?? '';
  const rangeParam = search.get('range');
  const range = rangeParam === 'all' ? '' : (rangeParam ?? DEFAULT_QUEUE_RANGE);
  return {
    q: andQuery(q, agencyQuery(agency), rule === '' ? '' : term('rule.id', rule)),
    status: (statusParam === 'all' ? [] : listParam(statusParam)) as AlertStatus[],
    severity: listParam(search.get('severity')) as Severity[],
    from: range === '' ? undefined : range,
    view: 'summary',
  };
}
