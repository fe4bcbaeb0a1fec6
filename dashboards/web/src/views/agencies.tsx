/**
 * Agencies the user administers: id, name, networks, and how many users, devices and agents each
 * has. The counts come with the agencies (GET /console/agencies counts them where they are stored),
 * read again when the page opens so they are current; no device or agent list is loaded for them.
 */
import type { ReactNode } from 'react';
import { sessionApi } from '../api/session';
import type { Agency } from '../api/types';
import { PageHeader } from '../components/common';
import { DataTable } from '../components/data-table';
import { useI18n, type MessageKey } from '../i18n';
import { useLoad } from '../lib/use-load';
import { useSession } from '../session';

const COUNTS: ReadonlyArray<[keyof Agency & ('users' | 'devices' | 'agents'), MessageKey]> = [
  ['users', 'agencies.users'],
  ['devices', 'agencies.devices'],
  ['agents', 'agencies.agents'],
];

export function AgenciesView(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const fresh = useLoad(() => sessionApi.agencies(), []);
  // The session's copy (from login) shows at once; the fresh one replaces it.
  const all = fresh.data ?? session.agencies;
  const rows = all.filter((a) => session.agency === '' || a.id === session.agency);
  const counted = COUNTS.filter(([field]) => rows.some((a) => a[field] !== undefined));
  const columns = [t('agencies.id'), t('agencies.name'), t('agencies.networks'), ...counted.map(([, label]) => ({ label: t(label), className: 'num' }))];
  return (
    <div className="view">
      <PageHeader title={t('agencies.title')} subtitle={t('agencies.summary', { count: i18n.number(rows.length) })} />
      <section className="panel">
        <p className="muted small">{t('agencies.configHint')}</p>
        {rows.length === 0 ? (
          <div className="state empty">{t('agencies.none')}</div>
        ) : (
          <DataTable testId="agencies" columns={columns}>
            {rows.map((a) => (
              <tr key={a.id} data-agency={a.id}>
                <td className="mono">{a.id}</td>
                <td data-user-content>
                  <strong>{a.name}</strong>
                </td>
                <td className="mono">{a.cidrs && a.cidrs.length > 0 ? a.cidrs.join(', ') : <span className="muted">{t('agencies.noNetworks')}</span>}</td>
                {counted.map(([field]) => (
                  <td key={field} className="num" data-count={field}>
                    {i18n.number(a[field] ?? 0)}
                  </td>
                ))}
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}
