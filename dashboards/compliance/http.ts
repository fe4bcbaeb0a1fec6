/**
 * The compliance API under /api/v1/compliance: the systems register, manual evidence, assessments
 * and reports. Every route is scoped to the caller's agencies. Reading needs `reports:read`
 * (auditors, analysts) or `compliance:manage`; changing needs `compliance:manage` (agency admins).
 */
import { createReadStream } from 'node:fs';
import type { Response, Router } from 'express';
import { z } from 'zod';
import { can, canSeeAgency, organizationsOf, type Principal } from '../../core/auth/principal';
import { grantPermission } from '../../core/auth/roles';
import type { HttpModule } from '../../core/http/deps';
import { forbidden, HttpError, notFound } from '../../core/http/errors';
import type { OpenApiRegistry } from '../../core/http/openapi';
import { defineRoute } from '../../core/http/route';
import { assessSystem, type SystemAssessment } from './assessment/assess';
import { UploadTooLargeError, type ManualEvidenceStore } from './evidence/manual-store';
import { MONITORING_PERIODS } from './monitoring/figures';
import { generateMonitoringReport } from './monitoring/run';
import { generateComplianceReport, REPORT_FORMATS, type ComplianceReportDeps } from './report/run';
import { systemInputSchema, systemPatchSchema, type ComplianceSystem } from './systems/types';

/** Agency admins register their systems and upload evidence; auditors only read (reports:read). */
grantPermission('compliance:manage', ['agency_admin']);

export interface ComplianceHttpDeps extends ComplianceReportDeps {
  documents: ManualEvidenceStore;
  maxUploadBytes: number;
}

const idParams = z.object({ id: z.string().min(1).max(100) }).strict();
const regimeQuery = z.object({ regime: z.enum(['decree85', 'decree331']).optional() }).strict();

function requireRead(p: Principal): void {
  if (!can(p, 'reports:read') && !can(p, 'compliance:manage')) throw forbidden('reading compliance data needs the reports:read or compliance:manage permission');
}

function visibleSystem(deps: ComplianceHttpDeps, p: Principal, id: string): ComplianceSystem {
  const system = deps.systems.get(id);
  // A system of another agency is reported as missing, not forbidden, so ids do not leak.
  if (system === undefined || !canSeeAgency(p, system.agency)) throw notFound(`compliance system ${id} not found`);
  return system;
}

/** Who asked for a report, as the audit log records it. */
function reportActor(p: Principal): { type: 'user' | 'token'; id: string } {
  return { type: p.token.kind === 'session' ? 'user' : 'token', id: p.user.username };
}

/** Sends a generated report as a download, with its digest (also in the audit log) in X-Content-SHA256. */
function sendReportFile(res: Response, report: { contentType: string; fileName: string; sha256: string; content: Buffer }): void {
  res.setHeader('content-type', report.contentType);
  res.setHeader('content-disposition', `attachment; filename="${report.fileName}"`);
  res.setHeader('x-content-sha256', report.sha256);
  res.status(200).end(report.content);
}

function assessmentJson(a: SystemAssessment): unknown {
  return {
    system: a.system,
    regime: a.regime,
    level: a.level,
    assessed_at: new Date(a.assessedAt).toISOString(),
    counts: a.counts,
    groups: a.groups,
    requirements: a.requirements.map((r) => ({
      id: r.requirement.id,
      group: r.requirement.group,
      title_vi: r.requirement.title_vi,
      title_en: r.requirement.title_en,
      clause: r.clause,
      uncertain: r.requirement.uncertain,
      status: r.status,
      evidence: r.evidence.map((e) => ({ kind: e.kind, status: e.status, observed_at: new Date(e.observedAt).toISOString(), summary: e.summary, value: e.value, items: e.items })),
      manual: r.manual,
      actions: r.actions,
    })),
  };
}

