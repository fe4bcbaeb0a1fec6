/**
 * Event search: the query language, a time range, a histogram (click a bar to zoom to it), the
 * newest matching events, and a field sidebar whose values (from /events/top) add a filter.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { eventsApi } from '../api/events';
import type { EcsEvent } from '../api/types';
import { BarChart } from '../components/charts';
import { Empty, ErrorState, Loading, PageHeader, TimeRangeSelect } from '../components/common';
import { Meter } from '../components/charts';
import { useI18n } from '../i18n';
import { agencyQuery, andQuery, term } from '../lib/query';
import { useLoad } from '../lib/use-load';
import { setQuery, useLocation } from '../router';
import { useSession } from '../session';
import { EventList } from './alert-detail';

export const DRILL_FIELDS = [
  'event.dataset',
  'event.outcome',
  'event.action',
  'source.ip',
  'destination.ip',
  'destination.port',
  'user.name',
  'host.name',
  'observer.ip',
  'log.syslog.appname',
  'organization.id',
] as const;

const PAGE = 200;

export function EventSearchView(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const location = useLocation();
  const q = location.query.get('q') ?? '';
  const from = location.query.get('from') ?? location.query.get('range') ?? 'now-24h';
  const to = location.query.get('to') ?? 'now';
  const [draft, setDraft] = useState(q);
  const [field, setField] = useState<string>('event.dataset');
  const [more, setMore] = useState<EcsEvent[]>([]);
  const [next, setNext] = useState<string | null>(null);

  const fullQuery = andQuery(q, agencyQuery(session.agency));
  const range = { q: fullQuery, from, to };
  const key = [fullQuery, from, to];
  const page = useLoad(
    async (signal) => {
      const r = await eventsApi.search({ ...range, limit: PAGE }, signal);
      setMore([]);
      setNext(r.next);
      return r;
    },
    key,
  );
  const histogram = useLoad((signal) => eventsApi.histogram(range, signal), key);
  const top = useLoad((signal) => eventsApi.top({ ...range, field, size: 10 }, signal), [...key, field]);

  const bars = useMemo(
    () => (histogram.data?.buckets ?? []).map((b) => ({ label: b.start, value: b.count, title: `${i18n.date(b.start)} — ${i18n.number(b.count)}` })),
    [histogram.data, i18n],
  );

  const addFilter = (f: string, value: string, negate = false): void => {
    const clause = negate ? `not ${term(f, value)}` : term(f, value);
    const nextQ = andQuery(q, clause);
    setDraft(nextQ);
    setQuery({ q: nextQ });
  };

  const loadMore = async (): Promise<void> => {
    if (!next) return;
    const r = await eventsApi.search({ ...range, limit: PAGE, cursor: next });
    setMore((m) => [...m, ...r.events]);
    setNext(r.next);
  };

  const events = [...(page.data?.events ?? []), ...more];
  const topMax = Math.max(1, ...(top.data?.values ?? []).map((v) => v.count));

  return (
    <div className="view">
      <PageHeader title={t('events.title')} subtitle={page.data ? t('events.total', { total: i18n.number(page.data.total) }) : undefined} />
      <form
        className="filters query-box wide"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ q: draft });
        }}
      >
        <input value={draft} onChange={(e) => setDraft(e.target.value)} placeholder={t('events.queryPlaceholder')} aria-label={t('events.query')} data-testid="event-query" />
        <TimeRangeSelect value={location.query.get('to') ? '' : from} onChange={(v) => setQuery({ range: v, from: undefined, to: undefined })} />
        <button className="btn primary" type="submit">
          {t('common.search')}
        </button>
      </form>
      <div className="hint muted">{t('events.syntaxHint')}</div>
      {page.error !== undefined ? (
        <ErrorState error={page.error} />
      ) : (
        <>
          <section className="panel histogram-panel">
            <BarChart
              bars={bars}
              ariaLabel={t('events.histogram')}
              onBarClick={(i) => {
                const start = Date.parse(bars[i].label);
                const width = histogram.data?.intervalMs ?? 60_000;
                setQuery({ from: new Date(start).toISOString(), to: new Date(start + width).toISOString(), range: undefined });
              }}
            />
            {bars.length > 0 && (
              <div className="axis">
                <span>{i18n.date(bars[0].label)}</span>
                <span>{i18n.date(bars[bars.length - 1].label)}</span>
              </div>
            )}
          </section>
          <div className="search-layout">
            <aside className="panel field-sidebar">
              <h2>{t('events.fields')}</h2>
              <select value={field} onChange={(e) => setField(e.target.value)} aria-label={t('events.fields')}>
                {DRILL_FIELDS.map((f) => (
                  <option key={f} value={f}>
                    {f}
                  </option>
                ))}
              </select>
              {top.error !== undefined ? (
                <ErrorState error={top.error} />
              ) : (
                <ul className="top-values">
                  {(top.data?.values ?? []).map((v) => (
                    <li key={v.value}>
                      <div className="top-value-row">
                        <button type="button" className="link mono ellipsis" title={t('events.addFilter')} onClick={() => addFilter(field, v.value)}>
                          {v.value}
                        </button>
                        <button type="button" className="link muted" title={t('events.excludeFilter')} onClick={() => addFilter(field, v.value, true)}>
                          ⊖
                        </button>
                        <span className="num">{i18n.number(v.count)}</span>
                      </div>
                      <Meter value={v.count} max={topMax} />
                    </li>
                  ))}
                  {top.data && top.data.values.length === 0 && <li className="muted">{t('common.empty')}</li>}
                </ul>
              )}
            </aside>
            <section className="panel results">
              {page.loading && !page.data ? <Loading /> : events.length === 0 ? <Empty>{t('events.none')}</Empty> : <EventList events={events} />}
              {next && (
                <button type="button" className="btn" onClick={() => void loadMore()}>
                  {t('events.loadMore')}
                </button>
              )}
            </section>
          </div>
        </>
      )}
    </div>
  );
}
