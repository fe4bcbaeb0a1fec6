/**
 * The NOC's HTTP routes: the device inventory (list, read, add, edit, delete) scoped by agency,
 * each device's interfaces and metric series, and discovery sweeps. Credentials go in through
 * POST/PATCH and never come out: responses carry `has_credentials` and `snmp.{version,user,
 * security_level}` only. Mounted by app/ through createHttpApp's `modules`.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { canSeeAgency, organizationsOf, type Principal } from '../../core/auth/principal';
import type { HttpModule } from '../../core/http/deps';
import { forbidden, HttpError, invalidParameter, notFound } from '../../core/http/errors';
import type { OpenApiRegistry } from '../../core/http/openapi';
import { defineRoute } from '../../core/http/route';
import { parseDuration, autoInterval } from '../../core/http/time-params';
import { timeQueryParam } from '../../core/http/time-query-param';
import type { AgencyResolver } from '../../core/tenancy';
import { registerDiscoveryRoutes } from './discovery-http';
import { snmpInput, tags } from './http-schemas';
import type { SnmpDiscovery } from './discovery/sweep';
import { DeviceInventory, InventoryError, type InventoryDevice } from './inventory/store';
import { MAX_POINTS, MetricsStoreError, type SnmpMetricsStore } from './metrics-store/store';
import { DEVICE_METRICS, INTERFACE_METRICS, isInterfaceMetric, type MetricName } from './metrics-store/series';
import type { DeviceStatus, InterfaceStatus } from './poll/device-status';

export interface DevicesHttpDeps {
  /** Addresses an ad-hoc sweep may cover in all (snmp.discovery.maxAdHocAddresses). */
  maxAdHocAddresses?: number;
  inventory: DeviceInventory;
  /** The poller's read model (live status, interfaces); SnmpPoller fits. */
  poller: { device(id: string): DeviceStatus | undefined };
  agencies: AgencyResolver;
  metricsStore?: SnmpMetricsStore;
  discovery?: SnmpDiscovery;
  now?: () => number;
}

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const address = z
  .string()
  .min(1)
  .max(255)
  .refine((a) => z.ipv4().safeParse(a).success || z.ipv6().safeParse(a).success || HOST.test(a), 'must be an IPv4 or IPv6 address or a host name');
const name = z.string().trim().min(1).max(200);
const ifIndexKey = z.string().regex(/^\d{1,10}$/, 'interface keys are ifIndex numbers');
const interfaceSettings = z.object({ tags }).strict();
/** Per-interface settings by ifIndex; at most this many interfaces in one request. */
const MAX_INTERFACES = 4096;
const tooManyInterfaces = (r: Record<string, unknown>): boolean => Object.keys(r).length <= MAX_INTERFACES;

/** `{ifIndex: {tags}}` → ifIndex → tags (null: remove). */
function interfaceTagsInput(input: Record<string, { tags: string[] } | null> | undefined): Record<string, string[] | null> | undefined {
  if (input === undefined) return undefined;
  const out: Record<string, string[] | null> = {};
  for (const [k, v] of Object.entries(input)) out[String(Number(k))] = v === null ? null : v.tags;
  return out;
}

const createBody = z
  .object({
    name,
    address,
    port: z.number().int().min(1).max(65535).default(161),
    agency: z.string().min(1).max(100).optional().describe('agency id; default: the agency whose CIDR holds the address'),
    interval_s: z.number().int().min(10).max(86_400).optional().describe('poll interval; default snmp.poller.defaultIntervalSeconds'),
    parent: z.string().min(1).max(200).optional().describe('id or name of the device this one is reached through'),
    tags: tags.default([]),
    interfaces: z
      .record(ifIndexKey, interfaceSettings)
      .refine(tooManyInterfaces, `at most ${MAX_INTERFACES} interfaces`)
      .optional()
      .describe('interface tags by ifIndex, e.g. {"10101": {"tags": ["uplink"]}}: NOC rules alert on uplink/trunk/core/wan interfaces going down'),
    snmp: snmpInput.describe('{version: "2c", community} | {version: "3", user, auth: {protocol, password}, priv: {protocol, password}}; auth md5, sha, sha224, sha256, sha384, sha512; priv des, aes (aes128), aes192, aes192c, aes256, aes256c'),
  })
  .strict();

