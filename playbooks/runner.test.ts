import { z } from 'zod';
import { defineAction, type Action } from './actions/types';
import { sshAlert, testRunner, type TestRunner } from './testdata/fixtures';

/** Actions that count their calls, fail on demand, or hang, to drive the runner. */
function testActions() {
  const calls: Array<{ action: string; key: string; params: unknown }> = [];
  let flakyFailures = 0;
  let hang = true;
  const record = defineAction({
    name: 'test.record',
    description: 'records its params and returns them',
    params: z.record(z.string(), z.unknown()),
    async run(ctx, p) {
      calls.push({ action: 'test.record', key: ctx.idempotencyKey, params: p });
      return { output: { echoed: p, n: calls.length } };
    },
    simulate: (_ctx, p) => ({ would_record: p }),
  });
  const flaky = defineAction({
    name: 'test.flaky',
    description: 'fails `failures` times, then succeeds',
    params: z.object({ failures: z.number() }),
    async run(ctx) {
      calls.push({ action: 'test.flaky', key: ctx.idempotencyKey, params: null });
      if (flakyFailures++ < (ctx.alert.count === 99 ? 1000 : 2)) throw new Error(`transient failure ${flakyFailures}`);
      return { output: { ok: true } };
    },
    simulate: () => ({}),
  });
  const hangs = defineAction({
    name: 'test.hang',
    description: 'never finishes while `hang` is set',
    params: z.object({}).loose(),
    async run(ctx) {
      calls.push({ action: 'test.hang', key: ctx.idempotencyKey, params: null });
      if (hang) return new Promise(() => undefined);
      return { output: { finished: true } };
    },
    simulate: () => ({}),
  });
  return {
    calls,
    actions: [record, flaky, hangs] as Action[],
    stopHanging: () => {
      hang = false;
    },
  };
}

const PLAYBOOK = `
id: ssh-test
name: SSH test playbook
trigger:
  rules: ["8daebfd1-*"]
  min_severity: medium
steps:
  - id: first
    action: test.record
    with:
      rule: "{{ alert.rule.name }}"
      ips: "{{ entities.source_ips }}"
  - id: per-user
    foreach: "{{ entities.users + entities.hosts }}"
    action: test.record
    with:
      who: "{{ item }}"
      index: "{{ index }}"
      prev: "{{ steps.first.output.n }}"
  - id: skipped
    if: alert.severity == "critical"
    action: test.record
    with: { never: true }
  - id: last
    action: test.record
    with:
      summary: "{{ steps['per-user'].output | pluck('echoed') | pluck('who') | join('+') }}; skipped={{ steps.skipped.status }}"
`;

