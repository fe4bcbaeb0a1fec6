/** On an alert: simulate a playbook against it (the steps it would take) or run it for real, and its runs. */
import { useState, type ReactNode } from 'react';
import { playbooksApi, type PlaybookRunDetail } from '../api/playbooks';
import { useI18n } from '../i18n';
import { errorText } from '../lib/error-text';
import { stepValueText } from '../lib/playbook-run';
import { useLoad } from '../lib/use-load';
import { navigate } from '../router';
import { useSession } from '../session';
import { AlertRunsPanel, RunStatusBadge } from './playbook-runs';

export function AlertPlaybooks(props: { alertId: string }): ReactNode {
  const { t } = useI18n();
  const session = useSession();
  const canRun = session.can('playbooks:run');
  const list = useLoad(() => (canRun ? playbooksApi.list() : Promise.resolve(undefined)), [canRun]);
  const [chosen, setChosen] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [simulation, setSimulation] = useState<PlaybookRunDetail | undefined>(undefined);
  if (!session.can('playbooks:read')) return null;
  const playbooks = list.data?.playbooks.filter((p) => p.enabled) ?? [];
  const selected = chosen !== '' ? chosen : (playbooks[0]?.id ?? '');
  const start = async (dryRun: boolean): Promise<void> => {
    if (selected === '') return;
    setBusy(true);
    try {
      const run = await playbooksApi.start(selected, props.alertId, dryRun);
      setMessage(undefined);
      if (dryRun) setSimulation(run);
      else navigate(`/playbooks/runs/${encodeURIComponent(run.id)}`);
    } catch (err) {
      setMessage(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {canRun && playbooks.length > 0 && (
        <section className="panel" data-testid="alert-playbook-actions">
          <h2>{t('playbook.onAlert')}</h2>
          <div className="action-bar">
            {/* Playbook names are written by their authors (YAML), not translated. */}
            <select value={selected} onChange={(e) => setChosen(e.target.value)} aria-label={t('playbook.playbook')} data-field="playbook" data-user-content>
              {playbooks.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
            <button className="btn" type="button" disabled={busy} onClick={() => void start(true)} data-action="simulate-playbook">
              {t('playbook.simulate')}
            </button>
            <button className="btn primary" type="button" disabled={busy} onClick={() => void start(false)} data-action="run-playbook">
              {t('playbook.runNow')}
            </button>
          </div>
          {message !== undefined && <div className="notice">{message}</div>}
          {simulation && (
            <div data-testid="playbook-simulation">
              <p className="muted">
                {t('playbook.simulationOf', { playbook: simulation.playbook_id })} <RunStatusBadge status={simulation.status} />
              </p>
              <ol className="steps-list">
                {simulation.steps.map((s) => (
                  <li key={s.key}>
                    <strong>{s.step_id}</strong> <span className="tag mono">{s.action}</span> <RunStatusBadge status={s.status} />
                    {s.error && <div className="bad-text small" data-user-content>{s.error}</div>}
                    <pre className="json small" data-user-content>{stepValueText(s.output ?? s.input)}</pre>
                  </li>
                ))}
              </ol>
            </div>
          )}
        </section>
      )}
      <AlertRunsPanel alertIds={[props.alertId]} />
    </>
  );
}
