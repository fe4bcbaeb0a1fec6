/**
 * One incident: status and assignment, the reporting clock (SLA and regulatory deadlines with
 * submission and the generated report documents in Vietnamese and English), tasks, and the
 * timeline with comments.
 */
import { useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { INCIDENT_STATUSES, incidentsApi, reportKindOf, reportUrl, TASK_STATUSES, type IncidentDetail, type IncidentDue, type TaskStatus } from '../api/incidents';
import { Notice } from '../components/action-notice';
import { Empty, ErrorState, Field, Loading, PageHeader, SeverityBadge } from '../components/common';
import { IncidentTitle, useRuleTitleOf } from '../components/rule-title';
import { TextEntryForm } from '../components/text-entry-form';
import { useI18n, type MessageKey } from '../i18n';
import { canSubmit } from '../lib/incident-clock';
import { actorLabel, timelineParts } from '../lib/timeline-text';
import { term } from '../lib/query';
import { useLoad } from '../lib/use-load';
import { Link } from '../router';
import { agencyName, useSession } from '../session';
import { DueClock, dueTitle } from './incident-list';
import { errorText } from '../lib/error-text';
import { AlertRunsPanel } from '../components/playbook-runs';

export function IncidentDetailView(props: { id: string }): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const titleOf = useRuleTitleOf();
  const incident = useLoad(() => incidentsApi.get(props.id), [props.id], session.refreshSeconds * 2000);
  const [message, setMessage] = useState<string | undefined>(undefined);
  if (incident.error !== undefined && incident.data === undefined) {
    if (incident.error instanceof ApiError && incident.error.status === 404 && !incident.error.routeMissing) {
      return <Empty>{t('incident.notFound')}</Empty>;
    }
    return <ErrorState error={incident.error} what={t('menu.incidents')} />;
  }
  const x = incident.data;
  if (!x) return <Loading />;
  const run = async (f: () => Promise<unknown>): Promise<boolean> => {
    try {
      await f();
      setMessage(undefined);
      incident.reload();
      return true;
    } catch (err) {
      setMessage(errorText(err));
      return false;
    }
  };
  const canManage = session.can('incidents:manage');
  return (
    <div className="view" data-testid="incident-detail">
      <PageHeader
        title={<IncidentTitle title={x.title} titleOf={titleOf} />}
        subtitle={
          <span className="row-gap">
            <SeverityBadge severity={x.severity} /> <span className="status">{t(`incident.status.${x.status}`)}</span> <span className="mono muted">{x.id}</span>
            {x.serious && <span className="tag tag-warn">{t('incident.serious')}</span>}
          </span>
        }
      >
        <Link to="/incidents" className="btn ghost">
          ← {t('incidents.title')}
        </Link>
      </PageHeader>
      {canManage && (
        <div className="action-bar">
          <label>
            {t('alerts.status')}{' '}
            <select value={x.status} data-field="incident-status" onChange={(e) => void run(() => incidentsApi.update(x.id, { status: e.target.value as IncidentDetail['status'] }))}>
              {INCIDENT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`incident.status.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <button className="btn" type="button" disabled={x.assignee === session.me.user.username} onClick={() => void run(() => incidentsApi.update(x.id, { assignee: session.me.user.username }))}>
            {t('action.assignToMe')}
          </button>
        </div>
      )}
      <Notice message={message} />
      <div className="grid-2">
        <section className="panel">
          <h2>{t('alert.summary')}</h2>
          <Field label={t('alerts.agency')}>{x.organization.name ?? agencyName(session, x.organization.id)}</Field>
          <Field label={t('incident.category')}>{t(`incident.category.${x.category}` as MessageKey)}</Field>
          <Field label={t('incident.detected')}>{i18n.date(x.detected_at, 'medium')}</Field>
          <Field label={t('incidents.opened')}>{i18n.date(x.opened_at, 'medium')}</Field>
          <Field label={t('alerts.assignee')}>{x.assignee ?? '–'}</Field>
          <Field label={t('incident.entities')}>
            {x.entities.length === 0
              ? '–'
              : x.entities.slice(0, 20).map((e) => (
                  <Link key={`${e.kind}=${e.value}`} to={`/events?q=${encodeURIComponent(term(e.kind, e.value))}&range=now-7d`} className="tag mono">
                    {e.kind}: {e.value}
                  </Link>
                ))}
          </Field>
          <Field label={t('incidents.alerts')}>
            {x.alert_ids.map((id) => (
              <div key={id}>
                <Link to={`/alerts/${encodeURIComponent(id)}`} className="mono">
                  {id}
                </Link>
              </div>
            ))}
          </Field>
        </section>
        <TasksPanel incident={x} canManage={canManage} run={run} />
      </div>
      <ReportingClock incident={x} canManage={canManage} run={run} />
      <AlertRunsPanel alertIds={x.alert_ids} />
      <TimelinePanel incident={x} canManage={canManage} run={run} />
    </div>
  );
}

type Run = (f: () => Promise<unknown>) => Promise<boolean>;

function ReportingClock(props: { incident: IncidentDetail; canManage: boolean; run: Run }): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const x = props.incident;
  const [submitting, setSubmitting] = useState<string | undefined>(undefined);
  const [reference, setReference] = useState('');
  const submit = async (due: IncidentDue): Promise<void> => {
    const kind = reportKindOf(due);
    if (kind === undefined || reference.trim() === '') return;
    if (await props.run(() => incidentsApi.submitReport(x.id, kind, reference.trim()))) {
      setSubmitting(undefined);
      setReference('');
    }
  };
  return (
    <section className="panel" data-testid="reporting-clock">
      <h2>{t('incidents.reporting')}</h2>
      {x.due.length === 0 ? (
        <Empty />
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{t('incident.deadline')}</th>
              <th>{t('incident.dueAt')}</th>
              <th>{t('incident.clock')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {x.due.map((d) => {
              const kind = reportKindOf(d);
              return (
                <tr key={d.key} data-due={d.key}>
                  <td>
                    {dueTitle(t, d)}
                    {d.recipient && <Recipient due={d} />}
                    {d.reference && <div className="muted small">{t('incident.reference', { ref: d.reference, who: d.submitted_by ?? '' })}</div>}
                  </td>
                  <td className="nowrap">{i18n.date(d.due_at)}</td>
                  <td>
                    <DueClock due={d} />
                  </td>
                  <td className="nowrap">
                    {kind && (
                      <span className="row-gap">
                        <a className="btn small" href={reportUrl(x.id, kind, 'vi')} target="_blank" rel="noreferrer" data-report={`${kind}-vi`}>
                          {t('incident.documentVi')}
                        </a>
                        <a className="btn small" href={reportUrl(x.id, kind, 'en')} target="_blank" rel="noreferrer" data-report={`${kind}-en`}>
                          {t('incident.documentEn')}
                        </a>
                        {props.canManage && canSubmit(d) && submitting !== d.key && (
                          <button className="btn small primary" type="button" onClick={() => setSubmitting(d.key)} data-action={`submit-${kind}`}>
                            {t('incident.submit')}
                          </button>
                        )}
                      </span>
                    )}
                    {submitting === d.key && (
                      <form
                        className="inline-form"
                        onSubmit={(e) => {
                          e.preventDefault();
                          void submit(d);
                        }}
                      >
                        <input value={reference} onChange={(e) => setReference(e.target.value)} placeholder={t('incident.referencePlaceholder')} aria-label={t('incident.referenceLabel')} autoFocus />
                        <button className="btn small primary" type="submit">
                          {t('incident.recordSubmission')}
                        </button>
                        <button className="btn small ghost" type="button" onClick={() => setSubmitting(undefined)}>
                          {t('common.cancel')}
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Who receives a report: socnoc's default recipient of the regime in the reader's language, a configured one as written. */
function Recipient(props: { due: IncidentDue }): ReactNode {
  const { t } = useI18n();
  const d = props.due;
  const key = `recipient.${d.recipient_key ?? ''}` as MessageKey;
  const named = d.recipient_key ? t(key) : key;
  if (named !== key) return <div className="muted small">{t('incident.recipient', { who: named })}</div>;
  const [before, after] = t('incident.recipient', { who: '\u0000' }).split('\u0000');
  return (
    <div className="muted small">
      {before}
      <span data-user-content>{d.recipient}</span>
      {after}
    </div>
  );
}

function TasksPanel(props: { incident: IncidentDetail; canManage: boolean; run: Run }): ReactNode {
  const { t } = useI18n();
  const x = props.incident;
  return (
    <section className="panel">
      <h2>{t('incidents.tasks')}</h2>
      {x.tasks.length === 0 ? (
        <Empty />
      ) : (
        <ul className="tasks">
          {x.tasks.map((task) => (
            <li key={task.id} className={`task task-${task.status}`}>
              {props.canManage ? (
                <select value={task.status} aria-label={t('alerts.status')} onChange={(e) => void props.run(() => incidentsApi.updateTask(x.id, task.id, { status: e.target.value as TaskStatus }))}>
                  {TASK_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {t(`taskStatus.${s}`)}
                    </option>
                  ))}
                </select>
              ) : (
                <span className="tag">{t(`taskStatus.${task.status}`)}</span>
              )}{' '}
              <span data-user-content>{task.title}</span> <span className="muted">{task.assignee ?? ''}</span>
            </li>
          ))}
        </ul>
      )}
      {props.canManage && (
        <TextEntryForm
          placeholder={t('incident.taskPlaceholder')}
          label={t('incident.newTask')}
          button={t('incident.addTask')}
          onSubmit={(title) => props.run(() => incidentsApi.addTask(x.id, title))}
        />
      )}
    </section>
  );
}

function TimelinePanel(props: { incident: IncidentDetail; canManage: boolean; run: Run }): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const x = props.incident;
  const ruleTitle = useRuleTitleOf();
  const format = { t, date: (iso: string) => i18n.date(iso), ruleTitle };
  return (
    <section className="panel">
      <h2>{t('incidents.timeline')}</h2>
      <ul className="timeline" data-testid="incident-timeline">
        {x.timeline.map((e) => (
          <li key={e.id} data-kind={e.kind}>
            <span className="muted">{i18n.date(e.time)}</span> <strong>{actorLabel(e.actor, t)}</strong> <span className="tag">{t(`timeline.${e.kind}` as MessageKey)}</span>{' '}
            {timelineParts(e, format).map((part, i) =>
              part.authored ? (
                <span key={i} data-user-content>
                  {part.text}
                </span>
              ) : (
                part.text
              ),
            )}
          </li>
        ))}
      </ul>
      {props.canManage && (
        <TextEntryForm
          placeholder={t('alert.commentPlaceholder')}
          label={t('alert.comment')}
          button={t('alert.addComment')}
          onSubmit={(comment) => props.run(() => incidentsApi.comment(x.id, comment))}
        />
      )}
    </section>
  );
}
