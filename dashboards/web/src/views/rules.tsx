/** Rule sets: every loaded rule with its state, and the documents the last load rejected. */
import { useMemo, useState, type ReactNode } from 'react';
import { rulesApi } from '../api/admin';
import type { RuleSummary } from '../api/types';
import { Empty, ErrorState, Loading, PageHeader, SeverityBadge } from '../components/common';
import { useI18n } from '../i18n';
import { attackTags } from '../lib/attack';
import { useLoad } from '../lib/use-load';
import { useSession } from '../session';
import { errorText } from '../lib/error-text';
import { RuleTitle, useRuleTitleOf } from '../components/rule-title';

export function RulesView(): ReactNode {
  const titleOf = useRuleTitleOf();
  const i18n = useI18n();
  const { t } = i18n;
  const rules = useLoad(() => rulesApi.list(), []);
  const errors = useLoad(() => rulesApi.errors(), []);
  const [filter, setFilter] = useState('');
  const [tab, setTab] = useState<'rules' | 'errors'>('rules');
  const rows = useMemo(() => {
    const needle = filter.toLowerCase();
    return (rules.data?.rules ?? []).filter((r) => needle === '' || `${r.title} ${r.id ?? ''} ${r.file} ${r.tags.join(' ')}`.toLowerCase().includes(needle));
  }, [rules.data, filter]);
  const rulesets = useMemo(() => {
    const m = new Map<string, { total: number; enabled: number }>();
    for (const r of rules.data?.rules ?? []) {
      const s = m.get(r.ruleset) ?? { total: 0, enabled: 0 };
      s.total++;
      if (r.enabled) s.enabled++;
      m.set(r.ruleset, s);
    }
    return [...m.entries()];
  }, [rules.data]);

  if (rules.error !== undefined) return <ErrorState error={rules.error} />;
  if (!rules.data) return <Loading />;
  return (
    <div className="view">
      <PageHeader
        title={t('rules.pageTitle')}
        subtitle={t('rules.summary', { total: i18n.number(rules.data.total), errors: i18n.number(rules.data.errors), loaded: i18n.date(rules.data.loaded_at) })}
      >
        <div className="chips">
          <button type="button" className={`chip${tab === 'rules' ? ' on' : ''}`} onClick={() => setTab('rules')}>
            {t('rules.tabRules')}
          </button>
          <button type="button" className={`chip${tab === 'errors' ? ' on' : ''}${rules.data.errors > 0 ? ' chip-warn' : ''}`} onClick={() => setTab('errors')} data-testid="rule-errors-tab">
            {t('rules.tabErrors', { n: rules.data.errors })}
          </button>
        </div>
      </PageHeader>
      <div className="tiles">
        {rulesets.map(([name, s]) => (
          <div className="tile" key={name}>
            <div className="tile-label">{t('rules.ruleset')}</div>
            <div className="tile-value small">{name}</div>
            <div className="tile-sub">{t('rules.enabledOf', { enabled: i18n.number(s.enabled), total: i18n.number(s.total) })}</div>
          </div>
        ))}
      </div>
      {tab === 'rules' ? (
        <section className="panel">
          <input className="filter-input" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder={t('rules.filter')} aria-label={t('rules.filter')} />
          <table className="table">
            <thead>
              <tr>
                <th>{t('rules.level')}</th>
                <th>{t('rules.title')}</th>
                <th>{t('rules.kind')}</th>
                <th>{t('rules.techniques')}</th>
                <th>{t('rules.ruleset')}</th>
                <th>{t('rules.state')}</th>
                <th>{t('rules.file')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.file}:${r.line}`} className={r.enabled ? '' : 'muted'}>
                  <td>{r.level ? <SeverityBadge severity={r.level} /> : '–'}</td>
                  <td>
                    <RuleTitle id={r.id ?? undefined} name={r.title} titleOf={titleOf} />
                    {r.previous_version && <span className="tag tag-warn">{t('rules.previousVersion')}</span>}
                  </td>
                  <td>{r.kind === 'correlation' ? t('rules.correlation') : t('rules.single')}</td>
                  <td className="mono small">{attackTags(r.tags).techniques.join(' ') || '–'}</td>
                  <td>{r.ruleset}</td>
                  <td className="nowrap">
                    <RuleSwitch rule={r} onChanged={rules.reload} />
                  </td>
                  <td className="mono small ellipsis-cell">
                    {r.file}:{r.line}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="hint muted">{t('rules.disableHint')}</div>
        </section>
      ) : (
        <section className="panel">
          {errors.error !== undefined ? (
            <ErrorState error={errors.error} />
          ) : !errors.data ? (
            <Loading />
          ) : errors.data.errors.length === 0 ? (
            <Empty>{t('rules.noErrors')}</Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th>{t('rules.file')}</th>
                  <th>{t('rules.errorKind')}</th>
                  <th>{t('rules.reason')}</th>
                  <th>{t('rules.keptPrevious')}</th>
                </tr>
              </thead>
              <tbody>
                {errors.data.errors.map((e, i) => (
                  <tr key={i}>
                    <td className="mono small">
                      {e.file}:{e.line}
                    </td>
                    <td>{e.kind}</td>
                    <td>
                      {e.document && <strong>{e.document}: </strong>}
                      {e.reason}
                    </td>
                    <td>{e.kept_previous ? t('common.yes') : t('common.no')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </div>
  );
}

/** The rule's state, with a switch for holders of rules:manage (a rule off in socnoc.yaml stays off). */
function RuleSwitch(props: { rule: RuleSummary; onChanged(): void }): ReactNode {
  const { t } = useI18n();
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const r = props.rule;
  const key = r.id ?? r.title;
  const state = r.enabled ? t('rules.enabled') : r.disabled_by === 'config' ? t('rules.disabledInConfig') : t('rules.disabled');
  if (!session.can('rules:manage') || r.disabled_by === 'config') return <span>{state}</span>;
  const toggle = async (): Promise<void> => {
    setBusy(true);
    try {
      await rulesApi.setEnabled(key, !r.enabled);
      setError(undefined);
      props.onChanged();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="row-gap">
      <span>{state}</span>
      <button className="btn small" type="button" disabled={busy} onClick={() => void toggle()} data-rule-switch={key} title={error}>
        {r.enabled ? t('rules.disable') : t('rules.enable')}
      </button>
      {error !== undefined && <span className="bad small">!</span>}
    </span>
  );
}
