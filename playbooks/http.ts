/**
 * The playbooks API: playbooks and their load errors, runs with every step, manual and simulated
 * runs against an existing alert, and approval decisions. Runs are scoped by the alert's agency.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { canSeeAgency, organizationsOf } from '../core/auth/principal';
import { grantPermission } from '../core/auth/roles';
import type { HttpModule } from '../core/http/deps';
import { HttpError } from '../core/http/errors';
import type { OpenApiRegistry } from '../core/http/openapi';
import { defineRoute } from '../core/http/route';
import type { CompiledPlaybook } from './definition';
import type { AlertSource } from './ports';
import { RunRequestError, type PlaybookRunner } from './runner';
import { RUN_STATUSES, type RunRecord, type StepRecord } from './store';

/** Deciding on approval requests; the request itself still names which roles or users may decide. */
grantPermission('playbooks:approve', ['soc_analyst', 'noc_operator', 'agency_admin']);

export interface PlaybooksHttpDeps {
  runner: PlaybookRunner;
  /** Alerts for manual runs; without it, manual runs answer 503. */
  alerts?: AlertSource;
}

const ID = z.string().min(1).max(100);

const playbookSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  triggers: z.boolean().describe('runs automatically on matching alerts (enabled, has a trigger, not disabled in the config)'),
  trigger: z.record(z.string(), z.unknown()).nullable(),
  steps: z.array(z.object({ id: z.string(), action: z.string(), if: z.string().nullable(), foreach: z.unknown().nullable(), on_error: z.string() })),
  file: z.string(),
  line: z.number().int(),
  source: z.string().describe('builtin, or the configured folder'),
});

const loadErrorSchema = z.object({ file: z.string(), line: z.number().int(), reason: z.string(), playbook: z.string().nullable() });

const runSchema = z.object({
  id: z.string(),
  playbook_id: z.string(),
  alert_id: z.string(),
  organization: z.object({ id: z.string() }),
  trigger: z.enum(['created', 'updated', 'manual']),
  dry_run: z.boolean(),
  requested_by: z.string().nullable(),
  status: z.enum(RUN_STATUSES),
  error: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  updated_at: z.string(),
});