export function complianceHttpModule(deps: ComplianceHttpDeps): HttpModule {
  return {
    name: 'compliance',
    register(router: Router, api: OpenApiRegistry) {
      defineRoute(router, api, {
        method: 'get',
        path: '/compliance/systems',
        summary: 'Information systems in the register (your agencies)',
        tags: ['compliance'],
        responses: { 200: { description: 'the systems' } },
        handler: ({ principal }) => {
          requireRead(principal);
          return { systems: deps.systems.list(organizationsOf(principal)) };
        },
      });
      defineRoute(router, api, {
        method: 'post',
        path: '/compliance/systems',
        summary: 'Register an information system',
        tags: ['compliance'],
        responses: { 201: { description: 'the system' }, 403: { description: 'not your agency' } },
        permission: 'compliance:manage',
        body: systemInputSchema,
        status: 201,
        handler: ({ principal, body }) => {
          if (!canSeeAgency(principal, body.agency)) throw forbidden(`agency ${body.agency} is not one of yours`);
          return deps.systems.create(body);
        },
      });
      defineRoute(router, api, {
        method: 'get',
        path: '/compliance/systems/:id',
        summary: 'One information system',
        tags: ['compliance'],
        responses: { 200: { description: 'the system' }, 404: { description: 'no such system in your agencies' } },
        params: idParams,
        handler: ({ principal, params }) => {
          requireRead(principal);
          return visibleSystem(deps, principal, params.id);
        },
      });
      defineRoute(router, api, {
        method: 'patch',
        path: '/compliance/systems/:id',
        summary: 'Change an information system',
        tags: ['compliance'],
        responses: { 200: { description: 'the system' }, 404: { description: 'no such system in your agencies' } },
        permission: 'compliance:manage',
        params: idParams,
        body: systemPatchSchema,
        handler: ({ principal, params, body }) => {
          visibleSystem(deps, principal, params.id);
          if (body.agency !== undefined && !canSeeAgency(principal, body.agency)) throw forbidden(`agency ${body.agency} is not one of yours`);
          return deps.systems.update(params.id, body);
        },
      });
      defineRoute(router, api, {
        method: 'delete',
        path: '/compliance/systems/:id',
        summary: 'Remove an information system from the register',
        tags: ['compliance'],
        responses: { 204: { description: 'removed' }, 404: { description: 'no such system in your agencies' } },
        permission: 'compliance:manage',
        params: idParams,
        handler: ({ principal, params }) => {
          visibleSystem(deps, principal, params.id);
          deps.systems.delete(params.id);
          return undefined;
        },
      });
      defineRoute(router, api, {
        method: 'get',
        path: '/compliance/systems/:id/assessment',
        summary: "Assess the system's requirements at its level, with the evidence behind each",
        tags: ['compliance'],
        responses: { 200: { description: 'the assessment' }, 404: { description: 'no such system in your agencies' } },
        params: idParams,
        query: regimeQuery,
        handler: async ({ principal, params, query }) => {
          requireRead(principal);
          const system = visibleSystem(deps, principal, params.id);
          return assessmentJson(await assessSystem(deps, system, query.regime ?? system.regime));
        },
      });
      defineRoute(router, api, {
        method: 'get',
        path: '/compliance/systems/:id/evidence',
        summary: 'Manual evidence documents of a system',
        tags: ['compliance'],
        responses: { 200: { description: 'the documents' } },
        params: idParams,
        handler: ({ principal, params }) => {
          requireRead(principal);
          visibleSystem(deps, principal, params.id);
          return { documents: deps.documents.list(params.id) };
        },
      });
      defineRoute(router, api, {
        method: 'post',
        path: '/compliance/systems/:id/evidence',
        summary: 'Upload a manual evidence document (raw body: application/octet-stream or application/pdf; metadata in the query)',
        tags: ['compliance'],
        responses: { 201: { description: 'the stored document with its SHA-256' }, 413: { description: 'larger than compliance.maxUploadBytes' } },
        permission: 'compliance:manage',
        params: idParams,
        query: z
          .object({
            kind: z.string().regex(/^[a-z][a-z0-9_]*$/),
            title: z.string().min(1).max(255),
            file_name: z.string().min(1).max(255),
            requirement: z.string().max(100).optional(),
            reviewer: z.string().max(100).optional(),
            expires: z.iso.date().optional(),
            note: z.string().max(2000).optional(),
          })
          .strict(),
        status: 201,
        handler: async ({ principal, params, query, req }) => {
          const system = visibleSystem(deps, principal, params.id);
          if (!deps.catalog.data.evidence_kinds.some((k) => k.id === query.kind)) throw new HttpError(400, 'invalid_parameter', `parameter "kind": "${query.kind}" is not an evidence kind of the catalogue`, { parameter: 'kind' });
          if (query.requirement !== undefined && deps.catalog.requirement(query.requirement) === undefined) throw new HttpError(400, 'invalid_parameter', `parameter "requirement": no requirement "${query.requirement}"`, { parameter: 'requirement' });
          const declared = Number(req.get('content-length') ?? '0');
          if (declared > deps.maxUploadBytes) throw new HttpError(413, 'payload_too_large', `evidence upload "${query.file_name}": ${declared} bytes exceeds ${deps.maxUploadBytes}`);
          if (req.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'send the document itself as the body (application/octet-stream or its own type), not JSON');
          try {
            return await deps.documents.add(
              {
                systemId: system.id,
                agency: system.agency,
                kind: query.kind,
                requirementId: query.requirement,
                title: query.title,
                fileName: query.file_name,
                contentType: req.get('content-type') ?? 'application/octet-stream',
                uploadedBy: principal.user.username,
                reviewer: query.reviewer,
                expiresAt: query.expires !== undefined ? Date.parse(`${query.expires}T23:59:59Z`) : undefined,
                note: query.note,
              },
              req,
              deps.maxUploadBytes,
            );
          } catch (err) {
            if (err instanceof UploadTooLargeError) throw new HttpError(413, 'payload_too_large', err.message);
            throw err;
          }
        },
      });
      defineRoute(router, api, {
        method: 'post',
        path: '/compliance/evidence/:id/approve',
        summary: 'Approve a manual evidence document (records the approver and the review)',
        tags: ['compliance'],
        responses: { 200: { description: 'the document' }, 404: { description: 'no such document in your agencies' } },
        permission: 'compliance:manage',
        params: idParams,
        body: z.object({ reviewer: z.string().min(1).max(100).optional(), expires: z.iso.date().nullable().optional(), note: z.string().max(2000).optional() }).strict(),
        handler: ({ principal, params, body }) => {
          const doc = deps.documents.get(params.id);
          if (doc === undefined || !canSeeAgency(principal, doc.agency)) throw notFound(`evidence document ${params.id} not found`);
          const expiresAt = body.expires === undefined ? undefined : body.expires === null ? null : Date.parse(`${body.expires}T23:59:59Z`);
          return deps.documents.approve(params.id, principal.user.username, { reviewer: body.reviewer, expiresAt, note: body.note });
        },
      });
      defineRoute(router, api, {
        method: 'get',
        path: '/compliance/evidence/:id/file',
        summary: 'Download a manual evidence document',
        tags: ['compliance'],
        responses: { 200: { description: 'the file', contentType: 'application/octet-stream' } },
        params: idParams,
        handler: ({ principal, params, res }) => {
          requireRead(principal);
          const doc = deps.documents.get(params.id);
          if (doc === undefined || !canSeeAgency(principal, doc.agency)) throw notFound(`evidence document ${params.id} not found`);
          res.setHeader('content-type', doc.content_type);
          res.setHeader('content-disposition', `attachment; filename="${doc.file_name.replace(/[^A-Za-z0-9_.-]/g, '_')}"`);
          res.setHeader('x-content-sha256', doc.sha256);
          createReadStream(deps.documents.filePath(doc)).pipe(res);
          return new Promise<undefined>((resolve) => res.on('close', () => resolve(undefined)));
        },
      });
      defineRoute(router, api, {
        method: 'get',
        path: '/compliance/reports',
        summary: 'Generate a compliance report for a system or an agency (its digest goes to the audit log)',
        tags: ['compliance'],
        responses: { 200: { description: 'the report file (PDF, HTML or CSV); X-Content-SHA256 carries its digest', contentType: 'application/pdf' } },
        query: z
          .object({
            regime: z.enum(['decree85', 'decree331']).default('decree85'),
            system: z.string().min(1).max(100).optional(),
            agency: z.string().min(1).max(100).optional(),
            format: z.enum(REPORT_FORMATS).default('pdf'),
            lang: z.enum(['vi', 'en']).default('vi'),
          })
          .strict()
          .refine((q) => (q.system === undefined) !== (q.agency === undefined), { message: 'give exactly one of system and agency' }),
        handler: async ({ principal, query, res }) => {
          requireRead(principal);
          if (query.system !== undefined) visibleSystem(deps, principal, query.system);
          if (query.agency !== undefined && !canSeeAgency(principal, query.agency)) throw forbidden(`agency ${query.agency} is not one of yours`);
          const report = await generateComplianceReport(deps, { ...query, actor: reportActor(principal) });
          sendReportFile(res, report);
          return undefined;
        },
      });
      defineRoute(router, api, {
        method: 'get',
        path: '/compliance/monitoring-reports',
        summary: 'Generate a Circular 31/2017 monitoring report (daily, weekly, six-monthly) for an agency (its digest goes to the audit log)',
        tags: ['compliance'],
        responses: { 200: { description: 'the report file (PDF, HTML or CSV); X-Content-SHA256 carries its digest', contentType: 'application/pdf' } },
        query: z
          .object({
            period: z.enum(MONITORING_PERIODS).default('weekly'),
            agency: z.string().min(1).max(100),
            format: z.enum(REPORT_FORMATS).default('pdf'),
            lang: z.enum(['vi', 'en']).default('vi'),
          })
          .strict(),
        handler: async ({ principal, query, res }) => {
          requireRead(principal);
          if (!canSeeAgency(principal, query.agency)) throw forbidden(`agency ${query.agency} is not one of yours`);
          const report = await generateMonitoringReport(deps, { ...query, actor: reportActor(principal) });
          sendReportFile(res, report);
          return undefined;
        },
      });
      defineRoute(router, api, {
        method: 'get',
        path: '/compliance/catalog',
        summary: 'The requirements of a regime, with levels, clauses, evidence kinds and uncertainty marks',
        tags: ['compliance'],
        responses: { 200: { description: 'the regime' } },
        query: z.object({ regime: z.enum(['decree85', 'decree331']).default('decree85') }).strict(),
        handler: ({ principal, query }) => {
          requireRead(principal);
          const regime = deps.catalog.regime(query.regime);
          return { regime: regime.id, name_vi: regime.name_vi, name_en: regime.name_en, sources: regime.sources, levels: regime.levels, requirements: regime.requirements, groups: deps.catalog.data.groups };
        },
      });
    },
  };
}
