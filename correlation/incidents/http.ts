/**
 * The incidents API under /api/v1/incidents: list, one (with timeline and tasks), manual creation
 * from alerts, updates, comments, adding alerts, tasks, the regulatory reports (deadlines, the
 * generated documents, recording a submission). Every route is limited to the caller's agencies:
 * another agency's incident answers 404, as one that does not exist.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { organizationsOf, type Principal } from '../../core/auth/principal';
import type { HttpModule } from '../../core/http/deps';
import { HttpError } from '../../core/http/errors';
import type { OpenApiRegistry } from '../../core/http/openapi';
import { defineRoute } from '../../core/http/route';
import { ALERT_SEVERITIES } from '../alerts/types';
import { REPORT_LANGUAGES } from './documents/labels';
import { renderHtml, renderText } from './documents/render';
import { REPORT_KINDS } from './regulatory';
import { IncidentError, type IncidentService } from './service';
import { detailSchema, detailsInput, dueSchema, incidentSchema, taskSchema, timelineSchema } from './http-schemas';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES, TASK_STATUSES } from './types';

export const DEFAULT_INCIDENT_LIMIT = 50;
export const MAX_INCIDENT_LIMIT = 500;
const MAX_ALERTS_PER_REQUEST = 500;

export interface IncidentsHttpDeps {
  service: IncidentService;
}

const idParam = z.object({ id: z.string().min(1).max(64) });
const taskParam = z.object({ id: z.string().min(1).max(64), taskId: z.coerce.number().int().min(1) });
const reportParam = z.object({ id: z.string().min(1).max(64), kind: z.string().min(1).max(40).describe(`one of ${REPORT_KINDS.join(', ')}`) });

const isoTime = z.iso.datetime({ offset: true });

const alertIdsInput = z.array(z.string().min(1).max(100)).max(MAX_ALERTS_PER_REQUEST);

function statusList(input: string | string[] | undefined): Array<(typeof INCIDENT_STATUSES)[number]> | undefined {
  if (input === undefined) return undefined;
  const items = (Array.isArray(input) ? input : [input]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  for (const item of items) {
    if (!(INCIDENT_STATUSES as readonly string[]).includes(item)) {
      throw new HttpError(400, 'invalid_parameter', `parameter "status": unknown status "${item.slice(0, 40)}"; expected ${INCIDENT_STATUSES.join(', ')}`, { parameter: 'status' });
    }
  }
  return items.length > 0 ? (items as Array<(typeof INCIDENT_STATUSES)[number]>) : undefined;
}

/** Maps the service's refusals to HTTP answers. */
function run<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof IncidentError) {
      const status = err.code === 'not_found' ? 404 : err.code === 'conflict' ? 409 : 400;
      throw new HttpError(status, err.code === 'invalid' ? 'bad_request' : err.code, err.message);
    }
    throw err;
  }
}

export function actorOf(principal: Principal): string {
  return principal.user.username;
}

const timeOrUndefined = (s: string | undefined): number | undefined => (s === undefined ? undefined : Date.parse(s));

export function incidentsHttpModule(deps: IncidentsHttpDeps): HttpModule {
  return {
    name: 'incidents',
    register(router: Router, api: OpenApiRegistry): void {
      registerIncidentRoutes(router, api, deps.service);
      registerTaskRoutes(router, api, deps.service);
      registerReportRoutes(router, api, deps.service);
    },
  };
}

