/** Alerts: search (paged by cursor), one alert, and the lifecycle routes of issue 6 when installed. */
import { api, type QueryValue } from './client';
import type { Alert, AlertPage, AlertStatus, Severity } from './types';

export interface AlertQuery {
  q?: string;
  status?: readonly AlertStatus[];
  severity?: readonly Severity[];
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
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
  return { q: query.q, status: query.status, severity: query.severity, from: query.from, to: query.to, limit: query.limit, cursor: query.cursor };
}

export const alertsApi = {
  search: (query: AlertQuery, signal?: AbortSignal): Promise<AlertPage> => api.get<AlertPage>('/alerts', params(query), signal),

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
