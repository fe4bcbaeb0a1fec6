/**
 * One alert: summary, lifecycle actions, ATT&CK and compliance mappings, the rule, the matching
 * events, related alerts, and history and comments when the lifecycle API provides them.
 */
import { useState, type ReactNode } from 'react';
import { alertsApi, type AlertUpdate } from '../api/alerts';
import { rulesApi } from '../api/admin';
import { ApiError } from '../api/client';
import { ALERT_STATUSES, SEVERITIES, type Alert, type AlertComment, type AlertHistoryEntry, type AlertStatus, type EcsEvent, type Severity } from '../api/types';
import { Empty, ErrorState, Field, Loading, PageHeader, SeverityBadge, StatusBadge } from '../components/common';
import { useI18n } from '../i18n';
import { tacticLabel } from '../lib/attack-labels';
import { term } from '../lib/query';
import { useLoad } from '../lib/use-load';
import { Link } from '../router';
import { agencyName, useSession } from '../session';
import { SuppressButton } from '../components/suppress-button';
import { Notice } from '../components/action-notice';
import { TextEntryForm } from '../components/text-entry-form';
import { errorText } from '../lib/error-text';
import { AlertPlaybooks } from '../components/alert-playbooks';
import { RuleTitle, useRuleTitleOf } from '../components/rule-title';

