/** NOC device list: problems first (down, unreachable, unknown, up), then by name. */
import { useMemo, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { devicesApi } from '../api/noc';
import type { Device, DeviceStatus } from '../api/types';
import { PageHeader } from '../components/common';
import { LoadState } from '../components/load-state';
import { DataTable } from '../components/data-table';
import { useI18n } from '../i18n';
import { useLoad } from '../lib/use-load';
import { Link } from '../router';
import { agencyName, useSession } from '../session';
import { errorText } from '../lib/error-text';

const STATUS_ORDER: Record<DeviceStatus, number> = { down: 0, unreachable: 1, unknown: 2, up: 3 };

export function sortDevicesProblemsFirst(devices: readonly Device[]): Device[] {
  return [...devices].sort((a, b) => (STATUS_ORDER[a.status] ?? 2) - (STATUS_ORDER[b.status] ?? 2) || a.name.localeCompare(b.name));
}

export function DeviceStatusBadge(props: { status: DeviceStatus }): ReactNode {
  const { t } = useI18n();
  return <span className={`dev-status dev-${props.status}`}>{t(`device.${props.status}`)}</span>;
}

export function DeviceListView(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const [filter, setFilter] = useState('');
  const devices = useLoad(() => devicesApi.list(), [], session.refreshSeconds * 2000);
  const rows = useMemo(() => {
    const needle = filter.toLowerCase();
    return sortDevicesProblemsFirst(
      (devices.data ?? []).filter(
        (d) => (session.agency === '' || d.organization.id === session.agency) && (needle === '' || `${d.name} ${d.address} ${d.sys?.name ?? ''}`.toLowerCase().includes(needle)),
      ),
    );
  }, [devices.data, filter, session.agency]);
  const counts = { up: 0, down: 0, unreachable: 0, unknown: 0 };
  for (const d of rows) counts[d.status] = (counts[d.status] ?? 0) + 1;

  return (
    <div className="view">
      <PageHeader title={t('devices.title')} subtitle={t('devices.summary', { up: counts.up, down: counts.down, unreachable: counts.unreachable, unknown: counts.unknown })}>
        <input className="filter-input" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder={t('devices.filter')} aria-label={t('devices.filter')} />
      </PageHeader>
      <Discovery onFound={devices.reload} />
      <LoadState loaded={devices} what={t('menu.devices')} isEmpty={() => rows.length === 0}>
        {() => (
          <DataTable columns={[t('devices.status'), t('devices.name'), t('devices.address'), t('alerts.agency'), t('devices.sysName'), t('devices.uptime'), t('devices.problem'), t('devices.description')]}>
            {rows.map((d) => (
              <tr key={d.id} className={d.status === 'down' ? 'row-bad' : d.status === 'unreachable' ? 'row-warn' : ''}>
                <td>
                  <DeviceStatusBadge status={d.status} />
                </td>
                <td>
                  <Link to={`/noc/devices/${encodeURIComponent(d.id)}`}>{d.name}</Link>
                </td>
                <td className="mono">{d.address}</td>
                <td>{agencyName(session, d.organization.id)}</td>
                <td>{d.sys?.name ?? '–'}</td>
                <td>{formatUptime(d.sys?.uptime_s ?? null, t)}</td>
                <td className="small">{d.status !== 'up' && d.last_error ? d.last_error : d.missed_polls ? t('devices.missedPolls', { n: d.missed_polls }) : ''}</td>
                <td className="ellipsis-cell small">{d.sys?.descr ?? '–'}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </LoadState>
    </div>
  );
}

export function formatUptime(seconds: number | null, t: ReturnType<typeof useI18n>['t']): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return t('devices.uptimeValue', { d, h, m });
}

/** The last discovery sweep, and a button to start one (devices:manage). */
function Discovery(props: { onFound(): void }): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const [message, setMessage] = useState<string | undefined>(undefined);
  const sweep = useLoad(() => devicesApi.discovery(), [], session.refreshSeconds * 2000);
  const s = sweep.data;
  // Route missing (no SNMP) or not allowed: no discovery bar at all.
  if (sweep.error instanceof ApiError || (!s && !session.can('devices:manage'))) return null;
  const start = async (): Promise<void> => {
    try {
      await devicesApi.discover();
      setMessage(undefined);
      sweep.reload();
      props.onFound();
    } catch (err) {
      setMessage(errorText(err));
    }
  };
  return (
    <div className="action-bar" data-testid="discovery">
      <span>
        {!s
          ? t('discovery.never')
          : s.running
            ? t('discovery.running', { probed: i18n.number(s.probed), addresses: i18n.number(s.addresses), found: i18n.number(s.found) })
            : t('discovery.last', { when: i18n.date(s.finished_at ?? s.started_at), found: i18n.number(s.found), created: i18n.number(s.created) })}
      </span>
      {session.can('devices:manage') && (
        <button className="btn push-right" type="button" disabled={s?.running === true} onClick={() => void start()} data-action="discover">
          {t('discovery.start')}
        </button>
      )}
      {message !== undefined && <span className="bad small">{message}</span>}
    </div>
  );
}
