/**
 * The alert queue: server-side filters (severity, status, rule, agency, time, query), client-side
 * ATT&CK filters and sorting over up to 10,000 loaded alerts, virtualised rows, live updates by
 * polling the first page, and bulk lifecycle actions.
 */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { alertsApi } from '../api/alerts';
import { ApiError } from '../api/client';
import { ALERT_STATUSES, SEVERITIES, type Alert, type AlertStatus, type Severity } from '../api/types';
import { ErrorState, PageHeader, SeverityBadge, StatusBadge, TimeRangeSelect } from '../components/common';
import { sortRows, VirtualTable, type Column, type Sort } from '../components/virtual-table';
import { useI18n, type MessageKey } from '../i18n';
import { applyToAlerts } from '../lib/alert-actions';
import { TACTICS } from '../lib/attack';
import { LIVE_PAGE, listParam, queueServerQuery } from '../lib/alert-queue-query';
import { navigate, setQuery, useLocation } from '../router';
import { agencyName, useSession } from '../session';
import { errorText } from '../lib/error-text';
import { RuleTitle, useRuleTitleOf } from '../components/rule-title';

export const MAX_LOADED_ALERTS = 10_000;
const SEVERITY_RANK: Record<string, number> = { informational: 0, low: 1, medium: 2, high: 3, critical: 4 };

