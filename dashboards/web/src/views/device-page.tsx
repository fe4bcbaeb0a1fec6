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
  const traffic = useLoad(
    async () => {
      if (!iface) return undefined;
      const [inBps, outBps] = await Promise.all([
        devicesApi.metrics(props.id, 'in_bps', { interface: iface.index, from: 'now-24h' }),
        devicesApi.metrics(props.id, 'out_bps', { interface: iface.index, from: 'now-24h' }),
      ]);
      return { inBps, outBps };
    },
    [props.id, iface?.index],
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
                  <tr key={x.index} className={`clickable${problem ? ' row-bad' : ''}${iface?.index === x.index ? ' selected' : ''}`} onClick={() => setIface(x)}>
                    <td className="num">{x.index}</td>
                    <td className="mono">{x.name}</td>
                    <td>
                      {x.admin_status}/{x.oper_status}
                    </td>
                    <td className="num">{i18n.bits(x.speed_bps)}</td>
                    <td className="num">{i18n.bits(x.in_bps)}</td>
                    <td className="num">{i18n.bits(x.out_bps)}</td>
                    <td>
                      <div className="util">
                        <Meter value={x.utilization_pct ?? 0} max={100} className={(x.utilization_pct ?? 0) > 80 ? 'meter-bad' : ''} />
                        <span className="num">{x.utilization_pct === null ? '–' : `${i18n.number(x.utilization_pct, 1)} %`}</span>
                      </div>
                    </td>
                    <td className="num">{i18n.number((x.in_errors_ps ?? 0) + (x.out_errors_ps ?? 0), 2)}/s</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {iface && (
          <div className="sub-panel">
            <h3>{t('devices.traffic', { name: iface.name })}</h3>
            {traffic.error !== undefined ? (
              <ErrorState error={traffic.error} />
            ) : traffic.data ? (
              <LineChart
                ariaLabel={t('devices.traffic', { name: iface.name })}
                series={[
                  { name: t('devices.in'), className: 'series-0', points: toPoints(traffic.data.inBps) },
                  { name: t('devices.out'), className: 'series-1', points: toPoints(traffic.data.outBps) },
                ]}
                format={(v) => i18n.bits(v)}
              />
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
