/** Playbooks (playbooks/http.ts): the loaded playbooks and load errors, runs with steps, manual runs, approvals. */
import { api } from './client';

export const RUN_STATUSES = ['queued', 'running', 'waiting_approval', 'waiting', 'succeeded', 'failed', 'denied', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const STEP_STATUSES = ['running', 'succeeded', 'failed', 'skipped', 'waiting', 'simulated'] as const;

export interface PlaybookStepSummary {
  id: string;
  action: string;
  if: string | null;
  foreach: unknown;
  on_error: string;
}

export interface Playbook {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  /** Runs automatically on matching alerts. */
  triggers: boolean;
  trigger: Record<string, unknown> | null;
  steps: PlaybookStepSummary[];
  file: string;
  line: number;
  source: string;
}

export interface PlaybookLoadError {
  file: string;
  line: number;
  reason: string;
  playbook: string | null;
}

export interface PlaybookRun {
  id: string;
  playbook_id: string;
  alert_id: string;
  organization: { id: string };
  trigger: 'created' | 'updated' | 'manual';
  dry_run: boolean;
  requested_by: string | null;
  status: RunStatus;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
}

export interface RunStep {
  key: string;
  step_id: string;
  iteration: number | null;
  action: string;
  status: string;
  input: unknown;
  output: unknown;
  error: string | null;
  attempts: number;
  state: unknown;
  wake_at: string | null;
  started_at: string;
  finished_at: string | null;
}

export interface PlaybookRunDetail extends PlaybookRun {
  steps: RunStep[];
}

export type ApprovalDecision = 'approve' | 'deny';

const runPath = (id: string): string => `/playbooks/runs/${encodeURIComponent(id)}`;

export const playbooksApi = {
  list: (): Promise<{ total: number; loaded_at: string | null; playbooks: Playbook[]; errors: PlaybookLoadError[] }> => api.get('/playbooks'),
  runs: (params: { playbook?: string; alert_id?: string; status?: RunStatus; limit?: number; offset?: number } = {}, signal?: AbortSignal): Promise<{ total: number; runs: PlaybookRun[] }> =>
    api.get('/playbooks/runs', { limit: 200, ...params }, signal),
  run: (id: string): Promise<PlaybookRunDetail> => api.get(runPath(id)),
  /** A dry run answers with the finished run; a real run is queued (follow it by its id). */
  start: (playbookId: string, alertId: string, dryRun: boolean): Promise<PlaybookRunDetail> =>
    api.post(`/playbooks/${encodeURIComponent(playbookId)}/run`, { alert_id: alertId, dry_run: dryRun }),
  decide: (runId: string, decision: ApprovalDecision, comment: string): Promise<PlaybookRunDetail> => api.post(`${runPath(runId)}/approvals`, { decision, comment }),
};
