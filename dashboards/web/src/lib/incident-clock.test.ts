import type { IncidentDue } from '../api/incidents';
import { canSubmit, clockState, nextDue } from './incident-clock';

const NOW = Date.parse('2026-11-27T08:00:00Z');

function due(key: string, status: IncidentDue['status'], dueAt: string | null): IncidentDue {
  return {
    key,
    kind: key.startsWith('report.') ? 'report' : 'sla',
    title: key,
    due_at: dueAt,
    status,
    done_at: null,
    regime: null,
    recipient: key.startsWith('report.') ? 'VNCERT/CC' : null,
    submitted_by: null,
    reference: null,
    basis: null,
  };
}

describe('incident reporting clock', () => {
  it('turns a pending deadline overdue once its time passes, before the server says so', () => {
    expect(clockState(due('report.form03', 'pending', '2026-11-27T08:00:01Z'), NOW)).toBe('running');
    expect(clockState(due('report.form03', 'pending', '2026-11-27T07:59:59Z'), NOW)).toBe('overdue');
    expect(clockState(due('report.form04', 'pending', null), NOW)).toBe('not_started');
    expect(clockState(due('report.form03', 'submitted_late', '2026-11-26T08:00:00Z'), NOW)).toBe('done');
    expect(clockState(due('sla.acknowledge', 'met', '2026-11-26T08:00:00Z'), NOW)).toBe('done');
  });

  it('picks the soonest running or overdue deadline, skipping done and unstarted ones', () => {
    const incident = {
      due: [
        due('sla.acknowledge', 'met', '2026-11-27T06:00:00Z'),
        due('report.nd331-notice', 'pending', '2026-11-28T06:00:00Z'),
        due('report.form03', 'pending', '2026-11-27T07:00:00Z'),
        due('report.form04', 'pending', null),
      ],
    };
    expect(nextDue(incident, NOW)?.key).toBe('report.form03');
    expect(nextDue({ due: [due('report.form03', 'submitted', '2026-11-27T07:00:00Z')] }, NOW)).toBeUndefined();
  });

  it('offers submission only for owed reports', () => {
    expect(canSubmit(due('report.form03', 'overdue', '2026-11-27T07:00:00Z'))).toBe(true);
    expect(canSubmit(due('report.form03', 'submitted', '2026-11-27T07:00:00Z'))).toBe(false);
    expect(canSubmit(due('sla.resolve', 'pending', '2026-11-27T09:00:00Z'))).toBe(false);
  });
});
