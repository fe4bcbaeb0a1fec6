/**
 * The NOC/SOC wall screen: no menu or chrome, large type, refreshes itself. Open alerts by
 * severity, the latest alerts, intake per second and devices with problems. Esc goes back.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { alertsApi } from '../api/alerts';
import { devicesApi } from '../api/noc';
import { SEVERITIES, type Severity } from '../api/types';
import { SeverityBadge } from '../components/common';
import { useI18n } from '../i18n';
import { agencyQuery } from '../lib/query';
import { useLoad } from '../lib/use-load';
import { navigate } from '../router';
import { agencyName, useSession } from '../session';
import { RuleTitle, useRuleTitleOf } from '../components/rule-title';
import { useCollectorHealth } from './collector-health';
import { DeviceStatusBadge, sortDevicesProblemsFirst } from './devices';

const OPEN = ['new', 'acknowledged', 'in_progress'] as const;

export function WallView(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const titleOf = useRuleTitleOf();
  const session = useSession();
  const every = session.refreshSeconds * 2000;
  const [now, setNow] = useState(Date.now());
  const q = agencyQuery(session.agency);
  const counts = useLoad(
    async () => {
      const out: Partial<Record<Severity, number>> = {};
      await Promise.all(SEVERITIES.map(async (s) => (out[s] = (await alertsApi.search({ q, status: OPEN, severity: [s], limit: 1, view: 'summary' })).total)));
      return out;
    },
    [q],
    every,
  );
  const latest = useLoad(() => alertsApi.search({ q, status: OPEN, limit: 12, view: 'summary' }), [q], every);
  const devices = useLoad(() => (session.can('devices:read') ? devicesApi.list() : Promise.resolve([])), [], every);
  const canMetrics = session.can('metrics:read');

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') navigate('/alerts');
    };
    window.addEventListener('keydown', onKey);
    return () => {
      clearInterval(timer);
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  const problems = sortDevicesProblemsFirst((devices.data ?? []).filter((d) => d.status !== 'up' && (session.agency === '' || d.organization.id === session.agency)));
  return (
    <div className="wall" data-testid="wall">
      <header className="wall-head">
        <span className="brand">
          <span className="brand-mark">◆</span> socnoc
        </span>
        <span className="wall-title">{session.agency === '' ? t('top.allAgencies') : agencyName(session, session.agency)}</span>
        <span className="wall-clock">{i18n.date(now, 'medium')}</span>
      </header>
      <div className="wall-tiles">
        {[...SEVERITIES].reverse().map((s) => (
          <div key={s} className={`wall-tile sev-bg-${s}`}>
            <div className="wall-tile-label">{t(`severity.${s}`)}</div>
            <div className="wall-tile-value">{i18n.number(counts.data?.[s])}</div>
          </div>
        ))}
        {canMetrics && <WallIntake />}
      </div>
      <div className="wall-body">
        <section className="wall-panel">
          <h2>{t('wall.latest')}</h2>
          <table className="wall-table">
            <tbody>
              {(latest.data?.alerts ?? []).map((a) => (
                <tr key={a.id}>
                  <td>
                    <SeverityBadge severity={a.severity} />
                  </td>
                  <td className="ellipsis-cell">
                    <RuleTitle id={a.rule.id} name={a.rule.name} titleOf={titleOf} />
                  </td>
                  <td>{a.organization.name ?? agencyName(session, a.organization.id)}</td>
                  <td className="num">{i18n.number(a.count)}</td>
                  <td className="nowrap">{i18n.relative(a.last_seen, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {session.can('devices:read') && (
          <section className="wall-panel">
            <h2>{t('wall.devices')}</h2>
            {devices.error !== undefined ? (
              <div className="muted">{t('common.notAvailable')}</div>
            ) : problems.length === 0 ? (
              <div className="wall-ok">{t('wall.allUp')}</div>
            ) : (
              <table className="wall-table">
                <tbody>
                  {problems.slice(0, 12).map((d) => (
                    <tr key={d.id}>
                      <td>
                        <DeviceStatusBadge status={d.status} />
                      </td>
                      <td>{d.name}</td>
                      <td className="mono">{d.address}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        )}
      </div>
    </div>
  );
}

function WallIntake(): ReactNode {
  const i18n = useI18n();
  const session = useSession();
  const { health } = useCollectorHealth(session.refreshSeconds * 2000);
  const total = health ? health.inputs.reduce((n, x) => n + x.receivedPerSec, 0) : undefined;
  const drops = health ? health.inputs.reduce((n, x) => n + x.droppedPerSec, 0) : 0;
  return (
    <div className={`wall-tile intake${drops > 0 ? ' sev-bg-high' : ''}`}>
      <div className="wall-tile-label">{i18n.t('health.eventsPerSec')}</div>
      <div className="wall-tile-value">{i18n.number(total, 0)}</div>
    </div>
  );
}