describe('playbook runner', () => {
  let t: TestRunner | undefined;
  afterEach(() => {
    t?.cleanup();
    t = undefined;
  });

  test('an alert triggers a run once; steps see earlier outputs, loop over entities and skip on a false condition; every step is audited', async () => {
    const a = testActions();
    t = testRunner(PLAYBOOK, a.actions);
    const alert = sshAlert();
    expect(t.runner.onAlert(alert, 'created')).toBe(1);
    expect(t.runner.onAlert({ ...alert, count: 7 }, 'created')).toBe(0); // same alert + playbook: never twice
    expect(t.runner.onAlert({ ...alert, id: 'other', severity: 'low' }, 'created')).toBe(0); // below min_severity
    expect(t.runner.onAlert({ ...alert, id: 'other2', rule: { ...alert.rule, id: 'x' } }, 'created')).toBe(0); // other rule
    await t.runner.whenIdle();

    const { runs } = t.runner.store.search({ limit: 10, offset: 0 });
    expect(runs).toHaveLength(1);
    expect(runs[0].status).toBe('succeeded');
    const steps = t.runner.store.steps(runs[0].id);
    expect(steps.map((s) => [s.key.slice(runs[0].id.length + 1), s.status])).toEqual([
      ['first', 'succeeded'],
      ['per-user:0', 'succeeded'],
      ['per-user:1', 'succeeded'],
      ['skipped', 'skipped'],
      ['last', 'succeeded'],
    ]);
    expect(a.calls.map((c) => c.params)).toEqual([
      { rule: 'SSH Login After Repeated Failures From the Same Address', ips: ['198.51.100.30'] },
      { who: 'root', index: 0, prev: 1 },
      { who: 'web01', index: 1, prev: 1 },
      { summary: 'root+web01; skipped=skipped' },
    ]);
    // Rendered input and output are stored per step.
    expect(steps[1].params).toEqual({ who: 'root', index: 0, prev: 1 });
    expect(steps[1].output).toEqual({ echoed: { who: 'root', index: 0, prev: 1 }, n: 2 });
    const actions = t.audit.records.map((r) => `${r.action}:${r.result}`);
    expect(actions.filter((x) => x === 'playbook.step.start:pending')).toHaveLength(4);
    expect(actions.filter((x) => x === 'playbook.step.finish:success')).toHaveLength(4);
    expect(actions).toContain('playbook.step.skip:skipped');
    expect(t.audit.records[0]).toMatchObject({ actor: 'playbook:ssh-test', object: `playbook_run:${runs[0].id}`, organization: 'hanoi-doh' });
  });

  test('a step that fails then succeeds on retry records its attempts', async () => {
    const a = testActions();
    t = testRunner(
      `id: retry
name: retry
trigger: { rules: ["*"] }
steps:
  - id: flaky
    action: test.flaky
    with: { failures: 2 }
    retries: { max: 3, backoff: { initial: 10ms, multiplier: 2, max: 50ms } }
`,
      a.actions,
    );
    t.runner.onAlert(sshAlert());
    await t.runner.whenIdle();
    const run = t.runner.store.search({ limit: 1, offset: 0 }).runs[0];
    expect(run.status).toBe('succeeded');
    const [step] = t.runner.store.steps(run.id);
    expect(step.attempts).toBe(3);
    expect(step.status).toBe('succeeded');
    expect(a.calls.filter((c) => c.action === 'test.flaky')).toHaveLength(3);
  });

  test('retries exhausted: on_error continue carries on, on_error fail ends the run; a timeout is an error', async () => {
    const a = testActions();
    t = testRunner(
      `id: give-up
name: give up
trigger: { rules: ["*"] }
steps:
  - id: flaky
    action: test.flaky
    with: { failures: 1000 }
    retries: { max: 1 }
    on_error: continue
  - id: after
    action: test.record
    with: { flaky_status: "{{ steps.flaky.status }}", error: "{{ steps.flaky.error }}" }
  - id: stuck
    action: test.hang
    timeout: 100ms
  - id: never
    action: test.record
    with: { x: 1 }
`,
      a.actions,
    );
    t.runner.onAlert(sshAlert({ count: 99 }));
    await t.runner.whenIdle();
    const run = t.runner.store.search({ limit: 1, offset: 0 }).runs[0];
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/step stuck \(test.hang\) attempt 1: step stuck timed out after 100 ms/);
    const steps = t.runner.store.steps(run.id);
    expect(steps.map((s) => s.status)).toEqual(['failed', 'succeeded', 'failed']);
    expect(steps[0].attempts).toBe(2);
    expect(a.calls.find((c) => c.action === 'test.record')?.params).toEqual({ flaky_status: 'failed', error: expect.stringContaining('transient failure 2') });
  });

  test('idempotency across a restart: a step that succeeded is not repeated, the interrupted one is re-run', async () => {
    const a = testActions();
    const yaml = `id: restart
name: restart
trigger: { rules: ["*"] }
steps:
  - id: notify
    action: test.record
    with: { n: 1 }
  - id: slow
    action: test.hang
    timeout: 1h
  - id: done
    action: test.record
    with: { after: "{{ steps.notify.output.n }}" }
`;
    t = testRunner(yaml, a.actions);
    t.runner.onAlert(sshAlert());
    // Wait until the run is inside the hanging step, then "crash": abandon this runner without stopping it.
    for (let i = 0; i < 100 && !a.calls.some((c) => c.action === 'test.hang'); i++) await new Promise((r) => setTimeout(r, 10));
    const runId = t.runner.store.search({ limit: 1, offset: 0 }).runs[0].id;
    expect(t.runner.store.getRun(runId)?.status).toBe('running');

    a.stopHanging();
    const second = testRunner(yaml, a.actions, { dir: t.dir });
    second.runner.start();
    await second.runner.whenIdle();
    const run = second.runner.store.getRun(runId);
    expect(run?.status).toBe('succeeded');
    expect(a.calls.map((c) => `${c.action}@${c.key.slice(runId.length + 1)}`)).toEqual(['test.record@notify', 'test.hang@slow', 'test.hang@slow', 'test.record@done']);
    const steps = second.runner.store.steps(runId);
    expect(steps.find((s) => s.step_id === 'slow')?.attempts).toBe(2);
    expect(steps.find((s) => s.step_id === 'done')?.params).toEqual({ after: 1 });
    // The same alert after the restart still does not start a second run.
    expect(second.runner.onAlert(sshAlert())).toBe(0);
    second.db.close();
  });

  test('resumeInterrupted: false marks interrupted runs instead', async () => {
    const a = testActions();
    const yaml = `id: hang
name: hang
trigger: { rules: ["*"] }
steps:
  - id: slow
    action: test.hang
    timeout: 1h
`;
    t = testRunner(yaml, a.actions);
    t.runner.onAlert(sshAlert());
    for (let i = 0; i < 100 && a.calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const second = testRunner(yaml, a.actions, { dir: t.dir, config: { resumeInterrupted: false } });
    second.runner.start();
    const run = second.runner.store.search({ limit: 1, offset: 0 }).runs[0];
    expect(run.status).toBe('interrupted');
    expect(run.error).toMatch(/restarted/);
    second.db.close();
  });

  test('a wait survives a restart and the run continues after it', async () => {
    const a = testActions();
    const yaml = `id: waits
name: waits
trigger: { rules: ["*"] }
steps:
  - id: pause
    action: wait
    with: { duration: 300ms }
  - id: after
    action: test.record
    with: { waited: "{{ steps.pause.output.waited_ms >= 300 }}" }
`;
    t = testRunner(yaml, a.actions);
    t.runner.onAlert(sshAlert());
    await t.runner.whenIdle();
    const runId = t.runner.store.search({ limit: 1, offset: 0 }).runs[0].id;
    expect(t.runner.store.getRun(runId)?.status).toBe('waiting');
    expect(t.runner.store.steps(runId)[0].wake_at).not.toBeNull();
    await t.runner.stop();

    const second = testRunner(yaml, a.actions, { dir: t.dir });
    second.runner.start();
    for (let i = 0; i < 200 && second.runner.store.getRun(runId)?.status !== 'succeeded'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(second.runner.store.getRun(runId)?.status).toBe('succeeded');
    expect(a.calls).toEqual([expect.objectContaining({ params: { waited: true } })]);
    second.db.close();
  });

  test('a dry run simulates side effects and persists the result; manual runs may repeat', async () => {
    const a = testActions();
    t = testRunner(PLAYBOOK, a.actions);
    const first = await t.runner.runManually('ssh-test', sshAlert(), { dryRun: true, requestedBy: 'analyst.hn' });
    const second = await t.runner.runManually('ssh-test', sshAlert(), { dryRun: true, requestedBy: 'analyst.hn' });
    expect(first.id).not.toBe(second.id);
    expect(first.status).toBe('succeeded');
    expect(first.dry_run).toBe(true);
    expect(a.calls).toHaveLength(0);
    const steps = t.runner.store.steps(first.id);
    expect(steps[0]).toMatchObject({ status: 'simulated', output: { would_record: { rule: 'SSH Login After Repeated Failures From the Same Address', ips: ['198.51.100.30'] }, simulated: true } });
    // An automatic run for the same alert is still possible after manual ones.
    expect(t.runner.onAlert(sshAlert())).toBe(1);
    await t.runner.whenIdle();
    // A real manual run is queued, then executes the actions.
    const real = await t.runner.runManually('ssh-test', sshAlert(), { dryRun: false, requestedBy: 'analyst.hn' });
    expect(real).toMatchObject({ status: 'queued', trigger: 'manual', requested_by: 'analyst.hn' });
    await t.runner.whenIdle();
    expect(t.runner.store.getRun(real.id)?.status).toBe('succeeded');
    await expect(t.runner.runManually('nope', sshAlert(), { dryRun: true, requestedBy: 'x' })).rejects.toThrow('playbook "nope" does not exist');
  });

  test('a bad parameter fails the step naming the step and the parameter', async () => {
    t = testRunner(`id: bad
name: bad
trigger: { rules: ["*"] }
steps:
  - id: mail
    action: notify.email
    with: { subject: "{{ alert.missing }}", body: "x" }
`);
    t.runner.onAlert(sshAlert());
    await t.runner.whenIdle();
    const run = t.runner.store.search({ limit: 1, offset: 0 }).runs[0];
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^step mail \(notify.email\): parameter subject: /);
  });

  test('the queue is bounded: triggers beyond it are dropped', async () => {
    const a = testActions();
    t = testRunner(`id: q
name: q
trigger: { rules: ["*"] }
steps:
  - id: slow
    action: test.hang
    timeout: 1h
`, a.actions, { config: { concurrency: 1, queueSize: 2 } });
    let started = 0;
    for (let i = 0; i < 10; i++) started += t.runner.onAlert(sshAlert({ id: `alert-${i}` }));
    // One executing, two queued.
    expect(started).toBe(3);
  });
});
