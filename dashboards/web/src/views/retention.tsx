/** Data retention (admin): the settings of socnoc.yaml and what the event store holds on disk. Read-only. */
import type { ReactNode } from 'react';
import { retentionApi } from '../api/retention';
import { PageHeader } from '../components/common';
import { DataTable } from '../components/data-table';
import { LoadState } from '../components/load-state';
import { useI18n } from '../i18n';
import { useLoad } from '../lib/use-load';

export function RetentionView(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const info = useLoad(() => retentionApi.get(), []);
  return (
    <div className="view">
      <PageHeader title={t('retention.title')} />
      <LoadState loaded={info} what={t('retention.title')}>
        {(r) => (
          <>
            <section className="panel" data-testid="retention-settings">
              <h2>{t('retention.settings')}</h2>
              <p className="muted small">{t('retention.configHint')}</p>
              <DataTable columns={[t('retention.setting'), { label: t('retention.keptFor'), className: 'num' }]}>
                {r.settings.map((s) => (
                  <tr key={s.key}>
                    <td className="mono">{s.key}</td>
                    <td className="num">{t('retention.days', { days: i18n.number(s.days) })}</td>
                  </tr>
                ))}
              </DataTable>
            </section>
            <section className="panel" data-testid="retention-events">
              <h2>{t('retention.events')}</h2>
              <div className="status-strip">
                <div className="status-count">
                  <div className="big">{i18n.date(r.events.oldestEventAt, 'medium')}</div>
                  <div>{t('retention.oldest')}</div>
                </div>
                <div className="status-count">
                  <div className="big">{i18n.bytes(r.events.totalBytes)}</div>
                  <div>{t('retention.totalSize')}</div>
                </div>
                <div className="status-count">
                  <div className="big">{i18n.number(r.events.partitions.length)}</div>
                  <div>{t('retention.partitions')}</div>
                </div>
              </div>
              <p className="muted small">{t('retention.deletesBefore', { day: r.events.deletesBefore })}</p>
              {r.events.partitions.length === 0 ? (
                <div className="state empty">{t('retention.noEvents')}</div>
              ) : (
                <DataTable testId="retention-partitions" columns={[t('retention.day'), { label: t('retention.size'), className: 'num' }, '']}>
                  {[...r.events.partitions].reverse().map((p) => (
                    <tr key={p.day} className={p.day < r.events.deletesBefore ? 'muted' : ''}>
                      <td className="mono">{p.day}</td>
                      <td className="num">{i18n.bytes(p.bytes)}</td>
                      <td>{p.day < r.events.deletesBefore ? t('retention.expiring') : ''}</td>
                    </tr>
                  ))}
                </DataTable>
              )}
            </section>
          </>
        )}
      </LoadState>
    </div>
  );
}