function registerIncidentRoutes(router: Router, api: OpenApiRegistry, service: IncidentService): void {
  defineRoute(router, api, {
    method: 'get',
    path: '/incidents',
    summary: 'List incidents, newest first',
    description: "Limited to the caller's agencies. `q` matches an incident id, a title substring, or an entity value (an address, host or user name) exactly. Each incident carries its deadlines (`due`): SLA and regulatory reports.",
    tags: ['incidents'],
    permission: 'incidents:read',
    query: z.object({
      status: z.union([z.string(), z.array(z.string())]).optional().describe(`one or more of ${INCIDENT_STATUSES.join(', ')}, comma-separated`),
      severity: z.enum(ALERT_SEVERITIES).optional(),
      assignee: z.string().max(100).optional(),
      q: z.string().max(300).optional(),
      limit: z.coerce.number().int().min(1).max(MAX_INCIDENT_LIMIT).default(DEFAULT_INCIDENT_LIMIT),
      offset: z.coerce.number().int().min(0).default(0),
    }),
    responses: { 200: { description: 'a page of incidents', schema: z.object({ total: z.number().int(), incidents: z.array(incidentSchema) }) } },
    handler: ({ principal, query }) =>
      service.list({
        organizations: organizationsOf(principal),
        statuses: statusList(query.status),
        severities: query.severity !== undefined ? [query.severity] : undefined,
        assignee: query.assignee,
        q: query.q,
        limit: query.limit,
        offset: query.offset,
      }),
  });

  defineRoute(router, api, {
    method: 'get',
    path: '/incidents/:id',
    summary: 'One incident with its timeline, tasks and deadlines',
    tags: ['incidents'],
    permission: 'incidents:read',
    params: idParam,
    responses: { 200: { description: 'the incident', schema: detailSchema }, 404: { description: 'no such incident in your agencies' } },
    handler: ({ principal, params }) => run(() => service.detail(params.id, organizationsOf(principal))),
  });

  defineRoute(router, api, {
    method: 'post',
    path: '/incidents',
    summary: 'Open an incident by hand, from alerts',
    description: "The alerts must be visible to the caller, of one agency, and in no other incident. Without alerts, `organization` and `title` are required.",
    tags: ['incidents'],
    permission: 'incidents:manage',
    status: 201,
    body: z
      .object({
        alert_ids: alertIdsInput.default([]),
        organization: z.string().min(1).max(100).optional().describe('agency id (organization.id); default the alerts\''),
        title: z.string().min(1).max(300).optional(),
        severity: z.enum(ALERT_SEVERITIES).optional().describe('override; default the highest alert severity'),
        category: z.enum(INCIDENT_CATEGORIES).optional(),
        serious: z.boolean().optional(),
        assignee: z.string().min(1).max(100).nullable().optional(),
        detected_at: isoTime.optional(),
        details: detailsInput.optional(),
      })
      .strict(),
    responses: { 201: { description: 'the new incident', schema: detailSchema }, 404: { description: 'an alert or agency not visible to you' }, 409: { description: 'an alert already belongs to an incident' } },
    handler: ({ principal, body }) =>
      run(() => {
        const orgs = organizationsOf(principal);
        const incident = service.createIncident(
          {
            alertIds: body.alert_ids,
            organization: body.organization !== undefined ? { id: body.organization } : undefined,
            title: body.title,
            severity: body.severity,
            category: body.category,
            serious: body.serious,
            assignee: body.assignee,
            detectedAt: timeOrUndefined(body.detected_at),
            details: body.details,
          },
          actorOf(principal),
          orgs,
        );
        return service.detail(incident.id, orgs);
      }),
  });

  defineRoute(router, api, {
    method: 'patch',
    path: '/incidents/:id',
    summary: 'Change an incident: status, severity, assignee, category, seriousness, report fields',
    description: `Status moves: ${Object.entries({ open: 'investigating, contained, resolved, closed', investigating: 'contained, resolved, closed', contained: 'investigating, resolved, closed', resolved: 'investigating, closed', closed: 'none' })
      .map(([k, v]) => `${k} → ${v}`)
      .join('; ')}. \`severity: null\` returns to the alerts' highest severity. Each change is written to the timeline.`,
    tags: ['incidents'],
    permission: 'incidents:manage',
    params: idParam,
    body: z
      .object({
        title: z.string().min(1).max(300),
        status: z.enum(INCIDENT_STATUSES),
        severity: z.enum(ALERT_SEVERITIES).nullable(),
        assignee: z.string().min(1).max(100).nullable(),
        category: z.enum(INCIDENT_CATEGORIES),
        serious: z.boolean(),
        detected_at: isoTime,
        details: detailsInput,
      })
      .partial()
      .strict(),
    responses: { 200: { description: 'the incident after the change', schema: detailSchema }, 409: { description: 'status move not allowed' } },
    handler: ({ principal, params, body }) =>
      run(() => {
        const orgs = organizationsOf(principal);
        service.updateIncident(
          params.id,
          {
            title: body.title,
            status: body.status,
            severity: body.severity,
            assignee: body.assignee,
            category: body.category,
            serious: body.serious,
            detectedAt: timeOrUndefined(body.detected_at),
            details: body.details,
          },
          actorOf(principal),
          orgs,
        );
        return service.detail(params.id, orgs);
      }),
  });

  defineRoute(router, api, {
    method: 'post',
    path: '/incidents/:id/comments',
    summary: 'Comment on an incident (timeline entry)',
    tags: ['incidents'],
    permission: 'incidents:manage',
    params: idParam,
    status: 201,
    body: z.object({ text: z.string().trim().min(1).max(20_000) }).strict(),
    responses: { 201: { description: 'the timeline after the comment', schema: z.object({ timeline: z.array(timelineSchema) }) } },
    handler: ({ principal, params, body }) =>
      run(() => {
        const orgs = organizationsOf(principal);
        service.addComment(params.id, body.text, actorOf(principal), orgs);
        return { timeline: service.detail(params.id, orgs).timeline };
      }),
  });

  defineRoute(router, api, {
    method: 'post',
    path: '/incidents/:id/alerts',
    summary: 'Add alerts to an incident',
    tags: ['incidents'],
    permission: 'incidents:manage',
    params: idParam,
    body: z.object({ alert_ids: alertIdsInput.min(1) }).strict(),
    responses: { 200: { description: 'the incident', schema: detailSchema }, 409: { description: 'an alert already belongs to an incident, or the incident is closed' } },
    handler: ({ principal, params, body }) =>
      run(() => {
        const orgs = organizationsOf(principal);
        service.addAlerts(params.id, body.alert_ids, actorOf(principal), orgs);
        return service.detail(params.id, orgs);
      }),
  });
}

