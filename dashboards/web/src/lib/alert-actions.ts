/**
 * Lifecycle actions on many alerts: the bulk route when the server has it, else one PATCH per
 * alert. Throws the ApiError of a missing route when neither exists (lifecycle not installed).
 */
import { alertsApi, type AlertUpdate } from '../api/alerts';
import { ApiError } from '../api/client';
import { errorText } from './error-text';

export interface ActionOutcome {
  ok: number;
  failed: Array<{ id: string; reason: string }>;
}

export async function applyToAlerts(ids: readonly string[], update: AlertUpdate): Promise<ActionOutcome> {
  const set: { status?: AlertUpdate['status']; assignee?: string | null } = {};
  if (update.status !== undefined) set.status = update.status;
  if (update.assignee !== undefined) set.assignee = update.assignee;
  try {
    const answer = await alertsApi.bulk(ids, set, update.comment);
    const results = Array.isArray(answer.results) ? answer.results : [];
    const failed = results.filter((r) => !r.ok).map((r) => ({ id: r.id, reason: typeof r.error === 'string' ? r.error : (r.error?.message ?? 'failed') }));
    return { ok: results.length > 0 ? results.length - failed.length : ids.length, failed };
  } catch (err) {
    if (!(err instanceof ApiError && err.routeMissing)) throw err;
  }
  const outcome: ActionOutcome = { ok: 0, failed: [] };
  for (const id of ids) {
    try {
      await alertsApi.update(id, update);
      outcome.ok++;
    } catch (err) {
      if (err instanceof ApiError && err.routeMissing) throw err;
      outcome.failed.push({ id, reason: errorText(err) });
    }
  }
  return outcome;
}