const patchBody = z
  .object({
    name: name.optional(),
    address: address.optional(),
    port: z.number().int().min(1).max(65535).optional(),
    agency: z.string().min(1).max(100).optional(),
    interval_s: z.number().int().min(10).max(86_400).nullable().optional(),
    parent: z.string().min(1).max(200).nullable().optional(),
    tags: tags.optional(),
    interfaces: z
      .record(ifIndexKey, interfaceSettings.nullable())
      .refine(tooManyInterfaces, `at most ${MAX_INTERFACES} interfaces`)
      .optional()
      .describe('merged per ifIndex: {"10101": {"tags": ["uplink"]}} sets that interface\'s tags, null or an empty list removes them'),
    snmp: snmpInput.optional().describe('replaces the credentials entirely'),
  })
  .strict();

const deviceJson = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  port: z.number().int(),
  status: z.enum(['up', 'down', 'unreachable', 'unknown']),
  organization: z.object({ id: z.string() }),
  sys: z.object({ name: z.string().optional(), descr: z.string().optional(), object_id: z.string().optional(), uptime_s: z.number().optional(), location: z.string().optional() }),
  vendor: z.string().nullable(),
  parent: z.string().nullable(),
  tags: z.array(z.string()),
  interfaces: z.record(z.string(), z.object({ tags: z.array(z.string()) })).describe('tagged interfaces by ifIndex'),
  interval_s: z.number().int().nullable(),
  source: z.enum(['api', 'config', 'discovery']),
  read_only: z.boolean().describe('true for devices from socnoc.yaml'),
  has_credentials: z.boolean(),
  snmp: z.object({ version: z.enum(['1', '2c', '3']), user: z.string().optional(), security_level: z.string().optional() }),
  last_polled: z.string().nullable(),
  missed_polls: z.number().int().optional(),
  last_error: z.string().optional(),
  cpu_load_pct: z.number().optional(),
  memory_used_pct: z.number().optional(),
  created_at: z.string().nullable(),
  updated_at: z.string().nullable(),
});
type DeviceJson = z.infer<typeof deviceJson>;

function toJson(d: InventoryDevice, live: DeviceStatus | undefined): DeviceJson {
  const sys: DeviceJson['sys'] = {};
  const name = live?.sys.name ?? d.sys.name;
  const descr = live?.sys.descr ?? d.sys.descr;
  const objectId = live?.sys.object_id ?? d.sys.objectId;
  if (name !== undefined) sys.name = name;
  if (descr !== undefined) sys.descr = descr;
  if (objectId !== undefined) sys.object_id = objectId;
  if (live?.sys.uptime_s !== undefined) sys.uptime_s = live.sys.uptime_s;
  if (live?.sys.location !== undefined) sys.location = live.sys.location;
  const snmp: DeviceJson['snmp'] = { version: d.snmp.version };
  if (d.snmp.user !== undefined) snmp.user = d.snmp.user;
  if (d.snmp.securityLevel !== undefined) snmp.security_level = d.snmp.securityLevel;
  const out: DeviceJson = {
    id: d.id,
    name: d.name,
    address: d.address,
    port: d.port,
    status: live?.status ?? d.status,
    organization: { id: d.organizationId },
    sys,
    vendor: d.vendor ?? null,
    parent: d.parent ?? null,
    tags: d.tags,
    interfaces: Object.fromEntries(Object.entries(d.interfaceTags).map(([k, v]) => [k, { tags: v }])),
    interval_s: d.intervalSeconds ?? null,
    source: d.source,
    read_only: d.source === 'config',
    has_credentials: true,
    snmp,
    last_polled: live?.last_poll ?? d.lastPolled ?? null,
    created_at: d.createdAt ?? null,
    updated_at: d.updatedAt ?? null,
  };
  if (live !== undefined) {
    out.missed_polls = live.missed_polls;
    if (live.last_error !== undefined) out.last_error = live.last_error;
    if (live.cpu_load_pct !== undefined) out.cpu_load_pct = live.cpu_load_pct;
    if (live.memory_used_pct !== undefined) out.memory_used_pct = live.memory_used_pct;
  }
  return out;
}

function inventoryErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof InventoryError) {
      if (err.kind === 'not_found') throw notFound(err.message);
      if (err.kind === 'conflict') throw new HttpError(409, 'conflict', err.message);
      if (err.kind === 'read_only') throw new HttpError(409, 'read_only', err.message);
      throw new HttpError(400, 'invalid_body', err.message);
    }
    throw err;
  }
}

/** The agency a new or moved device goes to, checked against what the caller may manage. */
function agencyFor(principal: Principal, agencies: AgencyResolver, agency: string | undefined, addr: string): string {
  const id = agency ?? agencies.resolve(addr).id;
  if (agency !== undefined && agencies.get(agency) === undefined) throw new HttpError(400, 'invalid_body', `body.agency: unknown agency "${agency.slice(0, 100)}"`, { field: 'agency' });
  if (!canSeeAgency(principal, id)) throw forbidden(`you cannot manage devices of agency "${id}"${agency === undefined ? ` (the agency of ${addr}); give an agency of yours` : ''}`);
  return id;
}

export function devicesHttpModule(deps: DevicesHttpDeps): HttpModule {
  return {
    name: 'devices',
    register(router: Router, api: OpenApiRegistry): void {
      registerDiscoveryRoutes(router, api, deps);
      registerInventoryRoutes(router, api, deps);
      registerSeriesRoutes(router, api, deps);
    },
  };
}

function visibleDevice(deps: DevicesHttpDeps, principal: Principal, id: string): InventoryDevice {
  const d = deps.inventory.get(id, organizationsOf(principal));
  if (d === undefined) throw notFound(`device "${id.slice(0, 100)}" does not exist`);
  return d;
}

