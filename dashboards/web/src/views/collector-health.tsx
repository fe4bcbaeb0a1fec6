/**
 * Collector health from /metrics: events per second per input (from two scrapes), failures and
 * drops, queue depths, and the detection engine's pace. Keeps the last few minutes of rates for
 * a small trend per input.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import { LineChart } from '../components/charts';
import { ErrorState, Loading, PageHeader } from '../components/common';
import { useI18n } from '../i18n';
import { collectorHealth, type CollectorHealth } from '../lib/collector-health';
import { parsePrometheusText, type Sample } from '../lib/prometheus';
import { useSession } from '../session';

const HISTORY = 60;

export function useCollectorHealth(intervalMs: number): { health: CollectorHealth | undefined; error: unknown; history: Map<string, Array<{ t: number; v: number }>> } {
  const [health, setHealth] = useState<CollectorHealth | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const previous = useRef<{ at: number; samples: Sample[] } | undefined>(undefined);
  const history = useRef(new Map<string, Array<{ t: number; v: number }>>());

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const scrape = async (): Promise<void> => {
      try {
        const at = Date.now();
        const samples = parsePrometheusText(await api.metricsText());
        const prev = previous.current;
        previous.current = { at, samples };
        if (prev && !stopped) {
          const h = collectorHealth(prev.samples, samples, (at - prev.at) / 1000);
          for (const input of h.inputs) {
            const list = history.current.get(input.input) ?? [];
            list.push({ t: at, v: input.receivedPerSec });
            if (list.length > HISTORY) list.shift();
            history.current.set(input.input, list);
          }
          setHealth(h);
          setError(undefined);
        }
      } catch (err) {
        if (!stopped) setError(err);
      } finally {
        // The first rate needs a second scrape soon after the first.
        if (!stopped) timer = setTimeout(() => void scrape(), previous.current && health === undefined ? 1000 : intervalMs);
      }
    };
    void scrape();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [intervalMs]);
  return { health, error, history: history.current };
}

export function CollectorHealthView(): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const { health, error, history } = useCollectorHealth(session.refreshSeconds * 1000);
  if (error !== undefined && !health) return <ErrorState error={error} />;
  if (!health) return <Loading />;
  const rate = (v: number): string => i18n.number(v, v < 10 ? 1 : 0);
  return (
    <div className="view">
      <PageHeader title={t('health.title')} subtitle={t('health.subtitle', { seconds: session.refreshSeconds })} />
      <div className="tiles">
        <div className="tile">
          <div className="tile-label">{t('health.eventsPerSec')}</div>
          <div className="tile-value">{rate(health.inputs.reduce((n, x) => n + x.receivedPerSec, 0))}</div>
        </div>
        <div className="tile">
          <div className="tile-label">{t('health.evaluatedPerSec')}</div>
          <div className="tile-value">{rate(health.eventsEvaluatedPerSec)}</div>
        </div>
        <div className="tile">
          <div className="tile-label">{t('health.alertsPerMin')}</div>
          <div className="tile-value">{rate(health.alertsPerMin)}</div>
        </div>
        <div className={`tile${health.inputs.some((x) => x.droppedPerSec > 0) ? ' tile-bad' : ''}`}>
          <div className="tile-label">{t('health.dropsPerSec')}</div>
          <div className="tile-value">{rate(health.inputs.reduce((n, x) => n + x.droppedPerSec, 0))}</div>
        </div>
        <div className={`tile${(health.ruleLoadErrors ?? 0) > 0 ? ' tile-warn' : ''}`}>
          <div className="tile-label">{t('health.rules')}</div>
          <div className="tile-value">
            {i18n.number(health.rulesEnabled)}
            {(health.ruleLoadErrors ?? 0) > 0 && <span className="tile-sub"> · {t('health.ruleErrors', { n: i18n.number(health.ruleLoadErrors) })}</span>}
          </div>
        </div>
      </div>
      <section className="panel">
        <h2>{t('health.inputs')}</h2>
        <table className="table" data-testid="inputs-table">
          <thead>
            <tr>
              <th>{t('health.input')}</th>
              <th className="num">{t('health.received')}</th>
              <th className="num">{t('health.parsed')}</th>
              <th className="num">{t('health.stored')}</th>
              <th className="num">{t('health.failed')}</th>
              <th className="num">{t('health.dropped')}</th>
              <th className="num">{t('health.receivedTotal')}</th>
              <th>{t('health.dropReasons')}</th>
            </tr>
          </thead>
          <tbody>
            {health.inputs.map((x) => (
              <tr key={x.input} className={x.droppedPerSec > 0 ? 'row-bad' : ''}>
                <td className="mono">{x.input}</td>
                <td className="num">{rate(x.receivedPerSec)}</td>
                <td className="num">{rate(x.parsedPerSec)}</td>
                <td className="num">{rate(x.storedPerSec)}</td>
                <td className="num">
                  {rate(x.failedPerSec)} <span className="muted">({i18n.number(x.failedTotal)})</span>
                </td>
                <td className="num">
                  {rate(x.droppedPerSec)} <span className="muted">({i18n.number(x.droppedTotal)})</span>
                </td>
                <td className="num">{i18n.number(x.receivedTotal)}</td>
                <td className="mono small">
                  {[...x.dropReasons.entries()].map(([r, n]) => `${r}: ${i18n.number(n)}`).join(', ') || '–'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <LineChart
          ariaLabel={t('health.trend')}
          series={[...history.entries()].map(([input, points], i) => ({ name: input, className: `series-${i % 6}`, points }))}
          format={(v) => `${rate(v)}/s`}
        />
      </section>
      <section className="panel">
        <h2>{t('health.queues')}</h2>
        <table className="table">
          <thead>
            <tr>
              <th>{t('health.queue')}</th>
              <th className="num">{t('health.depth')}</th>
            </tr>
          </thead>
          <tbody>
            {health.queues.map((q) => (
              <tr key={q.queue}>
                <td className="mono">{q.queue}</td>
                <td className="num">{i18n.number(q.depth)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
