/** One device: status, interfaces with rates and utilisation, a traffic graph, recent traps and syslog. */
import { useState, type ReactNode } from 'react';
import { eventsApi } from '../api/events';
import { devicesApi } from '../api/noc';
import type { DeviceInterface } from '../api/types';
import { LineChart, Meter } from '../components/charts';
import { Empty, ErrorState, Field, Loading, PageHeader } from '../components/common';
import { useI18n } from '../i18n';
import { andQuery, term } from '../lib/query';
import { useLoad } from '../lib/use-load';
import { Link } from '../router';
import { agencyName, useSession } from '../session';
import { EventList } from './alert-detail';
import { DeviceStatusBadge, formatUptime } from './devices';

export function DevicePageView(props: { id: string }): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const device = useLoad(() => devicesApi.get(props.id), [props.id], session.refreshSeconds * 2000);
  const interfaces = useLoad(() => devicesApi.interfaces(props.id), [props.id], session.refreshSeconds * 2000);
  const [iface, setIface] = useState<DeviceInterface | undefined>(undefined);
  const address = device.data?.address;
  const recent = useLoad(
    () => (address && session.can('events:read') ? eventsApi.search({ q: andQuery(`${term('observer.ip', address)} or ${term('host.ip', address)}`), from: 'now-24h', limit: 50 }) : Promise.resolve(undefined)),
    [address],
  );
  const ifaceList = interfaces.data;
  // The busiest interface is shown until the user picks one.
  const shown = iface ?? (ifaceList && ifaceList.length > 0 ? [...ifaceList].sort((a, b) => (b.utilization_pct ?? -1) - (a.utilization_pct ?? -1))[0] : undefined);
  const graphs = useLoad(
    async () => {
      if (!shown) return undefined;
      const range = { interface: shown.index, from: 'now-24h' };
      const [inBps, outBps, util, inErr, outErr] = await Promise.all([
        devicesApi.metrics(props.id, 'in_bps', range),
        devicesApi.metrics(props.id, 'out_bps', range),
        devicesApi.metrics(props.id, 'utilization_pct', range),
        devicesApi.metrics(props.id, 'in_errors_ps', range),
        devicesApi.metrics(props.id, 'out_errors_ps', range),
      ]);
      return { inBps, outBps, util, inErr, outErr };
    },
    [props.id, shown?.index],
  );

  if (device.error !== undefined) return <ErrorState error={device.error} what={t('menu.devices')} />;
  const d = device.data;
  if (!d) return <Loading />;
  const toPoints = (pts: ReadonlyArray<{ time: string | number; value: number | null }>): Array<{ t: number; v: number | null }> =>
    pts.map((p) => ({ t: typeof p.time === 'number' ? p.time : Date.parse(p.time), v: p.value }));

  return (
    <div className="view">
      <PageHeader title={d.name} subtitle={<DeviceStatusBadge status={d.status} />}>
        <Link to="/noc/devices" className="btn ghost">
          ← {t('devices.title')}
        </Link>
      </PageHeader>
      <section className="panel grid-fields">
        <Field label={t('devices.address')}>
          <span className="mono">{d.address}</span>
        </Field>
        <Field label={t('alerts.agency')}>{agencyName(session, d.organization.id)}</Field>
        <Field label={t('devices.sysName')}>{d.sys?.name ?? '–'}</Field>
        <Field label={t('devices.uptime')}>{formatUptime(d.sys?.uptime_s ?? null, t)}</Field>
        <Field label={t('devices.description')}>{d.sys?.descr ?? '–'}</Field>
        <Field label={t('devices.lastPolled')}>{i18n.date(d.last_polled ?? null)}</Field>
        {d.cpu_load_pct !== undefined && <Field label={t('devices.cpu')}>{`${i18n.number(d.cpu_load_pct, 1)} %`}</Field>}
        {d.memory_used_pct !== undefined && <Field label={t('devices.memory')}>{`${i18n.number(d.memory_used_pct, 1)} %`}</Field>}
        {d.last_error && <Field label={t('devices.lastError')}>{d.last_error}</Field>}
      </section>
      <section className="panel">
        <h2>{t('devices.interfaces')}</h2>
        {interfaces.error !== undefined ? (
          <ErrorState error={interfaces.error} />
        ) : !interfaces.data ? (
          <Loading />
        ) : interfaces.data.length === 0 ? (
          <Empty />
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('devices.ifName')}</th>
                <th>{t('devices.ifStatus')}</th>
                <th className="num">{t('devices.speed')}</th>
                <th className="num">{t('devices.in')}</th>
                <th className="num">{t('devices.out')}</th>
                <th>{t('devices.utilization')}</th>
                <th className="num">{t('devices.errors')}</th>
              </tr>
            </thead>
            <tbody>
              {interfaces.data.map((x) => {
                const problem = x.admin_status === 'up' && x.oper_status !== 'up';
                return (
                  <tr key={x.index} className={`clickable${problem ? ' row-bad' : ''}${shown?.index === x.index ? ' selected' : ''}`} onClick={() => setIface(x)}>
                    <td className="num">{x.index}</td>
                    <td className="mono">{x.name}</td>
                    <td>
                      {x.admin_status ?? '–'}/{x.oper_status ?? '–'}
                      {x.alias && <div className="muted small">{x.alias}</div>}
                    </td>
                    <td className="num">{i18n.bits(x.speed_bps)}</td>
                    <td className="num">{i18n.bits(x.in_bps)}</td>
                    <td className="num">{i18n.bits(x.out_bps)}</td>
                    <td>
                      <div className="util">
                        <Meter value={x.utilization_pct ?? 0} max={100} className={(x.utilization_pct ?? 0) > 80 ? 'meter-bad' : ''} />
                        <span className="num">{x.utilization_pct === undefined ? '–' : `${i18n.number(x.utilization_pct, 1)} %`}</span>
                      </div>
                    </td>
                    <td className="num">{i18n.number((x.in_errors_ps ?? 0) + (x.out_errors_ps ?? 0), 2)}/s</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {shown && (
          <div className="sub-panel" data-testid="interface-graphs">
            {graphs.error !== undefined ? (
              <ErrorState error={graphs.error} />
            ) : graphs.data ? (
              <div className="grid-2">
                <div>
                  <h3>{t('devices.traffic', { name: shown.name })}</h3>
                  <LineChart
                    ariaLabel={t('devices.traffic', { name: shown.name })}
                    series={[
                      { name: t('devices.in'), className: 'series-0', points: toPoints(graphs.data.inBps) },
                      { name: t('devices.out'), className: 'series-1', points: toPoints(graphs.data.outBps) },
                    ]}
                    format={(v) => i18n.bits(v)}
                  />
                </div>
                <div>
                  <h3>{t('devices.utilGraph', { name: shown.name })}</h3>
                  <LineChart ariaLabel={t('devices.utilGraph', { name: shown.name })} series={[{ name: t('devices.utilization'), className: 'series-0', points: toPoints(graphs.data.util) }]} format={(v) => `${i18n.number(v, 1)} %`} />
                </div>
                <div>
                  <h3>{t('devices.errorGraph', { name: shown.name })}</h3>
                  <LineChart
                    ariaLabel={t('devices.errorGraph', { name: shown.name })}
                    series={[
                      { name: t('devices.in'), className: 'series-2', points: toPoints(graphs.data.inErr) },
                      { name: t('devices.out'), className: 'series-3', points: toPoints(graphs.data.outErr) },
                    ]}
                    format={(v) => `${i18n.number(v, 2)}/s`}
                  />
                </div>
              </div>
            ) : (
              <Loading />
            )}
          </div>
        )}
      </section>
      <section className="panel">
        <h2>{t('devices.recentEvents')}</h2>
        {recent.error !== undefined ? <ErrorState error={recent.error} /> : recent.data ? <EventList events={recent.data.events} /> : <Loading />}
      </section>
    </div>
  );
}
