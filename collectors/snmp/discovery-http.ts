/**
 * POST/GET /api/v1/devices/discovery: start a sweep of the configured ranges, or of ad-hoc ranges
 * given in the body (bounded, in agencies the caller manages), and read the running or last one.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { canSeeAgency, type Principal } from '../../core/auth/principal';
import { forbidden, HttpError } from '../../core/http/errors';
import type { OpenApiRegistry } from '../../core/http/openapi';
import { defineRoute } from '../../core/http/route';
import type { DiscoveryRangeConfig } from './config';
import { parseDiscoveryRange } from './discovery/cidr';
import type { DevicesHttpDeps } from './http';
import { snmpInput, tags } from './http-schemas';

/** Ranges one ad-hoc sweep may name. */
const MAX_ADHOC_RANGES = 16;

const sweepJson = z.object({
  id: z.number().int(),
  running: z.boolean(),
  started_at: z.string(),
  finished_at: z.string().optional(),
  ranges: z.array(z.string()),
  addresses: z.number().int(),
  probed: z.number().int(),
  found: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  errors: z.array(z.string()),
});

const adHocRange = z
  .object({
    cidr: z.string().min(1).max(100).describe('IPv4 CIDR or address, or an IPv6 prefix of /112 or longer'),
    port: z.number().int().min(1).max(65535).default(161),
    agency: z.string().min(1).max(100).describe('agency of the devices found: one you may manage'),
    credentials: z.array(snmpInput).min(1).max(8),
    tags: tags.default([]),
    parent: z.string().min(1).max(200).optional(),
  })
  .strict();
const discoveryBody = z.object({ ranges: z.array(adHocRange).min(1).max(MAX_ADHOC_RANGES) }).strict();

/** The ad-hoc ranges of a sweep request, checked: bounded in size, agencies the caller may manage. */
function adHocRanges(raw: unknown, principal: Principal, deps: DevicesHttpDeps): DiscoveryRangeConfig[] {
  const parsed = discoveryBody.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.join('.');
    throw new HttpError(400, 'invalid_body', `body${path ? `.${path}` : ''}: ${issue.message}`, path ? { field: path } : {});
  }
  const limit = deps.maxAdHocAddresses ?? 1024;
  let total = 0;
  return parsed.data.ranges.map((r, i) => {
    if (deps.agencies.get(r.agency) === undefined) throw new HttpError(400, 'invalid_body', `body.ranges.${i}.agency: unknown agency "${r.agency.slice(0, 100)}"`, { field: `ranges.${i}.agency` });
    if (!canSeeAgency(principal, r.agency)) throw forbidden(`you cannot manage devices of agency "${r.agency}"`);
    try {
      total += parseDiscoveryRange(r.cidr, limit).size;
    } catch (err) {
      throw new HttpError(400, 'invalid_body', `body.ranges.${i}.cidr: ${(err as Error).message}`, { field: `ranges.${i}.cidr` });
    }
    if (total > limit) throw new HttpError(400, 'invalid_body', `body.ranges: ${total} addresses in all exceed snmp.discovery.maxAdHocAddresses (${limit})`, { field: 'ranges' });
    const range: DiscoveryRangeConfig = { cidr: r.cidr, port: r.port, agency: r.agency, credentials: r.credentials, tags: r.tags };
    if (r.parent !== undefined) range.parent = r.parent;
    return range;
  });
}

export function registerDiscoveryRoutes(router: Router, api: OpenApiRegistry, deps: DevicesHttpDeps): void {
  defineRoute(router, api, {
    method: 'post',
    path: '/devices/discovery',
    summary: 'Start a discovery sweep now: of the configured ranges, or of the ranges in the body',
    description: `Without a body, sweeps snmp.discovery.ranges. With a JSON body {"ranges": [{cidr, port?, agency, credentials: [snmp...], tags?, parent?}]} (at most ${MAX_ADHOC_RANGES} ranges and snmp.discovery.maxAdHocAddresses addresses in all; each agency one you may manage), sweeps those once; credentials that answer are stored encrypted with the devices found and never returned. Answers at once with the sweep (202); a sweep already running is returned instead of starting another. Follow it with GET /devices/discovery.`,
    tags: ['devices'],
    permission: 'devices:manage',
    status: 202,
    responses: {
      202: { description: 'the sweep', schema: z.object({ started: z.boolean(), sweep: sweepJson }) },
      400: { description: 'invalid or too large ranges' },
      403: { description: 'a range names an agency you may not manage' },
      409: { description: 'no body and no ranges configured' },
    },
    handler: ({ req, principal }) => {
      const discovery = deps.discovery;
      if (discovery === undefined) throw new HttpError(409, 'conflict', 'discovery is not available');
      // The plain trigger sends no body (fetch and curl still send Content-Length: 0, no Content-Type).
      const hasBody = req.headers['content-type'] !== undefined;
      if (hasBody && !req.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'request body must be JSON (Content-Type: application/json)');
      if (!hasBody) {
        if (!discovery.hasRanges()) throw new HttpError(409, 'conflict', 'discovery has no ranges: configure snmp.discovery.ranges or give {"ranges": [...]} in the body');
        const { status, started } = discovery.sweep();
        return { started, sweep: status };
      }
      const { status, started } = discovery.sweep(adHocRanges(req.body, principal, deps));
      return { started, sweep: status };
    },
  });

  defineRoute(router, api, {
    method: 'get',
    path: '/devices/discovery',
    summary: 'The running or last discovery sweep',
    tags: ['devices'],
    permission: 'devices:read',
    responses: { 200: { description: 'the sweep, or null before the first', schema: z.object({ sweep: sweepJson.nullable() }) } },
    handler: () => ({ sweep: deps.discovery?.status() ?? null }),
  });
}
