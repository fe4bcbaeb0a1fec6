/** Compliance for auditors: the systems register of the user's agencies, and the Circular 31/2017 monitoring reports per agency. */
import { useState, type ReactNode } from 'react';
import { complianceApi, MONITORING_PERIODS, monitoringReportUrl, REPORT_FORMATS, type MonitoringPeriod, type ReportFormat } from '../api/compliance';
import { PageHeader } from '../components/common';
import { DataTable } from '../components/data-table';
import { LoadState } from '../components/load-state';
import { AgencyOptions } from '../components/option-lists';
import { useI18n } from '../i18n';
import { useLoad } from '../lib/use-load';
import { Link } from '../router';
import { agencyName, useSession } from '../session';

export function ComplianceSystemsView(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const systems = useLoad(() => complianceApi.systems(), []);
  return (
    <div className="view" data-testid="compliance-systems">
      <PageHeader title={t('compliance.title')} subtitle={t('compliance.subtitle')} />
      <section className="panel">
        <h2>{t('compliance.systems')}</h2>
        <LoadState loaded={systems} what={t('menu.compliance')} isEmpty={(d) => d.systems.length === 0} empty={t('compliance.noSystems')}>
          {(d) => (
            <DataTable columns={[t('compliance.system'), t('alerts.agency'), t('compliance.level'), t('compliance.regime'), t('compliance.assets'), t('compliance.approval')]} testId="systems-table">
              {d.systems
                .filter((s) => session.agency === '' || s.agency === session.agency)
                .map((s) => (
                  <tr key={s.id} data-system={s.id}>
                    <td>
                      <Link to={`/compliance/systems/${encodeURIComponent(s.id)}`}>{s.name}</Link>
                    </td>
                    <td>{agencyName(session, s.agency)}</td>
                    <td>
                      <span className="level-badge">{t('compliance.levelN', { level: s.level })}</span>
                    </td>
                    <td>{t(`regime.${s.regime}`)}</td>
                    <td className="small">{t('compliance.assetCounts', { devices: s.assets.devices.length, hosts: s.assets.agent_hosts.length, sources: s.assets.log_sources.length })}</td>
                    <td className="small">{s.approval ? `${s.approval.document} (${s.approval.date})` : '–'}</td>
                  </tr>
                ))}
            </DataTable>
          )}
        </LoadState>
      </section>
      <MonitoringReports />
    </div>
  );
}

function MonitoringReports(): ReactNode {
  const { t, lang } = useI18n();
  const session = useSession();
  const [agency, setAgency] = useState(session.agency !== '' ? session.agency : (session.agencies[0]?.id ?? ''));
  const [period, setPeriod] = useState<MonitoringPeriod>('weekly');
  const [format, setFormat] = useState<ReportFormat>('pdf');
  return (
    <section className="panel" data-testid="monitoring-reports">
      <h2>{t('compliance.monitoring')}</h2>
      <p className="muted">{t('compliance.monitoringHint')}</p>
      <div className="action-bar">
        <label>
          {t('alerts.agency')}{' '}
          <select value={agency} onChange={(e) => setAgency(e.target.value)} data-field="monitoring-agency">
            <AgencyOptions />
          </select>
        </label>
        <label>
          {t('compliance.period')}{' '}
          <select value={period} onChange={(e) => setPeriod(e.target.value as MonitoringPeriod)} data-field="monitoring-period">
            {MONITORING_PERIODS.map((p) => (
              <option key={p} value={p}>
                {t(`compliance.period.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <FormatSelect value={format} onChange={setFormat} />
        {(['vi', 'en'] as const).map((l) => (
          <a
            key={l}
            className={l === lang ? 'btn primary' : 'btn'}
            href={agency === '' ? undefined : monitoringReportUrl({ agency, period, format, lang: l })}
            target="_blank"
            rel="noreferrer"
            data-report={`monitoring-${l}`}
          >
            {l === 'vi' ? t('compliance.downloadVi') : t('compliance.downloadEn')}
          </a>
        ))}
      </div>
    </section>
  );
}

export function FormatSelect(props: { value: ReportFormat; onChange(value: ReportFormat): void }): ReactNode {
  const { t } = useI18n();
  return (
    <label>
      {t('compliance.format')}{' '}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value as ReportFormat)} data-field="report-format">
        {REPORT_FORMATS.map((f) => (
          <option key={f} value={f}>
            {f.toUpperCase()}
          </option>
        ))}
      </select>
    </label>
  );
}
