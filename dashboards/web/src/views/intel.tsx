/** Threat intelligence: feeds with their state and counts (refresh one now), and indicator search. */
import { useState, type ReactNode } from 'react';
import { INDICATOR_TYPES, intelApi, type IntelFeed } from '../api/intel';
import { Notice } from '../components/action-notice';
import { PageHeader } from '../components/common';
import { DataTable } from '../components/data-table';
import { LoadState } from '../components/load-state';
import { useI18n } from '../i18n';
import { useLoad } from '../lib/use-load';
import { useSession } from '../session';
import { errorText } from '../lib/error-text';

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
      setMessage(errorText(err));
    } finally {
      setRefreshing(undefined);
    }
  };
  return (
    <div className="view">
      <PageHeader title={t('intel.title')} />
      <Notice message={message} />
      <section className="panel">
        <h2>{t('intel.feeds')}</h2>
        <LoadState loaded={feeds} what={t('intel.title')} isEmpty={(list) => list.length === 0} empty={t('intel.noFeeds')}>
          {(list) => (
            <DataTable testId="intel-feeds" columns={[t('intel.feed'), t('intel.format'), t('devices.status'), { label: t('intel.indicators'), className: 'num' }, { label: t('intel.active'), className: 'num' }, t('intel.lastSuccess'), t('intel.nextRefresh'), '']}>
              {list.map((f) => (
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
            </DataTable>
          )}
        </LoadState>
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
        <LoadState loaded={indicators} what={t('intel.title')} isEmpty={(found) => found.indicators.length === 0}>
          {(found) => (
            <>
              <div className="muted small">{t('intel.found', { n: i18n.number(found.total) })}</div>
              <DataTable testId="intel-indicators" columns={[t('intel.type'), t('intel.value'), t('intel.feed'), { label: t('intel.confidence'), className: 'num' }, t('intel.labels'), t('intel.validUntil')]}>
                {found.indicators.map((x) => (
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
              </DataTable>
            </>
          )}
        </LoadState>
      </section>
    </div>
  );
}
