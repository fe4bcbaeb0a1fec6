/**
 * Playbooks: the loaded playbooks with their steps and trigger, the files that failed to load, and
 * the runs (filter by status), with approve / deny on runs waiting for approval.
 */
import { useState, type ReactNode } from 'react';
import { playbooksApi, RUN_STATUSES, type Playbook, type RunStatus } from '../api/playbooks';
import { PageHeader } from '../components/common';
import { DataTable } from '../components/data-table';
import { LoadState } from '../components/load-state';
import { RunRows } from '../components/playbook-runs';
import { useI18n } from '../i18n';
import { useLoad } from '../lib/use-load';
import { setQuery, useLocation } from '../router';
import { useSession } from '../session';

export function PlaybooksView(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const location = useLocation();
  const status = (location.query.get('status') ?? '') as RunStatus | '';
  const list = useLoad(() => playbooksApi.list(), []);
  const runs = useLoad((signal) => playbooksApi.runs({ status: status === '' ? undefined : status, limit: 200 }, signal), [status], session.refreshSeconds * 1000);
  return (
    <div className="view" data-testid="playbooks">
      <PageHeader title={t('playbooks.title')} subtitle={list.data?.loaded_at ? t('playbooks.loadedAt', { time: i18n.date(list.data.loaded_at) }) : undefined} />
      <LoadState loaded={list} what={t('menu.playbooks')}>
        {(data) => (
          <>
            {data.errors.length > 0 && (
              <section className="panel" data-testid="playbook-errors">
                <h2>{t('playbooks.loadErrors', { count: data.errors.length })}</h2>
                <DataTable columns={[t('rules.file'), t('playbook.playbook'), t('playbooks.reason')]}>
                  {data.errors.map((e, i) => (
                    <tr key={i}>
                      <td className="mono">
                        {e.file}:{e.line}
                      </td>
                      <td>{e.playbook ?? '–'}</td>
                      <td className="bad-text">{e.reason}</td>
                    </tr>
                  ))}
                </DataTable>
              </section>
            )}
            <section className="panel">
              <h2>{t('playbooks.loaded', { count: data.total })}</h2>
              <DataTable columns={[t('playbook.playbook'), t('playbooks.triggerCol'), t('playbooks.steps'), t('rules.file')]} testId="playbook-list">
                {data.playbooks.map((p) => (
                  <PlaybookRow key={p.id} playbook={p} />
                ))}
              </DataTable>
            </section>
          </>
        )}
      </LoadState>
      <section className="panel">
        <div className="panel-head">
          <h2>{t('playbook.runs')}</h2>
          <select value={status} onChange={(e) => setQuery({ status: e.target.value })} aria-label={t('alerts.status')} data-field="run-status">
            <option value="">{t('playbooks.allStatuses')}</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`runStatus.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <LoadState loaded={runs} isEmpty={(d) => d.runs.length === 0} empty={t('playbook.noRuns')}>
          {(d) => <RunRows runs={d.runs} onChanged={runs.reload} />}
        </LoadState>
      </section>
    </div>
  );
}

function PlaybookRow(props: { playbook: Playbook }): ReactNode {
  const { t } = useI18n();
  const p = props.playbook;
  const [open, setOpen] = useState(false);
  const rules = Array.isArray(p.trigger?.rules) ? p.trigger.rules.length : 0;
  return (
    <>
      <tr className="clickable" onClick={() => setOpen(!open)} data-playbook={p.id}>
        <td data-user-content>
          <strong>{p.name}</strong> <span className="mono muted">{p.id}</span>
          {!p.enabled && <span className="tag tag-warn">{t('playbooks.disabled')}</span>}
          <div className="muted small">{p.description}</div>
        </td>
        <td>{p.triggers ? t('playbooks.automatic', { rules }) : t('playbooks.manualOnly')}</td>
        <td className="num">{p.steps.length}</td>
        <td className="mono small">
          {p.file}:{p.line}
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={4}>
            <ol className="steps-list">
              {p.steps.map((s) => (
                <li key={s.id}>
                  <strong>{s.id}</strong> <span className="tag mono">{s.action}</span>
                  {s.if !== null && <span className="muted small"> {t('playbooks.if', { cond: s.if })}</span>}
                  {s.foreach !== null && <span className="tag">{t('playbooks.foreach')}</span>}
                  {s.on_error !== 'fail' && <span className="muted small"> · {t('playbooks.onError', { mode: s.on_error })}</span>}
                </li>
              ))}
            </ol>
          </td>
        </tr>
      )}
    </>
  );
}
