/** Flows: top talkers by source, destination, port, conversation or agency, and the traffic over time. */
import { useState, type ReactNode } from 'react';
import { flowsApi } from '../api/noc';
import { FLOW_TOP_BY, type FlowTopBy } from '../api/types';
import { LineChart, Meter } from '../components/charts';
import { Empty, ErrorState, Loading, PageHeader, TimeRangeSelect } from '../components/common';
import { useI18n } from '../i18n';
import { useLoad } from '../lib/use-load';
import { useSession } from '../session';

export function FlowsView(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const [by, setBy] = useState<FlowTopBy>('source.ip');
  const [range, setRange] = useState('now-1h');
  const top = useLoad(() => flowsApi.top(by, { from: range, to: 'now', limit: 25 }), [by, range], session.refreshSeconds * 4000);
  const series = useLoad(() => flowsApi.timeseries({ from: range, to: 'now' }), [range], session.refreshSeconds * 4000);
  const max = Math.max(1, ...(top.data ?? []).map((r) => r.bytes));

  return (
    <div className="view">
      <PageHeader title={t('flows.title')}>
        <TimeRangeSelect value={range} onChange={setRange} />
      </PageHeader>
      {top.error !== undefined ? (
        <ErrorState error={top.error} what={t('menu.flows')} />
      ) : (
        <>
          <section className="panel">
            <h2>{t('flows.traffic')}</h2>
            {series.error !== undefined ? (
              <ErrorState error={series.error} />
            ) : series.data ? (
              <LineChart
                ariaLabel={t('flows.traffic')}
                series={[{ name: t('flows.bytes'), className: 'series-0', points: series.data.map((p) => ({ t: typeof p.time === 'number' ? p.time : Date.parse(p.time), v: p.value })) }]}
                format={(v) => i18n.bytes(v)}
              />
            ) : (
              <Loading />
            )}
          </section>
          <section className="panel">
            <div className="panel-head">
              <h2>{t('flows.topTalkers')}</h2>
              <div className="chips">
                {FLOW_TOP_BY.map((b) => (
                  <button key={b} type="button" className={`chip${by === b ? ' on' : ''}`} onClick={() => setBy(b)}>
                    {t(`flows.by.${b}`)}
                  </button>
                ))}
              </div>
            </div>
            {!top.data ? (
              <Loading />
            ) : top.data.length === 0 ? (
              <Empty />
            ) : (
              <table className="table">
                <thead>
                  <tr>
                    <th>{t(`flows.by.${by}`)}</th>
                    <th className="num">{t('flows.bytes')}</th>
                    <th />
                    <th className="num">{t('flows.packets')}</th>
                    <th className="num">{t('flows.flows')}</th>
                  </tr>
                </thead>
                <tbody>
                  {top.data.map((r) => (
                    <tr key={r.key}>
                      <td className="mono">{r.key}</td>
                      <td className="num">{i18n.bytes(r.bytes)}</td>
                      <td className="meter-cell">
                        <Meter value={r.bytes} max={max} />
                      </td>
                      <td className="num">{i18n.number(r.packets)}</td>
                      <td className="num">{i18n.number(r.flows)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </div>
  );
}