const stepSchema = z.object({
  key: z.string().describe('idempotency key: run id, step id and loop index'),
  step_id: z.string(),
  iteration: z.number().int().nullable(),
  action: z.string(),
  status: z.string(),
  input: z.unknown().describe('rendered parameters'),
  output: z.unknown(),
  error: z.string().nullable(),
  attempts: z.number().int(),
  state: z.unknown().describe('waiting steps: approvals received, escalation'),
  wake_at: z.string().nullable(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
});

function summary(p: CompiledPlaybook, runner: PlaybookRunner): z.infer<typeof playbookSummarySchema> {
  return {
    id: p.def.id,
    name: p.def.name,
    description: p.def.description,
    enabled: p.def.enabled,
    triggers: runner.triggersOn(p.def.id),
    trigger: (p.def.trigger as Record<string, unknown> | undefined) ?? null,
    steps: p.def.steps.map((s) => ({ id: s.id, action: s.action, if: s.if ?? null, foreach: s.foreach ?? null, on_error: s.on_error })),
    file: p.file,
    line: p.line,
    source: p.source,
  };
}

function runJson(r: RunRecord): z.infer<typeof runSchema> {
  return {
    id: r.id,
    playbook_id: r.playbook_id,
    alert_id: r.alert_id,
    organization: { id: r.organization },
    trigger: r.trigger,
    dry_run: r.dry_run,
    requested_by: r.requested_by,
    status: r.status,
    error: r.error,
    created_at: r.created_at,
    started_at: r.started_at,
    finished_at: r.finished_at,
    updated_at: r.updated_at,
  };
}

function stepJson(s: StepRecord): z.infer<typeof stepSchema> {
  return {
    key: s.key,
    step_id: s.step_id,
    iteration: s.iteration,
    action: s.action,
    status: s.status,
    input: s.params,
    output: s.output,
    error: s.error,
    attempts: s.attempts,
    state: s.state,
    wake_at: s.wake_at,
    started_at: s.started_at,
    finished_at: s.finished_at,
  };
}

function requestErrors<T>(work: () => Promise<T>): Promise<T> {
  return work().catch((err: unknown) => {
    if (err instanceof RunRequestError) {
      const code = err.status === 404 ? 'not_found' : err.status === 403 ? 'forbidden' : err.status === 409 ? 'conflict' : err.status === 503 ? 'unavailable' : 'bad_request';
      throw new HttpError(err.status, code, err.message);
    }
    throw err;
  });
}

export function playbooksHttpModule(deps: PlaybooksHttpDeps): HttpModule {
  return {
    name: 'playbooks',
    register(router: Router, api: OpenApiRegistry): void {
      // Run routes first: /playbooks/runs must not be taken for a playbook id.
      registerRunRoutes(router, api, deps);
      registerPlaybookRoutes(router, api, deps);
    },
  };
}

function registerPlaybookRoutes(router: Router, api: OpenApiRegistry, deps: PlaybooksHttpDeps): void {
  const { runner } = deps;
  defineRoute(router, api, {
    method: 'get',
    path: '/playbooks',
    summary: 'Loaded playbooks and the files or documents that failed to load',
    tags: ['playbooks'],
    permission: 'playbooks:read',
    responses: {
      200: {
        description: 'playbooks in load order, with load errors',
        schema: z.object({ total: z.number().int(), loaded_at: z.string().nullable(), playbooks: z.array(playbookSummarySchema), errors: z.array(loadErrorSchema) }),
      },
    },
    handler: () => {
      const playbooks = runner.playbooks().map((p) => summary(p, runner));
      const at = runner.loadedAtMs();
      return {
        total: playbooks.length,
        loaded_at: at > 0 ? new Date(at).toISOString() : null,
        playbooks,
        errors: runner.loadErrors().map((e) => ({ file: e.file, line: e.line, reason: e.reason, playbook: e.playbook ?? null })),
      };
    },
  });

  defineRoute(router, api, {
    method: 'get',
    path: '/playbooks/:id',
    summary: 'One playbook, with its full definition',
    tags: ['playbooks'],
    permission: 'playbooks:read',
    params: z.object({ id: ID }),
    responses: { 200: { description: 'the playbook', schema: playbookSummarySchema.extend({ definition: z.record(z.string(), z.unknown()) }) }, 404: { description: 'no such playbook' } },
    handler: ({ params }) => {
      const p = runner.playbook(params.id);
      if (!p) throw new HttpError(404, 'not_found', `playbook "${params.id}" does not exist`);
      return { ...summary(p, runner), definition: p.def as unknown as Record<string, unknown> };
    },
  });

  defineRoute(router, api, {
    method: 'post',
    path: '/playbooks/:id/run',
    summary: 'Run a playbook against an existing alert, or simulate it (dry run)',
    description:
      'A dry run renders every step and reports what it would do (enrichment lookups run; nothing is sent, blocked or changed) and answers when it is done, with the steps. A real run is queued and answered at once (202); follow it at /playbooks/runs/{id}.',
    tags: ['playbooks'],
    permission: 'playbooks:run',
    params: z.object({ id: ID }),
    body: z.object({ alert_id: ID, dry_run: z.boolean().default(false) }).strict(),
    status: 202,
    responses: {
      202: { description: 'the run (finished for a dry run, queued otherwise)', schema: runSchema.extend({ steps: z.array(stepSchema) }) },
      404: { description: 'no such playbook, or no such alert in your agencies' },
      503: { description: 'the run queue is full' },
    },
    handler: ({ params, body, principal, res }) =>
      requestErrors(async () => {
        if (!deps.alerts) throw new RunRequestError('alerts are not available in this deployment', 503);
        const alert = deps.alerts.get(body.alert_id, organizationsOf(principal));
        if (!alert) throw new RunRequestError(`alert "${body.alert_id}" does not exist`, 404);
        const run = await runner.runManually(params.id, alert, { dryRun: body.dry_run, requestedBy: principal.user.username });
        res.status(202);
        return { ...runJson(run), steps: runner.store.steps(run.id).map(stepJson) };
      }),
  });
}

function registerRunRoutes(router: Router, api: OpenApiRegistry, deps: PlaybooksHttpDeps): void {
  const { runner } = deps;
  defineRoute(router, api, {
    method: 'get',
    path: '/playbooks/runs',
    summary: 'Playbook runs, newest first',
    tags: ['playbooks'],
    permission: 'playbooks:read',
    query: z.object({
      playbook: ID.optional(),
      alert_id: ID.optional(),
      status: z.enum(RUN_STATUSES).optional(),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      offset: z.coerce.number().int().min(0).default(0),
    }),
    responses: { 200: { description: 'a page of runs', schema: z.object({ total: z.number().int(), runs: z.array(runSchema) }) } },
    handler: ({ query, principal }) => {
      const page = runner.store.search({
        organizations: organizationsOf(principal),
        playbookId: query.playbook,
        alertId: query.alert_id,
        statuses: query.status ? [query.status] : undefined,
        limit: query.limit,
        offset: query.offset,
      });
      return { total: page.total, runs: page.runs.map(runJson) };
    },
  });

  defineRoute(router, api, {
    method: 'get',
    path: '/playbooks/runs/:id',
    summary: 'One run with every step: rendered input, output, error, attempts',
    tags: ['playbooks'],
    permission: 'playbooks:read',
    params: z.object({ id: ID }),
    responses: { 200: { description: 'the run', schema: runSchema.extend({ steps: z.array(stepSchema) }) }, 404: { description: 'no such run in your agencies' } },
    handler: ({ params, principal }) => {
      const found = runner.runWithSteps(params.id, organizationsOf(principal));
      if (!found) throw new HttpError(404, 'not_found', `run "${params.id}" does not exist`);
      return { ...runJson(found.run), steps: found.steps.map(stepJson) };
    },
  });

  defineRoute(router, api, {
    method: 'post',
    path: '/playbooks/runs/:id/approvals',
    summary: 'Approve or deny a run waiting for approval',
    description: 'The caller must be one of the approval step\'s approvers (by role or user name; escalation adds more) and see the alert\'s agency.',
    tags: ['playbooks'],
    permission: 'playbooks:approve',
    params: z.object({ id: ID }),
    body: z.object({ decision: z.enum(['approve', 'deny']), comment: z.string().max(2000).default('') }).strict(),
    responses: {
      200: { description: 'the run after the decision', schema: runSchema.extend({ steps: z.array(stepSchema) }) },
      403: { description: 'not an approver of this request' },
      404: { description: 'no such run in your agencies' },
      409: { description: 'the run is not waiting for approval, or the caller already decided' },
    },
    handler: ({ params, body, principal }) =>
      requestErrors(async () => {
        const run = runner.store.getRun(params.id);
        if (!run || !canSeeAgency(principal, run.organization)) throw new RunRequestError(`run "${params.id}" does not exist`, 404);
        const after = await runner.decide(params.id, { user: principal.user.username, role: principal.user.role, decision: body.decision, comment: body.comment });
        return { ...runJson(after), steps: runner.store.steps(after.id).map(stepJson) };
      }),
  });
}

