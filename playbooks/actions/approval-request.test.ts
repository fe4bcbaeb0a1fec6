import { z } from 'zod';
import { RunRequestError } from '../runner';
import { sshAlert, testRunner, type TestRunner } from '../testdata/fixtures';
import { defineAction, type Action } from './types';

const after: unknown[] = [];
const recordAfter = defineAction({
  name: 'test.after',
  description: 'records that the run went past the approval',
  params: z.object({ approvers: z.unknown() }),
  async run(_ctx, p) {
    after.push(p.approvers);
    return { output: {} };
  },
  simulate: () => ({}),
}) as Action;

function playbook(approval: string): string {
  return `id: approve
name: approval test
trigger: { rules: ["*"] }
steps:
  - id: ask
    action: approval.request
    with:
${approval
  .trim()
  .split('\n')
  .map((l) => `      ${l}`)
  .join('\n')}
  - id: act
    action: test.after
    with: { approvers: "{{ steps.ask.output.approvers }}" }
`;
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('approval.request', () => {
  let t: TestRunner | undefined;
  beforeEach(() => {
    after.length = 0;
  });
  afterEach(async () => {
    await t?.runner.stop();
    t?.cleanup();
    t = undefined;
  });

  async function startRun(yaml: string): Promise<string> {
    t = testRunner(playbook(yaml), [recordAfter]);
    t.runner.start();
    t.runner.onAlert(sshAlert());
    await t.runner.whenIdle();
    const run = t.runner.store.search({ limit: 1, offset: 0 }).runs[0];
    expect(run.status).toBe('waiting_approval');
    return run.id;
  }

  test('granted by a quorum of two approvers holding the role; others are refused and nobody votes twice', async () => {
    const id = await startRun(`
approvers: { roles: [soc_analyst], users: [duty.officer] }
quorum: 2
timeout: 1h
notify: [soc@so-yte.hanoi.gov.vn]
message: Block the source?`);
    const runner = (t as TestRunner).runner;
    expect((t as TestRunner).email.sent[0]).toMatchObject({ to: ['soc@so-yte.hanoi.gov.vn'], subject: '[socnoc] approval needed: SSH Login After Repeated Failures From the Same Address' });
    expect((t as TestRunner).email.sent[0].text).toContain(`/api/v1/playbooks/runs/${id}/approvals`);

    await expect(runner.decide(id, { user: 'noc.hn', role: 'noc_operator', decision: 'approve', comment: '' })).rejects.toMatchObject({ status: 403 });
    const run = await runner.decide(id, { user: 'analyst.hn', role: 'soc_analyst', decision: 'approve', comment: 'confirmed in auth.log' });
    expect(run.status).toBe('waiting_approval');
    await expect(runner.decide(id, { user: 'analyst.hn', role: 'soc_analyst', decision: 'approve', comment: '' })).rejects.toBeInstanceOf(RunRequestError);
    // Named users may approve whatever their role.
    await runner.decide(id, { user: 'duty.officer', role: 'auditor', decision: 'approve', comment: '' });
    await runner.whenIdle();
    expect(runner.store.getRun(id)?.status).toBe('succeeded');
    expect(after).toEqual([['analyst.hn', 'duty.officer']]);
    const ask = runner.store.steps(id)[0];
    expect(ask.output).toMatchObject({ approved: true, approvers: ['analyst.hn', 'duty.officer'], escalated: false });
    expect((t as TestRunner).audit.records.filter((r) => r.action === 'playbook.approval.decision').map((r) => r.actor)).toEqual(['user:analyst.hn', 'user:duty.officer']);
  });

  test('one denial ends the run as denied and the next step never runs', async () => {
    const id = await startRun(`
approvers: { roles: [soc_analyst] }
quorum: 2`);
    const runner = (t as TestRunner).runner;
    await runner.decide(id, { user: 'analyst.hn', role: 'soc_analyst', decision: 'approve', comment: '' });
    const run = await runner.decide(id, { user: 'analyst.dn', role: 'soc_analyst', decision: 'deny', comment: 'known pentest' });
    expect(run.status).toBe('denied');
    expect(run.error).toMatch(/denied by analyst.dn: known pentest/);
    expect(after).toEqual([]);
    await expect(runner.decide(id, { user: 'analyst.x', role: 'soc_analyst', decision: 'approve', comment: '' })).rejects.toMatchObject({ status: 409 });
  });

  test('timeout without escalation denies', async () => {
    const id = await startRun(`
approvers: { roles: [soc_analyst] }
timeout: 200ms`);
    const runner = (t as TestRunner).runner;
    await until(() => runner.store.getRun(id)?.status === 'denied');
    expect(runner.store.getRun(id)?.error).toMatch(/approval timed out with 0 of 1 approvals/);
    expect(after).toEqual([]);
  });

  test('timeout escalates: further approvers may decide and are emailed; a second timeout denies', async () => {
    const id = await startRun(`
approvers: { roles: [soc_analyst] }
timeout: 200ms
on_timeout: escalate
escalate: { roles: [agency_admin], users: [ciso], emails: [ciso@so-yte.hanoi.gov.vn], timeout: 300ms }`);
    const tr = t as TestRunner;
    await until(() => tr.runner.store.steps(id)[0].state !== null && (tr.runner.store.steps(id)[0].state as { escalated: boolean }).escalated);
    expect(tr.runner.store.getRun(id)?.status).toBe('waiting_approval');
    expect(tr.email.sent.map((m) => [m.to, m.subject])).toEqual([[['ciso@so-yte.hanoi.gov.vn'], '[socnoc] ESCALATED approval needed: SSH Login After Repeated Failures From the Same Address']]);
    await until(() => tr.runner.store.getRun(id)?.status === 'denied');
    expect(tr.runner.store.getRun(id)?.error).toMatch(/timed out after escalation/);
  });

  test('after escalation, an escalation approver can approve', async () => {
    const id = await startRun(`
approvers: { roles: [soc_analyst] }
timeout: 150ms
on_timeout: escalate
escalate: { roles: [agency_admin], timeout: 1h }`);
    const tr = t as TestRunner;
    await expect(tr.runner.decide(id, { user: 'admin.hn', role: 'agency_admin', decision: 'approve', comment: '' })).rejects.toMatchObject({ status: 403 });
    await until(() => (tr.runner.store.steps(id)[0].state as { escalated?: boolean }).escalated === true);
    await tr.runner.decide(id, { user: 'admin.hn', role: 'agency_admin', decision: 'approve', comment: '' });
    await tr.runner.whenIdle();
    expect(tr.runner.store.getRun(id)?.status).toBe('succeeded');
    expect(tr.runner.store.steps(id)[0].output).toMatchObject({ approved: true, escalated: true });
  });
});