export function AlertDetailView(props: { id: string }): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const titleOf = useRuleTitleOf();
  const alert = useLoad(() => alertsApi.get(props.id), [props.id], session.refreshSeconds * 2000);
  const [message, setMessage] = useState<string | undefined>(undefined);

  if (alert.error !== undefined && alert.data === undefined) {
    if (alert.error instanceof ApiError && alert.error.status === 404 && !alert.error.routeMissing) {
      return (
        <div className="view">
          <PageHeader title={t('alert.title')} />
          <div className="state empty" data-testid="alert-not-found">
            {t('alert.notFound')}
          </div>
        </div>
      );
    }
    return <ErrorState error={alert.error} />;
  }
  const a = alert.data;
  if (!a) return <Loading />;

  const update = async (body: AlertUpdate): Promise<void> => {
    try {
      await alertsApi.update(a.id, body);
      setMessage(undefined);
      alert.reload();
    } catch (err) {
      setMessage(err instanceof ApiError && err.routeMissing ? t('alerts.lifecycleMissing') : errorText(err));
    }
  };
  const addComment = async (comment: string): Promise<boolean> => {
    try {
      await alertsApi.comment(a.id, comment);
      alert.reload();
      return true;
    } catch (err) {
      setMessage(err instanceof ApiError && err.routeMissing ? t('alerts.lifecycleMissing') : errorText(err));
      return false;
    }
  };
  const canManage = session.can('alerts:manage');

  return (
    <div className="view" data-testid="alert-detail">
      <PageHeader
        title={<RuleTitle id={a.rule.id} name={a.rule.name} titleOf={titleOf} />}
        subtitle={
          <span className="row-gap">
            <SeverityBadge severity={a.severity} /> <StatusBadge status={a.status} /> <span className="mono muted">{a.id}</span>
          </span>
        }
      >
        <Link to="/alerts" className="btn ghost">
          ← {t('alert.back')}
        </Link>
      </PageHeader>
      {canManage && (
        <div className="action-bar">
          <button className="btn" type="button" disabled={a.status !== 'new'} onClick={() => void update({ status: 'acknowledged' })} data-action="acknowledge">
            {t('action.acknowledge')}
          </button>
          <button className="btn" type="button" onClick={() => void update({ status: 'in_progress', assignee: session.me.user.username })} data-action="assign">
            {t('action.assignToMe')}
          </button>
          <button className="btn" type="button" onClick={() => void update({ status: 'resolved' })} data-action="close">
            {t('action.close')}
          </button>
          <button className="btn" type="button" onClick={() => void update({ status: 'false_positive' })} data-action="false-positive">
            {t('action.falsePositive')}
          </button>
          <label className="push-right">
            {t('alerts.severity')}{' '}
            <select value={a.severity} data-field="severity" onChange={(e) => void update({ severity: e.target.value as Severity })}>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {t(`severity.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <SuppressButton alert={a} />
        </div>
      )}
      <Notice message={message} />
      <div className="grid-2">
        <section className="panel">
          <h2>{t('alert.summary')}</h2>
          <Field label={t('alerts.agency')}>{a.organization.name ?? agencyName(session, a.organization.id)}</Field>
          <Field label={t('alert.firstSeen')}>{i18n.date(a.first_seen, 'medium')}</Field>
          <Field label={t('alerts.lastSeen')}>{i18n.date(a.last_seen, 'medium')}</Field>
          <Field label={t('alerts.count')}>{i18n.number(a.count)}</Field>
          <Field label={t('alerts.assignee')}>{a.assignee ?? '–'}</Field>
          <Field label={t('alerts.entity')}>
            {Object.entries(a.group).length === 0
              ? '–'
              : Object.entries(a.group).map(([k, v]) => (
                  <div key={k}>
                    <Link to={`/events?q=${encodeURIComponent(term(k, v))}`} className="mono">
                      {k}: {v}
                    </Link>
                  </div>
                ))}
          </Field>
        </section>
        <section className="panel">
          <h2>{t('alert.mappings')}</h2>
          <Field label={t('alert.techniques')}>
            {a.mappings.attack.techniques.length === 0
              ? '–'
              : a.mappings.attack.techniques.map((x) => (
                  <Link key={x} to={`/alerts?technique=${x}`} className="tag mono">
                    {x}
                  </Link>
                ))}
          </Field>
          <Field label={t('alert.tactics')}>{a.mappings.attack.tactics.map((x) => <span key={x} className="tag">{tacticLabel(t, x)}</span>)}</Field>
          {Object.entries(a.mappings.compliance).map(([framework, ids]) => (
            <Field key={framework} label={framework === 'nist_csf' ? 'NIST CSF 2.0' : framework === 'iso27001' ? 'ISO/IEC 27001:2022' : framework === 'decree85' ? t('alert.decree85') : framework}>
              {ids.length === 0 ? '–' : ids.map((x) => <span key={x} className="tag mono">{x}</span>)}
            </Field>
          ))}
        </section>
      </div>
      <RulePanel alert={a} />
      <section className="panel">
        <h2>
          {t('alert.events')} <span className="muted">({i18n.number(a.events.length)} / {i18n.number(a.count)})</span>
        </h2>
        <EventList events={a.events} />
        {a.event_ids.length > 0 && (
          <Link to={`/events?q=${encodeURIComponent(a.event_ids.slice(0, 20).map((id) => term('event.id', id)).join(' or '))}&range=now-30d`}>{t('alert.openEvents')}</Link>
        )}
      </section>
      <RelatedAlerts alert={a} />
      <AlertPlaybooks alertId={a.id} />
      <section className="panel">
        <h2>{t('alert.history')}</h2>
        {a.history === undefined && a.comments === undefined ? (
          <div className="muted">{t('alert.historyMissing')}</div>
        ) : (
          <ul className="timeline">
            {(a.history ?? a.comments ?? []).map((h, i) => (
              <HistoryLine key={i} entry={h} />
            ))}
          </ul>
        )}
        {canManage && <TextEntryForm placeholder={t('alert.commentPlaceholder')} label={t('alert.comment')} button={t('alert.addComment')} onSubmit={addComment} />}
      </section>
    </div>
  );
}

function HistoryLine(props: { entry: AlertHistoryEntry | AlertComment }): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const e = props.entry;
  const actor = 'actor' in e ? e.actor : e.author;
  const kind = 'kind' in e ? e.kind : 'comment';
  const value = (v: string | null | undefined): string => {
    if (v === null || v === undefined) return '–';
    if (kind === 'status' && (ALERT_STATUSES as readonly string[]).includes(v)) return t(`status.${v as AlertStatus}`);
    if (kind === 'severity' && (SEVERITIES as readonly string[]).includes(v)) return t(`severity.${v as Severity}`);
    return v;
  };
  const what = kind === 'status' ? t('alerts.status') : kind === 'assignee' ? t('alerts.assignee') : kind === 'severity' ? t('alerts.severity') : t('alert.comment');
  return (
    <li>
      <span className="muted">{i18n.date(e.time)}</span> <strong>{actor}</strong> · {what}
      {kind === 'comment' ? `: ${e.text ?? ''}` : `: ${value('from' in e ? e.from : null)} → ${value('to' in e ? e.to : null)}`}
    </li>
  );
}

function RulePanel(props: { alert: Alert }): ReactNode {
  const { t } = useI18n();
  const titleOf = useRuleTitleOf();
  const session = useSession();
  const rules = useLoad(() => (session.can('rules:read') ? rulesApi.list({ search: props.alert.rule.id, limit: 5 }) : Promise.resolve(undefined)), [props.alert.rule.id]);
  const rule = rules.data?.rules.find((r) => r.id === props.alert.rule.id || r.title === props.alert.rule.name);
  return (
    <section className="panel">
      <h2>{t('alert.rule')}</h2>
      <Field label={t('rules.title')}>
        <RuleTitle id={props.alert.rule.id} name={props.alert.rule.name} titleOf={titleOf} />
      </Field>
      <Field label="ID">
        <span className="mono">{props.alert.rule.id}</span>
      </Field>
      <Field label={t('rules.ruleset')}>{props.alert.rule.ruleset}</Field>
      <Field label={t('rules.level')}>
        <SeverityBadge severity={props.alert.rule.level} />
      </Field>
      <Field label={t('rules.tags')}>{props.alert.rule.tags.map((x) => <span key={x} className="tag mono">{x}</span>)}</Field>
      {rule && (
        <>
          <Field label={t('rules.file')}>
            <span className="mono">
              {rule.file}:{rule.line}
            </span>
          </Field>
          <Field label={t('rules.logsource')}>
            <span className="mono">{rule.logsource ? Object.entries(rule.logsource).map(([k, v]) => `${k}: ${v}`).join(', ') : '–'}</span>
          </Field>
          {rule.type && <Field label={t('rules.type')}>{rule.type}</Field>}
        </>
      )}
    </section>
  );
}

function RelatedAlerts(props: { alert: Alert }): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const a = props.alert;
  const titleOf = useRuleTitleOf();
  const q = a.group_key !== '' ? term('group_key', a.group_key) : term('rule.id', a.rule.id);
  const related = useLoad(() => alertsApi.search({ q, limit: 20, from: 'now-30d', view: 'summary' }), [q]);
  const others = (related.data?.alerts ?? []).filter((x) => x.id !== a.id);
  return (
    <section className="panel">
      <h2>{t('alert.related')}</h2>
      {related.error !== undefined ? (
        <ErrorState error={related.error} />
      ) : others.length === 0 ? (
        <Empty />
      ) : (
        <table className="table">
          <tbody>
            {others.map((o) => (
              <tr key={o.id}>
                <td>
                  <SeverityBadge severity={o.severity} />
                </td>
                <td>
                  <Link to={`/alerts/${encodeURIComponent(o.id)}`}>
                    <RuleTitle id={o.rule.id} name={o.rule.name} titleOf={titleOf} />
                  </Link>
                </td>
                <td>
                  <StatusBadge status={o.status} />
                </td>
                <td className="num">{i18n.number(o.count)}</td>
                <td>{i18n.date(o.last_seen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Events as rows with the message; a click shows the whole ECS document. */
export function EventList(props: { events: readonly EcsEvent[] }): ReactNode {
  const i18n = useI18n();
  const [open, setOpen] = useState<string | undefined>(undefined);
  if (props.events.length === 0) return <Empty />;
  return (
    <table className="table events-table">
      <tbody>
        {props.events.map((e) => (
          <EventRow key={e.event.id} event={e} open={open === e.event.id} onToggle={() => setOpen(open === e.event.id ? undefined : e.event.id)} date={i18n.date} />
        ))}
      </tbody>
    </table>
  );
}

function EventRow(props: { event: EcsEvent; open: boolean; onToggle(): void; date(v: string): string }): ReactNode {
  const e = props.event;
  return (
    <>
      <tr className="clickable" onClick={props.onToggle}>
        <td className="nowrap">{props.date(e['@timestamp'])}</td>
        <td className="mono nowrap">{e.event.dataset ?? ''}</td>
        <td className="ellipsis-cell" data-user-content>
          {e.message ?? e.event.original ?? ''}
        </td>
      </tr>
      {props.open && (
        <tr>
          <td colSpan={3}>
            <pre className="json" data-user-content>
              {JSON.stringify(e, null, 2)}
            </pre>
          </td>
        </tr>
      )}
    </>
  );
}