function registerInventoryRoutes(router: Router, api: OpenApiRegistry, deps: DevicesHttpDeps): void {
  const { inventory, poller, agencies } = deps;
  const idParam = z.object({ id: z.string().min(1).max(200) });

  defineRoute(router, api, {
    method: 'get',
    path: '/devices',
    summary: 'Devices of your agencies, with their live status',
    description: 'Devices from socnoc.yaml (read_only), added through the API, and found by discovery. Credentials are never returned.',
    tags: ['devices'],
    permission: 'devices:read',
    query: z.object({
      status: z.enum(['up', 'down', 'unreachable', 'unknown']).optional(),
      agency: z.string().max(100).optional(),
      search: z.string().max(200).optional().describe('case-insensitive substring of the name, address, sysName or a tag'),
    }),
    responses: { 200: { description: 'devices by name', schema: z.object({ devices: z.array(deviceJson) }) } },
    handler: ({ principal, query }) => {
      const needle = query.search?.toLowerCase();
      const devices: DeviceJson[] = [];
      for (const d of inventory.list(organizationsOf(principal))) {
        if (query.agency !== undefined && d.organizationId !== query.agency) continue;
        const j = toJson(d, poller.device(d.id));
        if (query.status !== undefined && j.status !== query.status) continue;
        if (needle !== undefined && needle !== '' && ![j.name, j.address, j.sys.name ?? '', ...j.tags].some((s) => s.toLowerCase().includes(needle))) continue;
        devices.push(j);
      }
      return { devices };
    },
  });

  defineRoute(router, api, {
    method: 'get',
    path: '/devices/:id',
    summary: 'One device',
    description: 'A device of an agency you cannot see answers 404, as one that does not exist.',
    tags: ['devices'],
    permission: 'devices:read',
    params: idParam,
    responses: { 200: { description: 'the device', schema: deviceJson }, 404: { description: 'no such device in your agencies' } },
    handler: ({ principal, params }) => {
      const d = visibleDevice(deps, principal, params.id);
      return toJson(d, poller.device(d.id));
    },
  });

  defineRoute(router, api, {
    method: 'post',
    path: '/devices',
    summary: 'Add a device to poll',
    description: 'Credentials are encrypted at rest (AES-256-GCM) and never returned. The poller starts polling it without a restart.',
    tags: ['devices'],
    permission: 'devices:manage',
    body: createBody,
    status: 201,
    responses: { 201: { description: 'the device', schema: deviceJson }, 409: { description: 'name or address:port already used' } },
    handler: ({ principal, body }) => {
      const org = agencyFor(principal, agencies, body.agency, body.address);
      const d = inventoryErrors(() =>
        inventory.create({
          name: body.name,
          address: body.address,
          port: body.port,
          organizationId: org,
          intervalSeconds: body.interval_s,
          parent: body.parent,
          tags: body.tags,
          interfaceTags: interfaceTagsInput(body.interfaces) as Record<string, string[]> | undefined,
          snmp: body.snmp,
        }),
      );
      return toJson(d, undefined);
    },
  });

  defineRoute(router, api, {
    method: 'patch',
    path: '/devices/:id',
    summary: 'Edit a device',
    description: 'Fields given replace the current ones; `snmp` replaces the credentials entirely; `parent: null` and `interval_s: null` clear them. Devices from socnoc.yaml answer 409 read_only.',
    tags: ['devices'],
    permission: 'devices:manage',
    params: idParam,
    body: patchBody,
    responses: { 200: { description: 'the device', schema: deviceJson }, 404: { description: 'no such device in your agencies' }, 409: { description: 'read-only or conflicting' } },
    handler: ({ principal, params, body }) => {
      const current = visibleDevice(deps, principal, params.id);
      const org = body.agency !== undefined ? agencyFor(principal, agencies, body.agency, body.address ?? current.address) : undefined;
      const d = inventoryErrors(() =>
        inventory.update(params.id, {
          name: body.name,
          address: body.address,
          port: body.port,
          organizationId: org,
          intervalSeconds: body.interval_s,
          parent: body.parent,
          tags: body.tags,
          interfaceTags: interfaceTagsInput(body.interfaces),
          snmp: body.snmp,
        }),
      );
      return toJson(d, poller.device(d.id));
    },
  });

  defineRoute(router, api, {
    method: 'delete',
    path: '/devices/:id',
    summary: 'Delete a device',
    description: 'Stops polling it and forgets its metric series; its children lose their parent. Devices from socnoc.yaml answer 409 read_only.',
    tags: ['devices'],
    permission: 'devices:manage',
    params: idParam,
    responses: { 204: { description: 'deleted' }, 404: { description: 'no such device in your agencies' } },
    handler: ({ principal, params }) => {
      visibleDevice(deps, principal, params.id);
      inventoryErrors(() => inventory.delete(params.id));
      deps.metricsStore?.deleteDevice(params.id);
      return undefined;
    },
  });
}

const interfaceJson = z.object({
  index: z.number().int(),
  name: z.string(),
  descr: z.string().optional(),
  alias: z.string().optional(),
  tags: z.array(z.string()).optional().describe('inventory tags of the interface'),
  admin_status: z.string().optional(),
  oper_status: z.string().optional(),
  speed_bps: z.number().optional(),
  in_bps: z.number().optional(),
  out_bps: z.number().optional(),
  in_pps: z.number().optional(),
  out_pps: z.number().optional(),
  in_errors_ps: z.number().optional(),
  out_errors_ps: z.number().optional(),
  in_discards_ps: z.number().optional(),
  out_discards_ps: z.number().optional(),
  utilization_pct: z.number().optional(),
});

function findInterface(list: readonly InterfaceStatus[], ref: string): InterfaceStatus | undefined {
  const n = /^\d+$/.test(ref) ? Number(ref) : undefined;
  return list.find((i) => i.index === n) ?? list.find((i) => i.name === ref || i.descr === ref);
}

