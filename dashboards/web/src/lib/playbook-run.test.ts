import type { PlaybookRun, RunStep } from '../api/playbooks';
import { approvalOf, denialOf, mayDecide, stepValueText, waitingApprovalStep } from './playbook-run';

const run: PlaybookRun = {
  id: 'b3f1c2d4-0000-4000-8000-000000000001',
  playbook_id: 'brute-force',
  alert_id: 'a1',
  organization: { id: 'ubnd-q1' },
  trigger: 'created',
  dry_run: false,
  requested_by: null,
  status: 'waiting_approval',
  error: null,
  created_at: '2026-03-02T01:00:00.000Z',
  started_at: '2026-03-02T01:00:00.000Z',
  finished_at: null,
  updated_at: '2026-03-02T01:00:01.000Z',
};

function step(over: Partial<RunStep>): RunStep {
  return { key: `${run.id}:x`, step_id: 'x', iteration: null, action: 'notify.email', status: 'succeeded', input: {}, output: null, error: null, attempts: 1, state: null, wake_at: null, started_at: run.created_at, finished_at: null, ...over };
}

// The state the approval.request action stores while it waits (playbooks/actions/approval-request.ts).
const waiting = step({
  key: `${run.id}:approve-block`,
  step_id: 'approve-block',
  action: 'approval.request',
  status: 'waiting',
  state: { roles: ['soc_analyst'], users: [], quorum: 2, votes: [{ user: 'lan.q1', role: 'soc_analyst', decision: 'approve', comment: 'ok', at: '2026-03-02T01:05:00.000Z' }], escalated: false, requested_at: '2026-03-02T01:00:01.000Z', deadline: '2026-03-02T05:00:01.000Z' },
});

describe('playbook run helpers', () => {
  it('finds the step a waiting run is parked on and reads its approval request', () => {
    const s = waitingApprovalStep(run, [step({ step_id: 'notify-soc' }), step({ step_id: 'geo', action: 'enrich.geoip' }), waiting]);
    expect(s?.step_id).toBe('approve-block');
    expect(approvalOf(s!)).toEqual({ roles: ['soc_analyst'], users: [], quorum: 2, votes: [{ user: 'lan.q1', decision: 'approve', comment: 'ok', at: '2026-03-02T01:05:00.000Z' }], escalated: false, deadline: '2026-03-02T05:00:01.000Z' });
    expect(waitingApprovalStep({ ...run, status: 'succeeded' }, [waiting])).toBeUndefined();
    expect(approvalOf(step({ state: { roles: ['x'] } }))).toBeUndefined();
  });

  it('offers approve and deny only to holders of playbooks:approve who have not voted, on waiting runs', () => {
    const approval = approvalOf(waiting);
    const approver = (username: string): { username: string; can(p: string): boolean } => ({ username, can: (p) => p === 'playbooks:approve' });
    expect(mayDecide(run, approval, approver('binh.q1'))).toBe(true);
    expect(mayDecide(run, approval, approver('lan.q1'))).toBe(false);
    expect(mayDecide(run, approval, { username: 'auditor1', can: () => false })).toBe(false);
    expect(mayDecide({ ...run, status: 'denied' }, approval, approver('binh.q1'))).toBe(false);
  });

  it('shows step values as indented JSON, strings as they are', () => {
    expect(stepValueText({ ip: '203.0.113.9' })).toBe('{\n  "ip": "203.0.113.9"\n}');
    expect(stepValueText('nft add element inet socnoc blocklist { 203.0.113.9 }')).toBe('nft add element inet socnoc blocklist { 203.0.113.9 }');
    expect(stepValueText(null)).toBe('–');
  });
});

describe('denialOf', () => {
  const ended: PlaybookRun = { ...run, status: 'denied', finished_at: '2026-03-02T01:05:00.000Z' };

  it('reads who denied a run and their comment from the error approval.request wrote', () => {
    expect(denialOf({ ...ended, error: 'step approve-block (approval.request): denied by lan.q1: Địa chỉ của nhà cung cấp dịch vụ: không chặn' })).toEqual({
      by: 'user',
      user: 'lan.q1',
      comment: 'Địa chỉ của nhà cung cấp dịch vụ: không chặn',
      at: '2026-03-02T01:05:00.000Z',
    });
    expect(denialOf({ ...ended, error: 'step approve (approval.request): denied by an' })).toEqual({ by: 'user', user: 'an', comment: '', at: '2026-03-02T01:05:00.000Z' });
  });

  it('tells a request that timed out, and nothing for other runs or unknown errors', () => {
    expect(denialOf({ ...ended, error: 'step approve (approval.request): approval timed out after escalation with 0 of 1 approvals' })).toEqual({ by: 'timeout', at: '2026-03-02T01:05:00.000Z' });
    expect(denialOf({ ...ended, error: 'something else' })).toBeUndefined();
    expect(denialOf({ ...ended, status: 'failed', error: 'step a (b): denied by x' })).toBeUndefined();
  });
});
