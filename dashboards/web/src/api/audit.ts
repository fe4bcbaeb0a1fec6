/** The audit log (core/audit/http.ts): records newest first and the hash chain verdict. */
import { api } from './client';

export interface AuditRecord {
  seq: number;
  time: string;
  actor: { type: string; id: string };
  action: string;
  object: { type: string; id: string | null } | null;
  organization: string | null;
  result: 'ok' | 'denied' | 'error';
  details: Record<string, unknown>;
  hash: string;
}

export interface AuditVerdict {
  ok: boolean;
  checked: number;
  head: string;
  first_bad: { seq: number; reason: string } | null;
}

export const auditApi = {
  list: (params: { actor?: string; action?: string; result?: string; from?: string; before?: number; limit?: number }): Promise<{ records: AuditRecord[]; next: number | null }> =>
    api.get('/audit', { limit: 100, ...params }),
  verify: (): Promise<AuditVerdict> => api.get('/audit/verify'),
};