function registerTaskRoutes(router: Router, api: OpenApiRegistry, service: IncidentService): void {
  const taskBody = z
    .object({
      title: z.string().trim().min(1).max(300),
      assignee: z.string().min(1).max(100).nullable(),
      status: z.enum(TASK_STATUSES),
      due: isoTime.nullable(),
    })
    .strict();
  const dueOf = (due: string | null | undefined): number | null | undefined => (due === undefined ? undefined : due === null ? null : Date.parse(due));

  defineRoute(router, api, {
    method: 'get',
    path: '/incidents/:id/tasks',
    summary: "An incident's tasks",
    tags: ['incidents'],
    permission: 'incidents:read',
    params: idParam,
    responses: { 200: { description: 'tasks in creation order', schema: z.object({ tasks: z.array(taskSchema) }) } },
    handler: ({ principal, params }) => run(() => ({ tasks: service.tasks(params.id, organizationsOf(principal)) })),
  });

  defineRoute(router, api, {
    method: 'post',
    path: '/incidents/:id/tasks',
    summary: 'Add a task',
    tags: ['incidents'],
    permission: 'incidents:manage',
    params: idParam,
    status: 201,
    body: taskBody.partial({ assignee: true, status: true, due: true }),
    responses: { 201: { description: 'the task', schema: taskSchema } },
    handler: ({ principal, params, body }) =>
      run(() => service.addTask(params.id, { title: body.title, assignee: body.assignee, status: body.status, due: dueOf(body.due) }, actorOf(principal), organizationsOf(principal))),
  });

  defineRoute(router, api, {
    method: 'patch',
    path: '/incidents/:id/tasks/:taskId',
    summary: 'Change a task',
    tags: ['incidents'],
    permission: 'incidents:manage',
    params: taskParam,
    body: taskBody.partial(),
    responses: { 200: { description: 'the task', schema: taskSchema }, 404: { description: 'no such task' } },
    handler: ({ principal, params, body }) =>
      run(() =>
        service.updateTask(params.id, params.taskId, { title: body.title, assignee: body.assignee, status: body.status, due: dueOf(body.due) }, actorOf(principal), organizationsOf(principal)),
      ),
  });

  defineRoute(router, api, {
    method: 'delete',
    path: '/incidents/:id/tasks/:taskId',
    summary: 'Remove a task',
    tags: ['incidents'],
    permission: 'incidents:manage',
    params: taskParam,
    responses: { 204: { description: 'removed' }, 404: { description: 'no such task' } },
    handler: ({ principal, params }) => run(() => service.deleteTask(params.id, params.taskId, actorOf(principal), organizationsOf(principal))),
  });
}