export function AlertQueueView(): ReactNode {
  const titleOf = useRuleTitleOf();
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const location = useLocation();
  const q = location.query.get('q') ?? '';
  const severities = listParam(location.query.get('severity')) as Severity[];
  const statusParam = location.query.get('status') ?? 'new,acknowledged,in_progress';
  const statuses = (statusParam === 'all' ? [] : listParam(statusParam)) as AlertStatus[];
  const rule = location.query.get('rule') ?? '';
  const tactic = location.query.get('tactic') ?? '';
  const technique = location.query.get('technique') ?? '';
  const rangeParam = location.query.get('range');
  const range = rangeParam === 'all' ? '' : (rangeParam ?? 'now-7d');

  const [alerts, setAlerts] = useState<Map<string, Alert>>(new Map());
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [sort, setSort] = useState<Sort>({ key: 'last_seen', desc: true });
  const [draftQ, setDraftQ] = useState(q);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [reloadTick, setReloadTick] = useState(0);
  const [lifecycleMissing, setLifecycleMissing] = useState(false);

  // Keyed on the URL's query text: the arrays inside are rebuilt per render.
  const serverQuery = useMemo(() => queueServerQuery(location.query, session.agency), [location.query.toString(), session.agency]);

  // The first page paints at once; the rest (up to MAX_LOADED_ALERTS) streams in behind it.
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setSelected(new Set());
    const run = async (): Promise<void> => {
      try {
        const first = await alertsApi.search({ ...serverQuery, limit: LIVE_PAGE }, controller.signal);
        if (controller.signal.aborted) return;
        const loaded = new Map(first.alerts.map((a) => [a.id, a]));
        setAlerts(loaded);
        setTotal(first.total);
        setError(undefined);
        setFresh(new Set());
        setLoading(false);
        let cursor = first.next;
        // The rest streams in once the first rows are on screen, a frame apart so scrolling and
        // clicks stay responsive while up to 10,000 alerts arrive.
        const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
        await nextFrame();
        while (cursor !== null && loaded.size < MAX_LOADED_ALERTS && !controller.signal.aborted) {
          const page = await alertsApi.search({ ...serverQuery, limit: Math.min(1000, MAX_LOADED_ALERTS - loaded.size), cursor }, controller.signal);
          if (controller.signal.aborted) return;
          for (const a of page.alerts) if (!loaded.has(a.id)) loaded.set(a.id, a);
          setAlerts(new Map(loaded));
          cursor = page.next;
          await nextFrame();
        }
      } catch (err) {
        if (!controller.signal.aborted) {
          setError(err);
          setLoading(false);
        }
      }
    };
    void run();
    return () => controller.abort();
  }, [serverQuery, reloadTick]);

  // Live updates: the newest activity comes first, so the first page holds every new or folded alert.
  useEffect(() => {
    if (loading) return;
    const timer = setInterval(() => {
      alertsApi
        .search({ ...serverQuery, limit: LIVE_PAGE })
        .then((page) => {
          setTotal(page.total);
          setAlerts((prev) => {
            let changed = false;
            const next = new Map(prev);
            const arrived: string[] = [];
            for (const a of page.alerts) {
              const old = prev.get(a.id);
              if (!old) arrived.push(a.id);
              if (!old || old.updated_at !== a.updated_at || old.count !== a.count || old.status !== a.status) {
                next.set(a.id, a);
                changed = true;
              }
            }
            if (arrived.length > 0) setFresh((f) => new Set([...f, ...arrived]));
            return changed ? next : prev;
          });
        })
        .catch(() => undefined);
    }, session.refreshSeconds * 1000);
    return () => clearInterval(timer);
  }, [loading, serverQuery, session.refreshSeconds]);

  const filtered = useMemo(() => {
    const out: Alert[] = [];
    for (const a of alerts.values()) {
      if (tactic !== '' && !a.mappings.attack.tactics.some((x) => x.replace(/_/g, '-') === tactic)) continue;
      if (technique !== '' && !a.mappings.attack.techniques.some((x) => x.toUpperCase().startsWith(technique.toUpperCase()))) continue;
      out.push(a);
    }
    return out;
  }, [alerts, tactic, technique]);

  const ruleOptions = useMemo(() => {
    const m = new Map<string, string>();
    for (const a of alerts.values()) m.set(a.rule.id, titleOf(a.rule.id, a.rule.name));
    if (rule !== '' && !m.has(rule)) m.set(rule, rule);
    return [...m.entries()].sort((a, b) => a[1].localeCompare(b[1]));
  }, [alerts, rule]);

  const columns: Array<Column<Alert>> = [
    { key: 'severity', header: t('alerts.severity'), width: '100px', render: (a) => <SeverityBadge severity={a.severity} />, sortValue: (a) => SEVERITY_RANK[a.severity] ?? 0 },
    { key: 'status', header: t('alerts.status'), width: '120px', render: (a) => <StatusBadge status={a.status} />, sortValue: (a) => a.status },
    { key: 'rule', header: t('alerts.rule'), width: 'minmax(200px, 3fr)', render: (a) => <RuleTitle className="ellipsis" id={a.rule.id} name={a.rule.name} titleOf={titleOf} />, sortValue: (a) => titleOf(a.rule.id, a.rule.name) },
    { key: 'entity', header: t('alerts.entity'), width: 'minmax(120px, 2fr)', render: (a) => <span className="ellipsis mono" title={a.group_key}>{Object.values(a.group).join(' · ') || '–'}</span>, sortValue: (a) => a.group_key },
    { key: 'agency', header: t('alerts.agency'), width: 'minmax(100px, 1fr)', render: (a) => <span className="ellipsis">{a.organization.name ?? agencyName(session, a.organization.id)}</span>, sortValue: (a) => a.organization.id },
    { key: 'technique', header: t('alerts.technique'), width: '100px', render: (a) => <span className="mono">{a.mappings.attack.techniques[0] ?? '–'}</span>, sortValue: (a) => a.mappings.attack.techniques[0] ?? '' },
    { key: 'count', header: t('alerts.count'), width: '70px', render: (a) => <span className="num">{i18n.number(a.count)}</span>, sortValue: (a) => a.count },
    { key: 'assignee', header: t('alerts.assignee'), width: '100px', render: (a) => <span className="ellipsis">{a.assignee ?? '–'}</span>, sortValue: (a) => a.assignee ?? '' },
    { key: 'last_seen', header: t('alerts.lastSeen'), width: '150px', render: (a) => <span title={i18n.date(a.last_seen, 'medium')}>{i18n.date(a.last_seen)}</span>, sortValue: (a) => Date.parse(a.last_seen) },
  ];
  const rows = useMemo(() => sortRows(filtered, columns, sort), [filtered, sort, i18n.lang]);

  const act = async (update: Parameters<typeof applyToAlerts>[1], label: MessageKey): Promise<void> => {
    const ids = [...selected];
    if (ids.length === 0) return;
    try {
      const outcome = await applyToAlerts(ids, update);
      setNotice(t('alerts.bulkDone', { action: t(label), ok: outcome.ok, failed: outcome.failed.length }));
      setSelected(new Set());
      setReloadTick((n) => n + 1);
    } catch (err) {
      if (err instanceof ApiError && err.routeMissing) setLifecycleMissing(true);
      else setNotice(errorText(err));
    }
  };

  const toggleIn = (list: readonly string[], value: string): string => (list.includes(value) ? list.filter((x) => x !== value) : [...list, value]).join(',');
  const canManage = session.can('alerts:manage');

  return (
    <div className="view view-fill">
      <PageHeader
        title={t('alerts.title')}
        subtitle={
          <span data-testid="alert-total">
            {t('alerts.shown', { shown: i18n.number(rows.length), total: i18n.number(total) })}
            {total > MAX_LOADED_ALERTS && ` · ${t('alerts.capped', { max: i18n.number(MAX_LOADED_ALERTS) })}`}
            {' · '}
            <span className="live-dot" /> {t('alerts.live', { seconds: session.refreshSeconds })}
          </span>
        }
      />
      <div className="filters">
        <form
          className="query-box"
          onSubmit={(e) => {
            e.preventDefault();
            setQuery({ q: draftQ });
          }}
        >
          <input value={draftQ} onChange={(e) => setDraftQ(e.target.value)} placeholder={t('alerts.queryPlaceholder')} aria-label={t('alerts.query')} />
          <button className="btn" type="submit">
            {t('common.search')}
          </button>
        </form>
        <TimeRangeSelect value={range} onChange={(v) => setQuery({ range: v === 'now-7d' ? undefined : v === '' ? 'all' : v })} allowAll />
        <div className="chips" aria-label={t('alerts.severity')}>
          {[...SEVERITIES].reverse().map((s) => (
            <button key={s} type="button" className={`chip sev-chip sev-${s}${severities.includes(s) ? ' on' : ''}`} onClick={() => setQuery({ severity: toggleIn(severities, s) })}>
              {t(`severity.${s}`)}
            </button>
          ))}
        </div>
        <div className="chips" aria-label={t('alerts.status')}>
          {ALERT_STATUSES.map((s) => (
            <button key={s} type="button" className={`chip${statuses.includes(s) ? ' on' : ''}`} onClick={() => setQuery({ status: toggleIn(statuses, s) || 'all' })} data-status={s}>
              {t(`status.${s}`)}
            </button>
          ))}
        </div>
        <select value={rule} onChange={(e) => setQuery({ rule: e.target.value })} aria-label={t('alerts.rule')} className="rule-select" data-user-content>
          <option value="">{t('alerts.allRules')}</option>
          {ruleOptions.map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
        <select value={tactic} onChange={(e) => setQuery({ tactic: e.target.value })} aria-label={t('alerts.tactic')}>
          <option value="">{t('alerts.allTactics')}</option>
          {TACTICS.map((x) => (
            <option key={x.slug} value={x.slug}>
              {t(`tactic.${x.slug}`)}
            </option>
          ))}
        </select>
        <input className="technique-input" value={technique} onChange={(e) => setQuery({ technique: e.target.value.trim() })} placeholder={t('alerts.techniquePlaceholder')} aria-label={t('alerts.technique')} />
      </div>
      {canManage && selected.size > 0 && (
        <div className="bulk-bar" data-testid="bulk-bar">
          <span>{t('alerts.selected', { n: i18n.number(selected.size) })}</span>
          <button className="btn" type="button" onClick={() => void act({ status: 'acknowledged' }, 'action.acknowledge')} data-action="acknowledge">
            {t('action.acknowledge')}
          </button>
          <button className="btn" type="button" onClick={() => void act({ status: 'in_progress', assignee: session.me.user.username }, 'action.assignToMe')} data-action="assign">
            {t('action.assignToMe')}
          </button>
          <button className="btn" type="button" onClick={() => void act({ status: 'resolved' }, 'action.close')} data-action="close">
            {t('action.close')}
          </button>
          <button className="btn" type="button" onClick={() => void act({ status: 'false_positive' }, 'action.falsePositive')} data-action="false-positive">
            {t('action.falsePositive')}
          </button>
          <button className="btn ghost" type="button" onClick={() => setSelected(new Set())}>
            {t('common.clearSelection')}
          </button>
        </div>
      )}
      {lifecycleMissing && (
        <div className="notice" data-testid="not-available">
          {t('alerts.lifecycleMissing')}
        </div>
      )}
      {notice !== undefined && (
        <div className="notice" role="status" onClick={() => setNotice(undefined)}>
          {notice}
        </div>
      )}
      {error !== undefined ? (
        <ErrorState error={error} what={t('menu.alerts')} />
      ) : (
        <VirtualTable
          label={t('alerts.title')}
          rows={rows}
          columns={columns}
          rowKey={(a) => a.id}
          sort={sort}
          onSort={setSort}
          selected={canManage ? selected : undefined}
          onSelect={canManage ? setSelected : undefined}
          onRowClick={(a) => navigate(`/alerts/${encodeURIComponent(a.id)}`)}
          rowClass={(a) => (fresh.has(a.id) ? 'fresh' : '')}
        />
      )}
      {loading && alerts.size === 0 && error === undefined && <div className="state loading">{t('common.loading')}</div>}
      {!loading && rows.length === 0 && error === undefined && <div className="state empty">{t('alerts.none')}</div>}
    </div>
  );
}