function registerSeriesRoutes(router: Router, api: OpenApiRegistry, deps: DevicesHttpDeps): void {
  const now = deps.now ?? Date.now;
  const idParam = z.object({ id: z.string().min(1).max(200) });

  defineRoute(router, api, {
    method: 'get',
    path: '/devices/:id/interfaces',
    summary: "A device's interfaces with their current rates",
    description: 'Rates come from the last two polls; an interface polled once has none yet.',
    tags: ['devices'],
    permission: 'devices:read',
    params: idParam,
    responses: { 200: { description: 'interfaces by ifIndex', schema: z.object({ interfaces: z.array(interfaceJson) }) }, 404: { description: 'no such device in your agencies' } },
    handler: ({ principal, params }) => {
      const d = visibleDevice(deps, principal, params.id);
      return { interfaces: deps.poller.device(d.id)?.interfaces ?? [] };
    },
  });

  const metricNames = [...INTERFACE_METRICS, ...DEVICE_METRICS] as [MetricName, ...MetricName[]];
  defineRoute(router, api, {
    method: 'get',
    path: '/devices/:id/metrics',
    summary: "A device's or an interface's time series",
    description: `Average and maximum per step bucket. Interface metrics (${INTERFACE_METRICS.join(', ')}) need \`interface\` (ifIndex or name); device metrics: ${DEVICE_METRICS.join(', ')}. Older than snmp.metrics.rawRetentionDays, points come from 5-minute rollups, and older than snmp.metrics.fiveMinuteRetentionDays from hourly ones.`,
    tags: ['devices'],
    permission: 'devices:read',
    params: idParam,
    query: z.object({
      metric: z.enum(metricNames),
      interface: z.string().min(1).max(200).optional(),
      from: timeQueryParam('start of the range (default now-1h)', now),
      to: timeQueryParam('end of the range (default now)', now),
      step: z.string().max(20).optional().describe('bucket size: 60s, 5m, 1h… (default: about 100 points)'),
    }),
    responses: {
      200: {
        description: 'the series',
        schema: z.object({
          device: z.string(),
          metric: z.string(),
          interface: z.object({ index: z.number().int(), name: z.string() }).nullable(),
          from: z.string(),
          to: z.string(),
          step_s: z.number(),
          points: z.array(z.object({ t: z.string(), value: z.number(), max: z.number() })),
        }),
      },
      404: { description: 'no such device or interface' },
    },
    handler: ({ principal, params, query }) => {
      const d = visibleDevice(deps, principal, params.id);
      const store = deps.metricsStore;
      if (store === undefined) throw new HttpError(404, 'not_found', 'the metrics store is disabled (snmp.metrics.enabled: false)');
      const to = query.to ?? now();
      const from = query.from ?? to - 3_600_000;
      if (from >= to) throw invalidParameter('from', 'must be before "to"');
      let step = autoInterval(to - from);
      if (query.step !== undefined) {
        const parsed = parseDuration(query.step);
        if (parsed === undefined) throw invalidParameter('step', 'expected a duration such as 60s, 5m or 1h');
        step = parsed;
      }
      if ((to - from) / step > MAX_POINTS) throw invalidParameter('step', `too small for the range: more than ${MAX_POINTS} points`);
      let iface: { index: number; name: string } | null = null;
      if (isInterfaceMetric(query.metric)) {
        if (query.interface === undefined) throw invalidParameter('interface', `metric ${query.metric} is per interface: give an ifIndex or name`);
        const found = findInterface(deps.poller.device(d.id)?.interfaces ?? [], query.interface);
        if (found === undefined && !/^\d+$/.test(query.interface)) throw notFound(`device ${d.name} has no interface "${query.interface.slice(0, 100)}"`);
        iface = found !== undefined ? { index: found.index, name: found.name } : { index: Number(query.interface), name: `ifIndex ${query.interface}` };
      }
      let points;
      try {
        points = store.query({ deviceId: d.id, metric: query.metric, ifIndex: iface?.index, from, to, stepMs: step });
      } catch (err) {
        if (err instanceof MetricsStoreError) throw new HttpError(400, 'invalid_parameter', err.message);
        throw err;
      }
      return {
        device: d.id,
        metric: query.metric,
        interface: iface,
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        step_s: step / 1000,
        points: points.map((p) => ({ t: new Date(p.t).toISOString(), value: p.value, max: p.max })),
      };
    },
  });
}