function registerReportRoutes(router: Router, api: OpenApiRegistry, service: IncidentService): void {
  defineRoute(router, api, {
    method: 'get',
    path: '/incidents/:id/reports',
    summary: 'Regulatory reports the incident owes: recipient, deadline, status',
    tags: ['incidents'],
    permission: 'incidents:read',
    params: idParam,
    responses: { 200: { description: 'reports, per configured regime', schema: z.object({ reports: z.array(dueSchema) }) } },
    handler: ({ principal, params }) => run(() => ({ reports: service.detail(params.id, organizationsOf(principal)).due.filter((d) => d.kind === 'report') })),
  });

  defineRoute(router, api, {
    method: 'get',
    path: '/incidents/:id/reports/:kind',
    summary: 'A report document filled from the incident (HTML or plain text, Vietnamese or English)',
    description: `Kinds: form03 (Circular 20/2017 Form 03, initial report), form04 (Form 04, end of response), nd331-notice (Decree 331 24 h notice), nd331-report (Decree 331 72 h report). Any kind can be printed as a draft, whether the incident owes it or not.`,
    tags: ['incidents'],
    permission: 'incidents:read',
    params: reportParam,
    query: z.object({ lang: z.enum(REPORT_LANGUAGES).default('vi'), format: z.enum(['html', 'txt']).default('html') }),
    responses: { 200: { description: 'text/html or text/plain document' }, 404: { description: 'no such incident or report kind' } },
    handler: ({ principal, params, query, res }) => {
      const doc = run(() => service.reportDocument(params.id, params.kind, query.lang, organizationsOf(principal)));
      const body = query.format === 'html' ? renderHtml(doc) : renderText(doc);
      res.status(200);
      res.type(query.format === 'html' ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8');
      res.setHeader('content-disposition', `inline; filename="${params.id.replace(/[^A-Za-z0-9-]/g, '')}-${doc.kind}-${doc.lang}.${query.format}"`);
      res.send(body);
      return undefined;
    },
  });

  defineRoute(router, api, {
    method: 'post',
    path: '/incidents/:id/reports/:kind/submit',
    summary: 'Record that a report was sent to its recipient',
    tags: ['incidents'],
    permission: 'incidents:manage',
    params: reportParam,
    body: z
      .object({
        reference: z.string().trim().min(1).max(200).describe("the recipient's or the dispatch's reference number"),
        submitted_at: isoTime.optional().describe('default now'),
        note: z.string().max(5000).optional(),
      })
      .strict(),
    responses: { 200: { description: "the incident's deadlines after the submission", schema: z.object({ due: z.array(dueSchema) }) }, 409: { description: 'already recorded' } },
    handler: ({ principal, params, body }) =>
      run(() => ({ due: service.submitReport(params.id, params.kind, { reference: body.reference, submittedAt: timeOrUndefined(body.submitted_at), note: body.note }, actorOf(principal), organizationsOf(principal)) })),
  });
}
