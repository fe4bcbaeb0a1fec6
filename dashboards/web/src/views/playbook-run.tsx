/** One playbook run: its alert, status, and every step with its rendered input, output, error and attempts; approve / deny while it waits. */
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';
import { playbooksApi, type RunStep } from '../api/playbooks';
import { Empty, ErrorState, Field, Loading, PageHeader } from '../components/common';
import { ApprovalButtons, RunStatusBadge } from '../components/playbook-runs';
import { useI18n, type MessageKey } from '../i18n';
import { approvalOf, denialOf, runTone, stepValueText, waitingApprovalStep } from '../lib/playbook-run';
import { useLoad } from '../lib/use-load';
import { Link } from '../router';
import { agencyName, useSession } from '../session';

export function PlaybookRunView(props: { id: string }): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const run = useLoad(() => playbooksApi.run(props.id), [props.id], session.refreshSeconds * 1000);
  if (run.error !== undefined && run.data === undefined) {
    if (run.error instanceof ApiError && run.error.status === 404 && !run.error.routeMissing) return <Empty>{t('playbook.runNotFound')}</Empty>;
    return <ErrorState error={run.error} what={t('menu.playbooks')} />;
  }
  const r = run.data;
  if (!r) return <Loading />;
  const waiting = waitingApprovalStep(r, r.steps);
  const approval = waiting ? approvalOf(waiting) : undefined;
  const denied = denialOf(r);
  return (
    <div className="view" data-testid="playbook-run">
      <PageHeader
        title={t('playbook.runTitle', { playbook: r.playbook_id })}
        subtitle={
          <span className="row-gap">
            <RunStatusBadge status={r.status} /> <span className="mono muted">{r.id}</span>
            {r.dry_run && <span className="tag">{t('playbook.dryRun')}</span>}
          </span>
        }
      >
        <Link to="/playbooks" className="btn ghost">
          ← {t('playbooks.title')}
        </Link>
      </PageHeader>
      {waiting && (
        <section className="panel approval-panel" data-testid="approval-request">
          <h2>{t('playbook.waitingApproval')}</h2>
          {approval && (
            <>
              <Field label={t('playbook.approvers')}>{[...approval.roles.map((x) => t(`role.${x}` as MessageKey)), ...approval.users].join(', ') || '–'}</Field>
              <Field label={t('playbook.quorum')}>{t('playbook.votes', { have: approval.votes.filter((v) => v.decision === 'approve').length, need: approval.quorum })}</Field>
              <Field label={t('playbook.deadline')}>
                {i18n.date(approval.deadline)} ({i18n.relative(approval.deadline)}){approval.escalated && <span className="tag tag-warn">{t('playbook.escalated')}</span>}
              </Field>
              {approval.votes.map((v) => (
                <div key={v.user} className="muted small">
                  {v.user}: {t(`playbook.decision.${v.decision}`)} {v.comment && `— ${v.comment}`} ({i18n.date(v.at)})
                </div>
              ))}
            </>
          )}
          <ApprovalButtons run={r} approval={approval} onDecided={run.reload} />
        </section>
      )}
      <section className="panel">
        <h2>{t('alert.summary')}</h2>
        <Field label={t('playbook.alert')}>
          <Link to={`/alerts/${encodeURIComponent(r.alert_id)}`} className="mono">
            {r.alert_id}
          </Link>
        </Field>
        <Field label={t('alerts.agency')}>{agencyName(session, r.organization.id)}</Field>
        <Field label={t('playbook.trigger')}>
          {t(`playbook.trigger.${r.trigger}`)}
          {r.requested_by ? ` · ${r.requested_by}` : ''}
        </Field>
        <Field label={t('playbook.created')}>{i18n.date(r.created_at, 'medium')}</Field>
        <Field label={t('playbook.finished')}>{i18n.date(r.finished_at, 'medium')}</Field>
        {denied ? (
          <Field label={t('runStatus.denied')}>
            <span className="bad-text" data-testid="run-denied">
              {denied.by === 'user' ? t('playbook.deniedBy', { who: denied.user, when: i18n.date(denied.at) }) : t('playbook.deniedTimeout', { when: i18n.date(denied.at) })}
              {denied.by === 'user' && denied.comment && (
                <>
                  {' — '}
                  <span data-user-content>{denied.comment}</span>
                </>
              )}
            </span>
          </Field>
        ) : (
          r.error && (
            <Field label={t('common.error')}>
              <span className="bad-text" data-user-content>
                {r.error}
              </span>
            </Field>
          )
        )}
      </section>
      <section className="panel">
        <h2>{t('playbooks.steps')}</h2>
        {r.steps.length === 0 ? <Empty /> : r.steps.map((s) => <StepCard key={s.key} step={s} />)}
      </section>
    </div>
  );
}

function StepCard(props: { step: RunStep }): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const s = props.step;
  return (
    <div className={`step-card tone-${runTone(s.status)}`} data-step={s.step_id}>
      <div className="step-head">
        <strong>{s.step_id}</strong>
        {s.iteration !== null && <span className="muted"> #{s.iteration}</span>} <span className="tag mono">{s.action}</span> <RunStatusBadge status={s.status} />{' '}
        <span className="muted small">
          {t('playbook.attempts', { count: s.attempts })} · {i18n.date(s.started_at)}
          {s.finished_at ? ` → ${i18n.date(s.finished_at, 'time')}` : ''}
        </span>
      </div>
      {s.error && <div className="bad-text small" data-user-content>{s.error}</div>}
      <div className="grid-2">
        <div>
          <div className="kv-label">{t('playbook.input')}</div>
          <pre className="json" data-user-content>{stepValueText(s.input)}</pre>
        </div>
        <div>
          <div className="kv-label">{t('playbook.output')}</div>
          <pre className="json" data-user-content>{stepValueText(s.output)}</pre>
        </div>
      </div>
    </div>
  );
}
