/** Alerts: search (paged by cursor), one alert, and the lifecycle routes of issue 6 when installed. */
import { api, type QueryValue } from './client';
import type { Alert, AlertPage, AlertStatus, AlertSuppression, Severity } from './types';

export interface AlertQuery {
  q?: string;
  status?: readonly AlertStatus[];
  severity?: readonly Severity[];
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
  /** summary: without sample events and event ids (the queue and lists need neither). */
  view?: 'summary';
}

export interface AlertUpdate {
  status?: AlertStatus;
  assignee?: string | null;
  severity?: Severity;
  comment?: string;
}

export interface BulkResult {
  results?: Array<{ id: string; ok: boolean; error?: string | { code: string; message: string } }>;
  [k: string]: unknown;
}

function params(query: AlertQuery): Record<string, QueryValue> {
  return { q: query.q, status: query.status, severity: query.severity, from: query.from, to: query.to, limit: query.limit, cursor: query.cursor, view: query.view };
}

/** One search started before its view mounts (at login), handed to the first identical search. */
let prefetched: { key: string; at: number; page: Promise<AlertPage> } | undefined;
const PREFETCH_TTL_MS = 10_000;

function searchRequest(query: AlertQuery, signal?: AbortSignal): Promise<AlertPage> {
  const key = JSON.stringify(params(query));
  if (prefetched !== undefined && prefetched.key === key && Date.now() - prefetched.at < PREFETCH_TTL_MS) {
    const page = prefetched.page;
    prefetched = undefined;
    return page;
  }
  return api.get<AlertPage>('/alerts', params(query), signal);
}

export const alertsApi = {
  search: searchRequest,

  /** Starts `query` now so the view that will ask for it finds it on the way (a failure is left to that view's own request). */
  prefetch(query: AlertQuery): void {
    const key = JSON.stringify(params(query));
    const page = api.get<AlertPage>('/alerts', params(query));
    prefetched = { key, at: Date.now(), page };
    page.catch(() => {
      if (prefetched?.page === page) prefetched = undefined;
    });
  },

  /** Pages through up to `max` alerts, newest activity first. */
  async searchAll(query: AlertQuery, max: number, signal?: AbortSignal): Promise<{ total: number; alerts: Alert[] }> {
    const alerts: Alert[] = [];
    let cursor: string | undefined;
    let total: number;
    const seen = new Set<string>();
    do {
      const page = await alertsApi.search({ ...query, limit: Math.min(1000, max - alerts.length), cursor }, signal);
      total = page.total;
      for (const a of page.alerts) {
        // An alert folded while we page moves to page one and may come twice.
        if (!seen.has(a.id)) {
          seen.add(a.id);
          alerts.push(a);
        }
      }
      cursor = page.next ?? undefined;
    } while (cursor !== undefined && alerts.length < max);
    return { total, alerts };
  },

  get: (id: string): Promise<Alert> => api.get<Alert>(`/alerts/${encodeURIComponent(id)}`),
  update: (id: string, update: AlertUpdate): Promise<Alert> => api.patch<Alert>(`/alerts/${encodeURIComponent(id)}`, update),
  comment: (id: string, text: string): Promise<unknown> => api.post(`/alerts/${encodeURIComponent(id)}/comments`, { text }),
  bulk: (ids: readonly string[], set: { status?: AlertStatus; assignee?: string | null }, comment?: string): Promise<BulkResult> =>
    api.post<BulkResult>('/alerts/bulk', { ids, set, ...(comment ? { comment } : {}) }),
};

export interface SuppressionInput {
  rule_id: string;
  organization?: string | null;
  match?: Record<string, string | string[]>;
  reason: string;
  /** ISO time, now+7d, or null for never. */
  expires_at?: string | null;
}

export const suppressionsApi = {
  list: async (): Promise<AlertSuppression[]> => (await api.get<{ suppressions: AlertSuppression[] }>('/alerts/suppressions')).suppressions,
  create: (body: SuppressionInput): Promise<AlertSuppression> => api.post('/alerts/suppressions', body),
  update: (id: string, body: { reason?: string; expires_at?: string | null }): Promise<AlertSuppression> => api.patch(`/alerts/suppressions/${encodeURIComponent(id)}`, body),
  remove: (id: string): Promise<void> => api.del(`/alerts/suppressions/${encodeURIComponent(id)}`),
};
