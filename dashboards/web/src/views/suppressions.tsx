/**
 * Suppression rules: matches of a rule (or every rule) for given field values are counted on the
 * suppression instead of raising alerts, until it expires. The list (with hits), deleting and
 * extending them, and the "suppress similar" form on an alert.
 */
import { useState, type ReactNode } from 'react';
import { suppressionsApi } from '../api/alerts';
import type { AlertSuppression } from '../api/types';
import { PageHeader } from '../components/common';
import { LoadState } from '../components/load-state';
import { Notice } from '../components/action-notice';
import { DataTable } from '../components/data-table';
import { useI18n } from '../i18n';
import { useLoad } from '../lib/use-load';
import { Link } from '../router';
import { agencyName, useSession } from '../session';
import { errorText } from '../lib/error-text';

export function SuppressionsView(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const list = useLoad(() => suppressionsApi.list(), []);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const canManage = session.can('alerts:manage');
  const act = async (f: () => Promise<unknown>): Promise<void> => {
    try {
      await f();
      setMessage(undefined);
      list.reload();
    } catch (err) {
      setMessage(errorText(err));
    }
  };
  const rows = (list.data ?? []).filter((s: AlertSuppression) => session.agency === '' || s.organization === null || s.organization === session.agency);
  return (
    <div className="view">
      <PageHeader title={t('suppress.title')} subtitle={t('suppress.subtitle')}>
        <Link to="/alerts" className="btn ghost">
          ← {t('alerts.title')}
        </Link>
      </PageHeader>
      <Notice message={message} />
      <LoadState loaded={list} what={t('suppress.title')} isEmpty={() => rows.length === 0} empty={t('suppress.none')}>
        {() => (
          <DataTable testId="suppressions" columns={[t('suppress.rule'), t('alerts.agency'), t('suppress.match'), t('suppress.reason'), t('suppress.owner'), { label: t('suppress.hits'), className: 'num' }, t('suppress.lastHit'), t('suppress.expires'), '']}>
            {rows.map((s) => (
              <tr key={s.id} className={s.expired ? 'muted' : ''}>
                <td className="mono">{s.rule_id === '*' ? t('suppress.everyRule') : s.rule_id}</td>
                <td>{s.organization === null ? t('suppress.everyAgency') : agencyName(session, s.organization)}</td>
                <td>
                  {Object.entries(s.match).length === 0
                    ? '–'
                    : Object.entries(s.match).map(([k, v]) => <span key={k} className="tag mono">{`${k}: ${Array.isArray(v) ? v.join(' | ') : v}`}</span>)}
                </td>
                <td>{s.reason}</td>
                <td>{s.owner}</td>
                <td className="num">{i18n.number(s.hits)}</td>
                <td className="nowrap">{i18n.date(s.last_hit)}</td>
                <td className="nowrap">{s.expires_at === null ? t('suppress.never') : s.expired ? t('suppress.expiredAt', { when: i18n.date(s.expires_at) }) : i18n.date(s.expires_at)}</td>
                <td className="nowrap">
                  {canManage && (
                    <span className="row-gap">
                      <button className="btn small" type="button" onClick={() => void act(() => suppressionsApi.update(s.id, { expires_at: 'now+7d' }))}>
                        {t('suppress.extend')}
                      </button>
                      <button className="btn small danger" type="button" onClick={() => void act(() => suppressionsApi.remove(s.id))}>
                        {t('common.delete')}
                      </button>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </LoadState>
    </div>
  );
}
