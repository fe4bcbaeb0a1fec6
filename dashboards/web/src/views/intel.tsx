/** Threat intelligence: feeds with their state and counts (refresh one now), and indicator search. */
import { useState, type ReactNode } from 'react';
import { INDICATOR_TYPES, intelApi, type IntelFeed } from '../api/intel';
import { Empty, ErrorState, Loading, PageHeader } from '../components/common';
import { useI18n } from '../i18n';
import { useLoad } from '../lib/use-load';
import { useSession } from '../session';

function FeedState(props: { feed: IntelFeed }): ReactNode {
  const { t } = useI18n();
  const cls = props.feed.state === 'ok' ? 'dev-up' : props.feed.state === 'failed' ? 'dev-down' : 'dev-unknown';
  return <span className={`dev-status ${cls}`}>{t(`intel.state.${props.feed.state}`)}</span>;
}

export function IntelView(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const feeds = useLoad(() => intelApi.feeds(), [], session.refreshSeconds * 4000);
  const [refreshing, setRefreshing] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [q, setQ] = useState('');
  const [type, setType] = useState('');
  const [query, setQuery] = useState({ q: '', type: '' });
  const indicators = useLoad(() => intelApi.indicators({ q: query.q || undefined, type: query.type || undefined, limit: 200 }), [query.q, query.type]);
  const refresh = async (name: string): Promise<void> => {
    setRefreshing(name);
    try {
      const after = await intelApi.refresh(name);
      setMessage(after.state === 'failed' ? t('intel.refreshFailed', { name, reason: after.last_error ?? '' }) : t('intel.refreshed', { name, n: i18n.number(after.indicators) }));
      feeds.reload();
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    } finally {
      setRefreshing(undefined);
    }
  };
  return (
    <div className="view">
      <PageHeader title={t('intel.title')} />
      {message !== undefined && <div className="notice">{message}</div>}
      <section className="panel">
        <h2>{t('intel.feeds')}</h2>
        {feeds.error !== undefined ? (
          <ErrorState error={feeds.error} what={t('intel.title')} />
        ) : !feeds.data ? (
          <Loading />
        ) : feeds.data.length === 0 ? (
          <Empty>{t('intel.noFeeds')}</Empty>
        ) : (
          <table className="table" data-testid="intel-feeds">
            <thead>
              <tr>
                <th>{t('intel.feed')}</th>
                <th>{t('intel.format')}</th>
                <th>{t('devices.status')}</th>
                <th className="num">{t('intel.indicators')}</th>
                <th className="num">{t('intel.active')}</th>
                <th>{t('intel.lastSuccess')}</th>
                <th>{t('intel.nextRefresh')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {feeds.data.map((f) => (
                <tr key={f.name}>
                  <td>
                    <strong>{f.name}</strong>
                    <div className="muted small mono ellipsis-cell">{f.source}</div>
                    {f.last_error && <div className="bad small">{f.last_error}</div>}
                  </td>
                  <td className="mono">{f.format.toUpperCase()}</td>
                  <td>
                    <FeedState feed={f} />
                  </td>
                  <td className="num">{i18n.number(f.indicators)}</td>
                  <td className="num">{i18n.number(f.active)}</td>
                  <td className="nowrap">{i18n.date(f.last_success)}</td>
                  <td className="nowrap">{i18n.date(f.next_refresh)}</td>
                  <td>
                    {session.can('intel:manage') && f.enabled && (
                      <button className="btn small" type="button" disabled={refreshing !== undefined} onClick={() => void refresh(f.name)}>
                        {refreshing === f.name ? t('common.loading') : t('intel.refresh')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel">
        <h2>{t('intel.search')}</h2>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            setQuery({ q: q.trim(), type });
          }}
        >
          <input value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('intel.searchPlaceholder')} aria-label={t('intel.search')} className="grow" />
          <select value={type} onChange={(e) => setType(e.target.value)} aria-label={t('intel.type')}>
            <option value="">{t('intel.allTypes')}</option>
            {INDICATOR_TYPES.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
          <button className="btn primary" type="submit">
            {t('common.search')}
          </button>
        </form>
        {indicators.error !== undefined ? (
          <ErrorState error={indicators.error} what={t('intel.title')} />
        ) : !indicators.data ? (
          <Loading />
        ) : indicators.data.indicators.length === 0 ? (
          <Empty />
        ) : (
          <>
            <div className="muted small">{t('intel.found', { n: i18n.number(indicators.data.total) })}</div>
            <table className="table" data-testid="intel-indicators">
              <thead>
                <tr>
                  <th>{t('intel.type')}</th>
                  <th>{t('intel.value')}</th>
                  <th>{t('intel.feed')}</th>
                  <th className="num">{t('intel.confidence')}</th>
                  <th>{t('intel.labels')}</th>
                  <th>{t('intel.validUntil')}</th>
                </tr>
              </thead>
              <tbody>
                {indicators.data.indicators.map((x) => (
                  <tr key={`${x.feed}:${x.type}:${x.value}`} className={x.active ? '' : 'muted'}>
                    <td className="mono">{x.type}</td>
                    <td className="mono ellipsis-cell">{x.value}</td>
                    <td>{x.feed}</td>
                    <td className="num">{x.confidence}</td>
                    <td>
                      {x.name && <span>{x.name} </span>}
                      {[...x.labels, ...x.attack].map((l) => (
                        <span key={l} className="tag">
                          {l}
                        </span>
                      ))}
                    </td>
                    <td className="nowrap">{x.active ? i18n.date(x.valid_until) : t('intel.expired')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </div>
  );
}
