/** Agencies the user administers: id, name, networks, and how many users, devices and agents each has. */
import type { ReactNode } from 'react';
import { agentsApi } from '../api/agents';
import { devicesApi } from '../api/noc';
import { PageHeader } from '../components/common';
import { DataTable } from '../components/data-table';
import { useI18n } from '../i18n';
import { useLoad } from '../lib/use-load';
import { useSession } from '../session';

/** Items per organization id, or undefined when the list is not readable (no permission, API not installed). */
async function countPerAgency(load: () => Promise<Array<{ organization: { id: string } }>>): Promise<Map<string, number> | undefined> {
  try {
    const counts = new Map<string, number>();
    for (const item of await load()) counts.set(item.organization.id, (counts.get(item.organization.id) ?? 0) + 1);
    return counts;
  } catch {
    return undefined;
  }
}

export function AgenciesView(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const canDevices = session.can('devices:read');
  const canAgents = session.can('agents:read') || session.can('agents:manage');
  const counts = useLoad(
    async () => ({
      devices: canDevices ? await countPerAgency(() => devicesApi.list()) : undefined,
      agents: canAgents ? await countPerAgency(() => agentsApi.list()) : undefined,
    }),
    [canDevices, canAgents],
  );
  const rows = session.agencies.filter((a) => session.agency === '' || a.id === session.agency);
  const showUsers = rows.some((a) => a.users !== undefined);
  const devices = counts.data?.devices;
  const agents = counts.data?.agents;
  const cell = (map: Map<string, number> | undefined, id: string): string => (counts.data === undefined ? '…' : i18n.number(map?.get(id) ?? 0));
  const columns = [t('agencies.id'), t('agencies.name'), t('agencies.networks')];
  if (showUsers) columns.push(t('agencies.users'));
  if (devices) columns.push(t('agencies.devices'));
  if (agents) columns.push(t('agencies.agents'));
  return (
    <div className="view">
      <PageHeader title={t('agencies.title')} subtitle={t('agencies.summary', { count: i18n.number(rows.length) })} />
      <section className="panel">
        <p className="muted small">{t('agencies.configHint')}</p>
        {rows.length === 0 ? (
          <div className="state empty">{t('agencies.none')}</div>
        ) : (
          <DataTable testId="agencies" columns={columns.map((label, i) => (i >= 3 ? { label, className: 'num' } : label))}>
            {rows.map((a) => (
              <tr key={a.id} data-agency={a.id}>
                <td className="mono">{a.id}</td>
                <td data-user-content>
                  <strong>{a.name}</strong>
                </td>
                <td className="mono">{a.cidrs && a.cidrs.length > 0 ? a.cidrs.join(', ') : <span className="muted">{t('agencies.noNetworks')}</span>}</td>
                {showUsers && <td className="num">{i18n.number(a.users ?? 0)}</td>}
                {devices && <td className="num">{cell(devices, a.id)}</td>}
                {agents && <td className="num">{cell(agents, a.id)}</td>}
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}
