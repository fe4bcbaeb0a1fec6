/**
 * One information system for an auditor: level, regime and assets; the assessment per requirement
 * (status colours, evidence with its date, manual documents), the gaps with recommended actions,
 * report downloads (PDF/HTML/CSV, vi/en), and manual evidence (upload, approve, download).
 */
import { useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { complianceApi, complianceReportUrl, REGIMES, REQUIREMENT_STATUSES, type Assessment, type ComplianceSystem, type Regime, type ReportFormat, type RequirementResult } from '../api/compliance';
import { Empty, ErrorState, Field, Loading, PageHeader } from '../components/common';
import { DataTable } from '../components/data-table';
import { LoadState } from '../components/load-state';
import { useI18n } from '../i18n';
import { complianceTone, gapsOf, inLang, metShare } from '../lib/compliance-view';
import { useLoad } from '../lib/use-load';
import { Link, setQuery, useLocation } from '../router';
import { agencyName, useSession } from '../session';
import { EvidencePanel } from './compliance-evidence';
import { FormatSelect } from './compliance-systems';

export function ComplianceSystemView(props: { id: string }): ReactNode {
  const { t } = useI18n();
  const location = useLocation();
  const regimeParam = location.query.get('regime');
  const regime = (REGIMES as readonly string[]).includes(regimeParam ?? '') ? (regimeParam as Regime) : undefined;
  const system = useLoad(() => complianceApi.system(props.id), [props.id]);
  const assessment = useLoad(() => complianceApi.assessment(props.id, regime), [props.id, regime]);
  if (system.error !== undefined) {
    if (system.error instanceof ApiError && system.error.status === 404 && !system.error.routeMissing) return <Empty>{t('compliance.systemNotFound')}</Empty>;
    return <ErrorState error={system.error} what={t('menu.compliance')} />;
  }
  const s = system.data;
  if (!s) return <Loading />;
  const shownRegime = regime ?? s.regime;
  return (
    <div className="view" data-testid="compliance-system">
      <PageHeader
        title={s.name}
        subtitle={
          <span className="row-gap">
            <span className="level-badge">{t('compliance.levelN', { level: s.level })}</span> {t(`regime.${shownRegime}`)} <span className="mono muted">{s.id}</span>
          </span>
        }
      >
        <select value={shownRegime} onChange={(e) => setQuery({ regime: e.target.value === s.regime ? undefined : e.target.value })} aria-label={t('compliance.regime')} data-field="regime">
          {REGIMES.map((r) => (
            <option key={r} value={r}>
              {t(`regime.${r}`)}
            </option>
          ))}
        </select>
        <Link to="/compliance" className="btn ghost">
          ← {t('compliance.systems')}
        </Link>
      </PageHeader>
      <div className="grid-2">
        <SystemPanel system={s} />
        <ReportsPanel system={s} regime={shownRegime} />
      </div>
      <LoadState loaded={assessment} what={t('menu.compliance')}>
        {(a) => (
          <>
            <SummaryPanel assessment={a} />
            <GapsPanel assessment={a} />
            <RequirementsPanel assessment={a} />
          </>
        )}
      </LoadState>
      <EvidencePanel system={s} regime={shownRegime} onChanged={assessment.reload} />
    </div>
  );
}

function SystemPanel(props: { system: ComplianceSystem }): ReactNode {
  const { t } = useI18n();
  const session = useSession();
  const s = props.system;
  const list = (items: string[]): ReactNode => (items.length === 0 ? '–' : items.slice(0, 30).map((x) => <span key={x} className="tag mono">{x}</span>));
  return (
    <section className="panel">
      <h2>{t('compliance.systemInfo')}</h2>
      <Field label={t('alerts.agency')}>{agencyName(session, s.agency)}</Field>
      <Field label={t('compliance.level')}>{t('compliance.levelN', { level: s.level })}</Field>
      <Field label={t('compliance.approval')}>{s.approval ? `${s.approval.document} (${s.approval.date})` : t('compliance.noApproval')}</Field>
      {s.description !== '' && <Field label={t('compliance.description')}>{s.description}</Field>}
      <Field label={t('compliance.devices')}>{list(s.assets.devices.map((d) => d.name ?? d.address ?? ''))}</Field>
      <Field label={t('compliance.agentHosts')}>{list(s.assets.agent_hosts)}</Field>
      <Field label={t('compliance.logSources')}>{list(s.assets.log_sources.map((l) => l.name ?? l.address ?? l.host ?? l.agent_id ?? ''))}</Field>
    </section>
  );
}

function ReportsPanel(props: { system: ComplianceSystem; regime: Regime }): ReactNode {
  const { t, lang } = useI18n();
  const [format, setFormat] = useState<ReportFormat>('pdf');
  return (
    <section className="panel" data-testid="compliance-report">
      <h2>{t('compliance.report')}</h2>
      <p className="muted">{t('compliance.reportHint')}</p>
      <div className="action-bar">
        <FormatSelect value={format} onChange={setFormat} />
        {(['vi', 'en'] as const).map((l) => (
          <a key={l} className={l === lang ? 'btn primary' : 'btn'} href={complianceReportUrl({ system: props.system.id, regime: props.regime, format, lang: l })} target="_blank" rel="noreferrer" data-report={`compliance-${l}`}>
            {l === 'vi' ? t('compliance.downloadVi') : t('compliance.downloadEn')}
          </a>
        ))}
      </div>
    </section>
  );
}

const STATUS_KEYS = ['met', 'partly_met', 'not_met', 'needs_manual_evidence', 'not_applicable', 'missing', 'unavailable', 'info'] as const;

/** A requirement, evidence or manual-document status in its colour. */
export function ComplianceStatus(props: { status: string }): ReactNode {
  const { t } = useI18n();
  const known = (STATUS_KEYS as readonly string[]).includes(props.status) ? (props.status as (typeof STATUS_KEYS)[number]) : 'info';
  return (
    <span className={`cstatus tone-${complianceTone(props.status)}`} data-status={props.status}>
      {t(`cstatus.${known}`)}
    </span>
  );
}

function SummaryPanel(props: { assessment: Assessment }): ReactNode {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const a = props.assessment;
  const share = metShare(a.counts);
  return (
    <section className="panel" data-testid="compliance-summary">
      <h2>
        {t('compliance.assessment')} <span className="muted small">{t('compliance.assessedAt', { time: i18n.date(a.assessed_at) })}</span>
      </h2>
      <div className="status-strip">
        {REQUIREMENT_STATUSES.map((st) => (
          <div key={st} className={`status-count tone-${complianceTone(st)}`}>
            <div className="big">{i18n.number(a.counts[st])}</div>
            <div>{t(`cstatus.${st}`)}</div>
          </div>
        ))}
        <div className="status-count">
          <div className="big">{share === null ? '–' : `${i18n.number(share * 100)} %`}</div>
          <div>{t('compliance.metShare')}</div>
        </div>
      </div>
      <DataTable columns={[t('compliance.group'), ...REQUIREMENT_STATUSES.map((st) => ({ label: t(`cstatus.${st}`), className: 'num' }))]}>
        {a.groups.map((g) => (
          <tr key={g.group}>
            <td>
              {inLang(g.label, lang)} <span className="mono muted small">{g.group}</span>
            </td>
            {REQUIREMENT_STATUSES.map((st) => (
              <td key={st} className={`num ${g.counts[st] > 0 ? `tone-text-${complianceTone(st)}` : 'muted'}`}>
                {i18n.number(g.counts[st])}
              </td>
            ))}
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

function GapsPanel(props: { assessment: Assessment }): ReactNode {
  const { t, lang } = useI18n();
  const gaps = gapsOf(props.assessment);
  return (
    <section className="panel" data-testid="compliance-gaps">
      <h2>{t('compliance.gaps', { count: gaps.length })}</h2>
      {gaps.length === 0 ? (
        <Empty>{t('compliance.noGaps')}</Empty>
      ) : (
        <DataTable columns={[t('compliance.requirement'), t('alerts.status'), t('compliance.actions')]}>
          {gaps.map((r) => (
            <tr key={r.id}>
              <td>
                <span className="mono small">{r.id}</span> {lang === 'vi' ? r.title_vi : r.title_en}
              </td>
              <td>
                <ComplianceStatus status={r.status} />
              </td>
              <td>
                <ul className="plain-list">
                  {r.actions.map((x, i) => (
                    <li key={i}>{inLang(x, lang)}</li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}

function RequirementsPanel(props: { assessment: Assessment }): ReactNode {
  const { t } = useI18n();
  const [status, setStatus] = useState('');
  const rows = props.assessment.requirements.filter((r) => status === '' || r.status === status);
  return (
    <section className="panel" data-testid="compliance-requirements">
      <div className="panel-head">
        <h2>{t('compliance.requirements')}</h2>
        <select value={status} onChange={(e) => setStatus(e.target.value)} aria-label={t('alerts.status')} data-field="requirement-status">
          <option value="">{t('playbooks.allStatuses')}</option>
          {REQUIREMENT_STATUSES.map((st) => (
            <option key={st} value={st}>
              {t(`cstatus.${st}`)}
            </option>
          ))}
        </select>
      </div>
      <DataTable columns={[t('compliance.requirement'), t('compliance.clause'), t('alerts.status'), t('compliance.evidenceCol')]}>
        {rows.map((r) => (
          <RequirementRow key={r.id} requirement={r} />
        ))}
      </DataTable>
    </section>
  );
}

function RequirementRow(props: { requirement: RequirementResult }): ReactNode {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const r = props.requirement;
  return (
    <tr data-requirement={r.id} className={`req-row tone-row-${complianceTone(r.status)}`}>
      <td>
        <div className="mono small">{r.id}</div>
        {lang === 'vi' ? r.title_vi : r.title_en}
        {r.uncertain && <span className="tag tag-warn">{t('compliance.unverified')}</span>}
      </td>
      <td className="small">{r.clause ?? '–'}</td>
      <td>
        <ComplianceStatus status={r.status} />
      </td>
      <td className="small">
        {r.evidence.map((e, i) => (
          <div key={`e${i}`} className="evidence-line">
            <ComplianceStatus status={e.status} /> {inLang(e.summary, lang)} <span className="muted">({i18n.date(e.observed_at)})</span>
          </div>
        ))}
        {r.manual.map((m, i) => (
          <div key={`m${i}`} className="evidence-line">
            <ComplianceStatus status={m.status} /> {inLang(m.text, lang)}
          </div>
        ))}
        {r.evidence.length === 0 && r.manual.length === 0 && '–'}
      </td>
    </tr>
  );
}
