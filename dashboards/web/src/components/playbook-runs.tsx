/**
 * Playbook runs where an analyst decides: the approve / deny buttons of a run waiting for approval
 * (shown only to holders of playbooks:approve), and the runs of a set of alerts (incident, alert).
 */
import { useState, type ReactNode } from 'react';
import { playbooksApi, type ApprovalDecision, type PlaybookRun } from '../api/playbooks';
import { useI18n, type MessageKey } from '../i18n';
import { errorText } from '../lib/error-text';
import { mayDecide, runTone, type ApprovalRequest } from '../lib/playbook-run';
import { useLoad } from '../lib/use-load';
import { Link } from '../router';
import { useSession } from '../session';
import { DataTable } from './data-table';
import { Empty, ErrorState } from './common';

export function RunStatusBadge(props: { status: string }): ReactNode {
  const { t } = useI18n();
  return <span className={`run-status tone-${runTone(props.status)}`} data-run-status={props.status}>{t(`runStatus.${props.status}` as MessageKey)}</span>;
}

/** Approve / deny with an optional comment; calls onDecided with the run after the decision. */
export function ApprovalButtons(props: { run: PlaybookRun; approval?: ApprovalRequest; onDecided(): void }): ReactNode {
  const { t } = useI18n();
  const session = useSession();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | undefined>(undefined);
  if (!mayDecide(props.run, props.approval, { username: session.me.user.username, can: session.can })) return null;
  const decide = async (decision: ApprovalDecision): Promise<void> => {
    setBusy(true);
    try {
      await playbooksApi.decide(props.run.id, decision, comment.trim());
      setMessage(undefined);
      setComment('');
      props.onDecided();
    } catch (err) {
      setMessage(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="approval-box" data-testid={`approval-${props.run.id}`}>
      <input value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('playbook.commentPlaceholder')} aria-label={t('playbook.comment')} />
      <button className="btn small primary" type="button" disabled={busy} onClick={() => void decide('approve')} data-action="approve-run">
        {t('playbook.approve')}
      </button>
      <button className="btn small danger" type="button" disabled={busy} onClick={() => void decide('deny')} data-action="deny-run">
        {t('playbook.deny')}
      </button>
      {message !== undefined && <div className="notice small">{message}</div>}
    </div>
  );
}

/** Runs as table rows: playbook, status, trigger, times, and approve/deny for waiting runs. */
export function RunRows(props: { runs: readonly PlaybookRun[]; onChanged(): void; showAlert?: boolean }): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <DataTable
      columns={[t('playbook.run'), t('playbook.playbook'), t('alerts.status'), ...(props.showAlert === false ? [] : [t('playbook.alert')]), t('playbook.trigger'), t('playbook.started'), '']}
      testId="playbook-runs"
    >
      {props.runs.map((r) => (
        <tr key={r.id} data-run={r.id}>
          <td>
            <Link to={`/playbooks/runs/${encodeURIComponent(r.id)}`} className="mono">
              {r.id.slice(0, 8)}
            </Link>
            {r.dry_run && <span className="tag">{t('playbook.dryRun')}</span>}
          </td>
          <td>{r.playbook_id}</td>
          <td>
            <RunStatusBadge status={r.status} />
            {/* A denial is told by the status (the run view names who denied it and why); other errors are shown as the step reported them. */}
            {r.error && r.status !== 'denied' && <div className="muted small" data-user-content>{r.error}</div>}
          </td>
          {props.showAlert !== false && (
            <td>
              <Link to={`/alerts/${encodeURIComponent(r.alert_id)}`} className="mono">
                {r.alert_id.slice(0, 8)}
              </Link>
            </td>
          )}
          <td>{t(`playbook.trigger.${r.trigger}`)}{r.requested_by ? ` · ${r.requested_by}` : ''}</td>
          <td className="nowrap">{i18n.date(r.started_at ?? r.created_at)}</td>
          <td>
            <ApprovalButtons run={r} onDecided={props.onChanged} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/** The playbook runs of some alerts (an incident's), newest first, polled. */
export function AlertRunsPanel(props: { alertIds: readonly string[]; title?: string }): ReactNode {
  const { t } = useI18n();
  const session = useSession();
  const ids = props.alertIds.slice(0, 50);
  const key = ids.join(',');
  const runs = useLoad(
    async (signal) => {
      if (!session.can('playbooks:read')) return [];
      const pages = await Promise.all(ids.map((id) => playbooksApi.runs({ alert_id: id, limit: 50 }, signal)));
      return pages.flatMap((p) => p.runs).sort((a, b) => b.created_at.localeCompare(a.created_at));
    },
    [key],
    session.refreshSeconds * 2000,
  );
  if (!session.can('playbooks:read')) return null;
  return (
    <section className="panel" data-testid="alert-runs">
      <h2>{props.title ?? t('playbook.runs')}</h2>
      {runs.error !== undefined ? (
        <ErrorState error={runs.error} what={t('menu.playbooks')} />
      ) : runs.data === undefined ? null : runs.data.length === 0 ? (
        <Empty>{t('playbook.noRuns')}</Empty>
      ) : (
        <RunRows runs={runs.data} onChanged={runs.reload} />
      )}
    </section>
  );
}
