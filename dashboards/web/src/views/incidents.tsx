/** Incidents (issue 6): the list with reporting deadlines, and one incident's timeline, tasks and reports. */
import { useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { incidentsApi } from '../api/incidents';
import type { Incident, IncidentDue } from '../api/types';
import { Empty, ErrorState, Field, Loading, PageHeader, SeverityBadge } from '../components/common';
import { useI18n } from '../i18n';
import { useLoad } from '../lib/use-load';
import { Link, navigate } from '../router';
import { agencyName, useSession } from '../session';

const INCIDENT_STATUSES = ['open', 'investigating', 'contained', 'resolved', 'closed'] as const;

function dueTime(d: IncidentDue): string | undefined {
  return (d.due_at ?? d.due) as string | undefined;
}

function nextDue(incident: Incident): IncidentDue | undefined {
  const pending = incident.due.filter((d) => d.status !== 'submitted' && d.status !== 'met' && dueTime(d) !== undefined);
  return pending.sort((a, b) => Date.parse(dueTime(a)!) - Date.parse(dueTime(b)!))[0];
}

function DueClock(props: { due: IncidentDue | undefined }): ReactNode {
  const i18n = useI18n();
  if (!props.due) return <span className="muted">–</span>;
  const at = dueTime(props.due)!;
  const overdue = Date.parse(at) < Date.now();
  return (
    <span className={overdue ? 'due overdue' : 'due'} title={i18n.date(at, 'medium')}>
      {props.due.name ?? props.due.kind ?? ''} {i18n.relative(at)}
    </span>
  );
}

export function IncidentListView(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const [status, setStatus] = useState('');
  const list = useLoad(() => incidentsApi.list({ status: status || undefined }), [status], session.refreshSeconds * 2000);
  const rows = (list.data?.incidents ?? []).filter((x) => session.agency === '' || x.organization.id === session.agency);
  return (
    <div className="view">
      <PageHeader title={t('incidents.title')} subtitle={list.data ? t('incidents.total', { n: i18n.number(list.data.total) }) : undefined}>
        <select value={status} onChange={(e) => setStatus(e.target.value)} aria-label={t('alerts.status')}>
          <option value="">{t('incidents.allStatuses')}</option>
          {INCIDENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`incident.status.${s}`)}
            </option>
          ))}
        </select>
      </PageHeader>
      {list.error !== undefined ? (
        <ErrorState error={list.error} what={t('menu.incidents')} />
      ) : !list.data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Empty />
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>ID</th>
              <th>{t('alerts.severity')}</th>
              <th>{t('alerts.status')}</th>
              <th>{t('incidents.titleCol')}</th>
              <th>{t('alerts.agency')}</th>
              <th className="num">{t('incidents.alerts')}</th>
              <th>{t('incidents.opened')}</th>
              <th>{t('incidents.nextDue')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((x) => (
              <tr key={x.id} className="clickable" onClick={() => navigate(`/incidents/${encodeURIComponent(x.id)}`)}>
                <td className="mono">{x.id}</td>
                <td>
                  <SeverityBadge severity={x.severity} />
                </td>
                <td>{t(`incident.status.${x.status as (typeof INCIDENT_STATUSES)[number]}`)}</td>
                <td>{x.title}</td>
                <td>{agencyName(session, x.organization.id)}</td>
                <td className="num">{i18n.number(x.alert_ids.length)}</td>
                <td>{i18n.date(x.opened_at)}</td>
                <td>
                  <DueClock due={nextDue(x)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function IncidentDetailView(props: { id: string }): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const incident = useLoad(() => incidentsApi.get(props.id), [props.id], session.refreshSeconds * 2000);
  const [comment, setComment] = useState('');
  const [message, setMessage] = useState<string | undefined>(undefined);
  if (incident.error !== undefined) {
    if (incident.error instanceof ApiError && incident.error.status === 404 && !incident.error.routeMissing) return <Empty>{t('incident.notFound')}</Empty>;
    return <ErrorState error={incident.error} what={t('menu.incidents')} />;
  }
  const x = incident.data;
  if (!x) return <Loading />;
  const run = async (f: () => Promise<unknown>): Promise<void> => {
    try {
      await f();
      setMessage(undefined);
      incident.reload();
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    }
  };
  const canManage = session.can('incidents:manage');
  return (
    <div className="view">
      <PageHeader title={x.title} subtitle={<span className="row-gap"><SeverityBadge severity={x.severity} /> <span className="mono">{x.id}</span></span>}>
        <Link to="/incidents" className="btn ghost">
          ← {t('incidents.title')}
        </Link>
      </PageHeader>
      {canManage && (
        <div className="action-bar">
          <label>
            {t('alerts.status')}{' '}
            <select value={x.status} onChange={(e) => void run(() => incidentsApi.update(x.id, { status: e.target.value }))}>
              {INCIDENT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`incident.status.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <button className="btn" type="button" onClick={() => void run(() => incidentsApi.update(x.id, { assignee: session.me.user.username }))}>
            {t('action.assignToMe')}
          </button>
        </div>
      )}
      {message !== undefined && <div className="notice">{message}</div>}
      <div className="grid-2">
        <section className="panel">
          <h2>{t('alert.summary')}</h2>
          <Field label={t('alerts.agency')}>{agencyName(session, x.organization.id)}</Field>
          <Field label={t('incidents.opened')}>{i18n.date(x.opened_at, 'medium')}</Field>
          <Field label={t('alerts.assignee')}>{x.assignee ?? '–'}</Field>
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
        <section className="panel">
          <h2>{t('incidents.reporting')}</h2>
          {x.due.length === 0 ? (
            <Empty />
          ) : (
            <table className="table">
              <tbody>
                {x.due.map((d, i) => (
                  <tr key={i}>
                    <td>{d.name ?? d.kind ?? ''}</td>
                    <td>{d.recipient ?? ''}</td>
                    <td>{i18n.date(dueTime(d) ?? null)}</td>
                    <td>{d.status ?? ''}</td>
                    <td>
                      <DueClock due={d} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <section className="panel">
        <h2>{t('incidents.tasks')}</h2>
        {(x.tasks ?? []).length === 0 ? (
          <Empty />
        ) : (
          <ul className="tasks">
            {(x.tasks ?? []).map((task) => (
              <li key={task.id}>
                <span className={`task-status task-${task.status}`}>{task.status}</span> {task.title} <span className="muted">{task.assignee ?? ''}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="panel">
        <h2>{t('incidents.timeline')}</h2>
        <ul className="timeline">
          {(x.timeline ?? []).map((e, i) => (
            <li key={i}>
              <span className="muted">{i18n.date(e.time)}</span> <strong>{e.actor ?? ''}</strong> <span className="tag">{e.kind}</span> {e.text ?? ''}
            </li>
          ))}
        </ul>
        {canManage && (
          <form
            className="comment-box"
            onSubmit={(e) => {
              e.preventDefault();
              if (comment.trim() !== '') void run(() => incidentsApi.comment(x.id, comment.trim())).then(() => setComment(''));
            }}
          >
            <input value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('alert.commentPlaceholder')} aria-label={t('alert.comment')} />
            <button className="btn" type="submit">
              {t('alert.addComment')}
            </button>
          </form>
        )}
      </section>
    </div>
  );
}
