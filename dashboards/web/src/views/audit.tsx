/** The audit log for auditors: records newest first with filters and paging, and the hash chain's verdict. */
import { useState, type ReactNode } from 'react';
import { auditApi, type AuditRecord } from '../api/audit';
import { ErrorState, PageHeader, TimeRangeSelect } from '../components/common';
import { LoadState } from '../components/load-state';
import { DataTable } from '../components/data-table';
import { useI18n } from '../i18n';
import { useLoad } from '../lib/use-load';
import { agencyName, useSession } from '../session';

const PAGE = 100;

function ChainStatus(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const verdict = useLoad(() => auditApi.verify(), []);
  if (verdict.error !== undefined) return <ErrorState error={verdict.error} what={t('audit.title')} />;
  const v = verdict.data;
  if (!v) return <div className="notice">{t('audit.verifying')}</div>;
  return v.ok ? (
    <div className="notice chain-ok" data-testid="audit-chain" data-ok="true">
      ✔ {t('audit.chainOk', { n: i18n.number(v.checked) })} <span className="mono muted small">{v.head.slice(0, 16)}…</span>
    </div>
  ) : (
    <div className="notice chain-bad" data-testid="audit-chain" data-ok="false" role="alert">
      ✖ {t('audit.chainBroken', { seq: v.first_bad?.seq ?? '?', reason: v.first_bad?.reason ?? '' })}
    </div>
  );
}

export function AuditView(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [filter, setFilter] = useState({ actor: '', action: '', range: 'now-7d' });
  const [pages, setPages] = useState<Array<number | undefined>>([undefined]);
  const before = pages[pages.length - 1];
  const list = useLoad(
    () => auditApi.list({ actor: filter.actor || undefined, action: filter.action || undefined, from: filter.range || undefined, before, limit: PAGE }),
    [filter.actor, filter.action, filter.range, before],
  );
  const apply = (next: Partial<typeof filter>): void => {
    setFilter({ ...filter, ...next });
    setPages([undefined]);
  };
  return (
    <div className="view">
      <PageHeader title={t('audit.title')}>
        <TimeRangeSelect value={filter.range} onChange={(range) => apply({ range })} allowAll />
      </PageHeader>
      <ChainStatus />
      <form
        className="inline-form filters"
        onSubmit={(e) => {
          e.preventDefault();
          apply({ actor: actor.trim(), action: action.trim() });
        }}
      >
        <input value={actor} onChange={(e) => setActor(e.target.value)} placeholder={t('audit.actorPlaceholder')} aria-label={t('audit.actor')} />
        <input value={action} onChange={(e) => setAction(e.target.value)} placeholder={t('audit.actionPlaceholder')} aria-label={t('audit.action')} />
        <button className="btn primary" type="submit">
          {t('common.search')}
        </button>
      </form>
      <LoadState loaded={list} what={t('audit.title')} isEmpty={(page) => page.records.length === 0}>
        {(page) => (
          <>
            <DataTable testId="audit-records" columns={[{ label: '#', className: 'num' }, t('audit.time'), t('audit.actor'), t('audit.action'), t('audit.object'), t('alerts.agency'), t('audit.result'), t('audit.details')]}>
              {page.records.map((r: AuditRecord) => (
                <tr key={r.seq} className={r.result === 'ok' ? '' : 'row-bad'}>
                  <td className="num mono">{r.seq}</td>
                  <td className="nowrap">{i18n.date(r.time)}</td>
                  <td>{r.actor.id}</td>
                  <td className="mono">{r.action}</td>
                  <td className="mono">{r.object ? `${r.object.type}${r.object.id ? ` ${r.object.id}` : ''}` : '–'}</td>
                  <td>{r.organization === null ? '–' : agencyName(session, r.organization)}</td>
                  <td>{t(`audit.result.${r.result}`)}</td>
                  <td className="mono small ellipsis-cell" title={JSON.stringify(r.details)} data-user-content>
                    {Object.keys(r.details).length === 0 ? '' : JSON.stringify(r.details)}
                  </td>
                </tr>
              ))}
            </DataTable>
            <div className="pager">
              <button className="btn" type="button" disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>
                ← {t('audit.newer')}
              </button>
              <button className="btn" type="button" disabled={page.next === null} onClick={() => setPages([...pages, page.next ?? undefined])}>
                {t('audit.older')} →
              </button>
            </div>
          </>
        )}
      </LoadState>
    </div>
  );
}
