/**
 * ATT&CK coverage: one column per tactic, a cell per technique that an enabled rule covers;
 * cells that fired (alerts in the chosen period) are coloured by how often. A click opens the
 * alert queue filtered to that technique.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { alertsApi } from '../api/alerts';
import { rulesApi } from '../api/admin';
import { ErrorState, Loading, PageHeader, TimeRangeSelect } from '../components/common';
import { useI18n } from '../i18n';
import { coverageMatrix, TACTICS } from '../lib/attack';
import { agencyQuery } from '../lib/query';
import { useLoad } from '../lib/use-load';
import { navigate } from '../router';
import { useSession } from '../session';

export function AttackMatrixView(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const [range, setRange] = useState('now-30d');
  const rules = useLoad(() => rulesApi.list(), []);
  const alerts = useLoad(
    (signal) => (session.can('alerts:read') ? alertsApi.searchAll({ q: agencyQuery(session.agency), from: range, view: 'summary' }, 10_000, signal) : Promise.resolve({ total: 0, alerts: [] })),
    [range, session.agency],
  );
  const matrix = useMemo(() => {
    if (!rules.data) return undefined;
    return coverageMatrix({
      rules: rules.data.rules,
      alerts: (alerts.data?.alerts ?? []).map((a) => ({ techniques: a.mappings.attack.techniques, tactics: a.mappings.attack.tactics, count: a.count })),
    });
  }, [rules.data, alerts.data]);

  if (rules.error !== undefined) return <ErrorState error={rules.error} />;
  if (!matrix) return <Loading />;
  let covered = 0;
  let fired = 0;
  const seen = new Set<string>();
  for (const column of matrix.values())
    for (const c of column) {
      if (seen.has(c.technique)) continue;
      seen.add(c.technique);
      if (c.rules.length > 0) covered++;
      if (c.fired > 0) fired++;
    }
  const columns = [...TACTICS.map((x) => ({ key: x.slug as string, label: t(`tactic.${x.slug}`), id: x.id })), { key: '', label: t('attack.unmapped'), id: '' }].filter(
    (c) => c.key !== '' || (matrix.get('')?.length ?? 0) > 0,
  );

  return (
    <div className="view">
      <PageHeader title={t('attack.title')} subtitle={t('attack.summary', { covered: i18n.number(covered), fired: i18n.number(fired), rules: i18n.number(rules.data?.total ?? 0) })}>
        <TimeRangeSelect value={range} onChange={setRange} />
      </PageHeader>
      <div className="legend-row">
        <span className="cell-legend covered">{t('attack.covered')}</span>
        <span className="cell-legend fired">{t('attack.fired')}</span>
      </div>
      <div className="attack-matrix" style={{ gridTemplateColumns: `repeat(${columns.length}, minmax(76px, 1fr))` }}>
        {columns.map((col) => (
          <div className="attack-column" key={col.key || 'unmapped'}>
            <div className="attack-tactic" title={col.id}>
              {col.label}
              <span className="muted"> ({matrix.get(col.key)?.length ?? 0})</span>
            </div>
            {(matrix.get(col.key) ?? []).map((c) => (
              <button
                type="button"
                key={c.technique}
                className={`attack-cell${c.rules.length > 0 ? ' covered' : ''}${c.fired > 0 ? ' fired' : ''}`}
                title={`${c.technique}\n${c.rules.join('\n')}${c.fired > 0 ? `\n${t('attack.firedCount', { n: i18n.number(c.fired) })}` : ''}`}
                onClick={() => navigate(`/alerts?technique=${c.technique}&range=${range}&status=all`)}
              >
                <span className="mono">{c.technique}</span>
                <span className="attack-cell-meta">
                  {t('attack.ruleCount', { n: c.rules.length })}
                  {c.fired > 0 && ` · ${i18n.number(c.fired)}`}
                </span>
              </button>
            ))}
          </div>
        ))}
      </div>
    </div>
  );
}
