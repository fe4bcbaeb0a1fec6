/** Incidents: the list with status filter and each incident's next deadline (SLA or regulatory report). */
import { useState, type ReactNode } from 'react';
import { INCIDENT_STATUSES, incidentsApi, type IncidentDue } from '../api/incidents';
import { PageHeader, SeverityBadge } from '../components/common';
import { IncidentTitle, useRuleTitleOf } from '../components/rule-title';
import { LoadState } from '../components/load-state';
import { DataTable } from '../components/data-table';
import { useI18n, type MessageKey } from '../i18n';
import { clockState, nextDue } from '../lib/incident-clock';
import { useLoad } from '../lib/use-load';
import { navigate } from '../router';
import { agencyName, useSession } from '../session';

/** The deadline's name in the user's language (the server's title as a fallback). */
export function dueTitle(t: (key: MessageKey) => string, due: IncidentDue): string {
  const key = `due.${due.key}` as MessageKey;
  const text = t(key);
  return text === key ? due.title : text;
}

/** Time left (or overdue since) on a deadline, red once overdue. */
export function DueClock(props: { due: IncidentDue | undefined }): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  if (!props.due) return <span className="muted">–</span>;
  const state = clockState(props.due, Date.now());
  if (state === 'done') return <span className="due done">{t(`dueStatus.${props.due.status}` as MessageKey)}</span>;
  if (state === 'not_started' || props.due.due_at === null) return <span className="muted">{t('incident.clockNotStarted')}</span>;
  if (state === 'not_applicable') return <span className="muted">{t('dueStatus.not_applicable')}</span>;
  return (
    <span className={state === 'overdue' ? 'due overdue' : 'due'} title={i18n.date(props.due.due_at, 'medium')} data-clock={state}>
      {state === 'overdue' ? t('incident.overdueSince', { when: i18n.relative(props.due.due_at) }) : t('incident.dueIn', { when: i18n.relative(props.due.due_at) })}
    </span>
  );
}

export function IncidentListView(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const titleOf = useRuleTitleOf();
  const [status, setStatus] = useState('');
  const list = useLoad(() => incidentsApi.list({ status: status || undefined }), [status], session.refreshSeconds * 2000);
  const rows = (list.data?.incidents ?? []).filter((x) => session.agency === '' || x.organization.id === session.agency);
  const now = Date.now();
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
      <LoadState loaded={list} what={t('menu.incidents')} isEmpty={() => rows.length === 0}>
        {() => (
          <DataTable testId="incident-list" columns={[t('incidents.id'), t('alerts.severity'), t('alerts.status'), t('incidents.titleCol'), t('alerts.agency'), { label: t('incidents.alerts'), className: 'num' }, t('incidents.opened'), t('incidents.nextDue')]}>
            {rows.map((x) => {
              const next = nextDue(x, now);
              return (
                <tr key={x.id} className="clickable" data-incident={x.id} onClick={() => navigate(`/incidents/${encodeURIComponent(x.id)}`)}>
                  <td className="mono nowrap">{x.id}</td>
                  <td>
                    <SeverityBadge severity={x.severity} />
                  </td>
                  <td>{t(`incident.status.${x.status}`)}</td>
                  <td>
                    <IncidentTitle title={x.title} titleOf={titleOf} />
                  </td>
                  <td>{x.organization.name ?? agencyName(session, x.organization.id)}</td>
                  <td className="num">{i18n.number(x.alert_ids.length)}</td>
                  <td className="nowrap">{i18n.date(x.opened_at)}</td>
                  <td>
                    {next && <div className="muted small">{dueTitle(t, next)}</div>}
                    <DueClock due={next} />
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </LoadState>
    </div>
  );
}
