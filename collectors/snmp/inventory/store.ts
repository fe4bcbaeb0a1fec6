/**
 * The device inventory: devices added through the API or by discovery (SQLite, credentials sealed
 * with AES-256-GCM) merged with the read-only devices of socnoc.yaml. It is the poller's
 * DeviceSource: every insert, update and delete is signalled, so the poller follows without a
 * restart. Credentials leave this module only in clear for the poller (`deviceSource()`); every
 * other read returns `InventoryDevice`, which carries no secret.
 */
import { randomUUID } from 'node:crypto';
import type { SqliteDb } from '../../../core/store/sqlite';
import type { AgencyResolver } from '../../../core/tenancy';
import { deviceSnmpSchema, type DeviceConfig, type DeviceSnmpConfig } from '../config';
import { vendorOf } from '../discovery/vendors';
import { interfaceTagsOf, type DeviceSource, type PollDevice } from '../poll/device-source';
import { migrateInventory } from './schema';
import type { SecretBox } from './secret-box';

export type DeviceOrigin = 'api' | 'config' | 'discovery';
export type StoredStatus = 'up' | 'down' | 'unreachable' | 'unknown';
export type SecurityLevelName = 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
/** ifIndex → tags (only tagged interfaces). */
export type InterfaceTags = Record<string, string[]>;

/** A device as the API and the console see it: no credential, only what kind there is. */
export interface InventoryDevice {
  id: string;
  name: string;
  address: string;
  port: number;
  organizationId: string;
  intervalSeconds?: number;
  parent?: string;
  tags: string[];
  /** Tags of interfaces by ifIndex. */
  interfaceTags: InterfaceTags;
  source: DeviceOrigin;
  snmp: { version: '1' | '2c' | '3'; user?: string; securityLevel?: SecurityLevelName };
  sys: { name?: string; descr?: string; objectId?: string };
  vendor?: string;
  status: StoredStatus;
  lastPolled?: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface NewDevice {
  name: string;
  address: string;
  port: number;
  /** Agency id; when absent, the address's agency CIDR decides (else `unassigned`). */
  organizationId?: string;
  intervalSeconds?: number;
  /** Id (or name) of the device this one is reached through. */
  parent?: string;
  tags: string[];
  interfaceTags?: InterfaceTags;
  snmp: DeviceSnmpConfig;
  source?: 'api' | 'discovery';
  sys?: InventoryDevice['sys'];
}

export interface DevicePatch {
  name?: string;
  address?: string;
  port?: number;
  organizationId?: string;
  intervalSeconds?: number | null;
  parent?: string | null;
  tags?: string[];
  /** Merged per ifIndex: given interfaces get these tags (an empty list or null removes them). */
  interfaceTags?: Record<string, string[] | null>;
  snmp?: DeviceSnmpConfig;
}

export interface PollRecord {
  status: StoredStatus;
  /** Epoch ms of the poll. */
  at: number;
  sys?: InventoryDevice['sys'];
}

/** A request the inventory refuses: `kind` maps to an HTTP status. */
export class InventoryError extends Error {
  override name = 'InventoryError';
  constructor(
    readonly kind: 'not_found' | 'conflict' | 'read_only' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

interface DeviceRow {
  id: string;
  name: string;
  address: string;
  port: number;
  org: string;
  interval_s: number | null;
  parent_id: string | null;
  tags: string;
  interface_tags: string;
  source: string;
  snmp_version: string;
  snmp_user: string | null;
  snmp_level: string | null;
  credentials: string;
  sys_name: string | null;
  sys_descr: string | null;
  sys_object_id: string | null;
  vendor: string | null;
  status: string;
  last_polled: string | null;
  created_at: string;
  updated_at: string;
}

export interface DeviceInventoryOptions {
  db: SqliteDb;
  box: SecretBox;
  agencies: AgencyResolver;
  /** The `devices:` list of socnoc.yaml (validated by checkSnmpConfig): read-only here. */
  configDevices?: readonly DeviceConfig[];
  defaultIntervalSeconds: number;
  now?: () => number;
  /** Told about rows that cannot be decrypted (wrong key): they are not polled. */
  onSecretError?: (deviceId: string, err: Error) => void;
}

function securityLevel(snmp: DeviceSnmpConfig): SecurityLevelName | undefined {
  if (snmp.version !== '3') return undefined;
  return snmp.auth === undefined ? 'noAuthNoPriv' : snmp.priv === undefined ? 'authNoPriv' : 'authPriv';
}

function snmpSummary(snmp: DeviceSnmpConfig): InventoryDevice['snmp'] {
  if (snmp.version !== '3') return { version: snmp.version };
  return { version: '3', user: snmp.user, securityLevel: securityLevel(snmp) };
}

/** Applies per-interface tag changes; interfaces left with no tag are dropped, keys kept in ifIndex order. */
export function mergeInterfaceTags(current: Readonly<InterfaceTags>, change: Readonly<Record<string, readonly string[] | null>>): InterfaceTags {
  const next: InterfaceTags = { ...current };
  for (const [index, tags] of Object.entries(change)) {
    if (tags === null || tags.length === 0) delete next[index];
    else next[index] = [...new Set(tags)];
  }
  const out: InterfaceTags = {};
  for (const k of Object.keys(next).sort((a, b) => Number(a) - Number(b))) out[k] = next[k];
  return out;
}

export class DeviceInventory {
  private readonly db: SqliteDb;
  private readonly box: SecretBox;
  private readonly now: () => number;
  private readonly configDevices: ReadonlyMap<string, DeviceConfig>;
  /** What polls taught us about config devices (they have no row). */
  private readonly configLearned = new Map<string, PollRecord>();
  private readonly listeners = new Set<() => void>();
  private signalPending = false;

  constructor(private readonly options: DeviceInventoryOptions) {
    this.db = options.db;
    this.box = options.box;
    this.now = options.now ?? Date.now;
    this.configDevices = new Map((options.configDevices ?? []).map((d) => [d.name, d]));
    migrateInventory(this.db);
  }

  // --- reads ---

  /** Devices of the given agencies (undefined: all), config devices first, then by name. */
  list(organizations?: readonly string[]): InventoryDevice[] {
    const out: InventoryDevice[] = [];
    for (const d of this.configDevices.values()) {
      const dev = this.fromConfig(d);
      if (organizations === undefined || organizations.includes(dev.organizationId)) out.push(dev);
    }
    const rows =
      organizations === undefined
        ? (this.db.prepare('SELECT * FROM snmp_devices ORDER BY name').all() as DeviceRow[])
        : (this.db.prepare(`SELECT * FROM snmp_devices WHERE org IN (SELECT value FROM json_each(?)) ORDER BY name`).all(JSON.stringify(organizations)) as DeviceRow[]);
    for (const r of rows) out.push(this.fromRow(r));
    return out;
  }

  /** Devices per agency id (config devices included), counted by SQLite rather than read whole. */
  countByOrganization(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const d of this.configDevices.values()) {
      const org = this.fromConfig(d).organizationId;
      counts.set(org, (counts.get(org) ?? 0) + 1);
    }
    for (const r of this.db.prepare('SELECT org, COUNT(*) AS n FROM snmp_devices GROUP BY org').all() as Array<{ org: string; n: number }>) {
      counts.set(r.org, (counts.get(r.org) ?? 0) + r.n);
    }
    return counts;
  }

  get(id: string, organizations?: readonly string[]): InventoryDevice | undefined {
    const dev = this.lookup(id);
    if (dev === undefined) return undefined;
    if (organizations !== undefined && !organizations.includes(dev.organizationId)) return undefined;
    return dev;
  }

  findByEndpoint(address: string, port: number): InventoryDevice | undefined {
    for (const d of this.configDevices.values()) if (d.address === address && d.port === port) return this.fromConfig(d);
    const row = this.db.prepare('SELECT * FROM snmp_devices WHERE address = ? AND port = ?').get(address, port) as DeviceRow | undefined;
    return row !== undefined ? this.fromRow(row) : undefined;
  }

  // --- writes ---

  create(input: NewDevice): InventoryDevice {
    const snmp = this.checkSnmp(input.snmp, input.name);
    this.checkName(input.name, undefined);
    this.checkEndpoint(input.address, input.port, undefined);
    const org = this.organizationOf(input.organizationId, input.address);
    const id = randomUUID();
    const parent = input.parent !== undefined ? this.resolveParent(input.parent, id) : undefined;
    const at = new Date(this.now()).toISOString();
    this.db
      .prepare(
        `INSERT INTO snmp_devices (id, name, address, port, org, interval_s, parent_id, tags, interface_tags, source, snmp_version, snmp_user, snmp_level, credentials,
           sys_name, sys_descr, sys_object_id, vendor, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'unknown', ?, ?)`,
      )
      .run(
        id,
        input.name,
        input.address,
        input.port,
        org,
        input.intervalSeconds ?? null,
        parent ?? null,
        JSON.stringify(input.tags),
        JSON.stringify(mergeInterfaceTags({}, input.interfaceTags ?? {})),
        input.source ?? 'api',
        snmp.version,
        snmp.version === '3' ? snmp.user : null,
        securityLevel(snmp) ?? null,
        this.box.seal(JSON.stringify(snmp), id),
        input.sys?.name ?? null,
        input.sys?.descr ?? null,
        input.sys?.objectId ?? null,
        vendorOf(input.sys?.objectId) ?? null,
        at,
        at,
      );
    this.changed();
    return this.lookup(id) as InventoryDevice;
  }

  update(id: string, patch: DevicePatch): InventoryDevice {
    const row = this.row(id);
    const name = patch.name ?? row.name;
    const address = patch.address ?? row.address;
    const port = patch.port ?? row.port;
    if (patch.name !== undefined) this.checkName(name, id);
    if (patch.address !== undefined || patch.port !== undefined) this.checkEndpoint(address, port, id);
    const org = patch.organizationId !== undefined ? this.organizationOf(patch.organizationId, address) : row.org;
    let parent = row.parent_id;
    if (patch.parent === null) parent = null;
    else if (patch.parent !== undefined) parent = this.resolveParent(patch.parent, id);
    const interval = patch.intervalSeconds === undefined ? row.interval_s : patch.intervalSeconds;
    let credentials = row.credentials;
    let version = row.snmp_version;
    let user = row.snmp_user;
    let level = row.snmp_level;
    if (patch.snmp !== undefined) {
      const snmp = this.checkSnmp(patch.snmp, name);
      credentials = this.box.seal(JSON.stringify(snmp), id);
      version = snmp.version;
      user = snmp.version === '3' ? snmp.user : null;
      level = securityLevel(snmp) ?? null;
    }
    this.db
      .prepare(
        `UPDATE snmp_devices SET name = ?, address = ?, port = ?, org = ?, interval_s = ?, parent_id = ?, tags = ?, interface_tags = ?, snmp_version = ?, snmp_user = ?,
           snmp_level = ?, credentials = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        name,
        address,
        port,
        org,
        interval,
        parent,
        JSON.stringify(patch.tags ?? (JSON.parse(row.tags) as string[])),
        patch.interfaceTags !== undefined ? JSON.stringify(mergeInterfaceTags(JSON.parse(row.interface_tags) as InterfaceTags, patch.interfaceTags)) : row.interface_tags,
        version,
        user,
        level,
        credentials,
        new Date(this.now()).toISOString(),
        id,
      );
    this.changed();
    return this.lookup(id) as InventoryDevice;
  }

  delete(id: string): void {
    this.row(id);
    // Children lose their parent rather than block the delete: an operator retiring a router should not have to edit every switch first.
    this.db.transaction(() => {
      this.db.prepare('UPDATE snmp_devices SET parent_id = NULL WHERE parent_id = ?').run(id);
      this.db.prepare('DELETE FROM snmp_devices WHERE id = ?').run(id);
    })();
    this.changed();
  }

  /**
   * A device found by discovery: a new row (`source: discovery`), or the learned system group of the
   * device already at that address and port (its name, credentials and agency stay as they are).
   */
  upsertDiscovered(input: NewDevice & { sys: NonNullable<NewDevice['sys']> }): { device: InventoryDevice; created: boolean } {
    const existing = this.findByEndpoint(input.address, input.port);
    if (existing !== undefined) {
      if (existing.source !== 'config') this.recordSys(existing.id, input.sys);
      return { device: this.lookup(existing.id) as InventoryDevice, created: false };
    }
    let name = input.name;
    for (let n = 2; this.nameTaken(name, undefined); n++) name = `${input.name}-${n}`;
    return { device: this.create({ ...input, name, source: 'discovery' }), created: true };
  }

  /** Status and system group learned by a poll (no change signal: the poller already knows). */
  recordPoll(id: string, poll: PollRecord): void {
    if (this.configDevices.has(id)) {
      const prev = this.configLearned.get(id);
      this.configLearned.set(id, { status: poll.status, at: poll.at, sys: poll.sys ?? prev?.sys });
      return;
    }
    const sys = poll.sys;
    this.db
      .prepare(
        `UPDATE snmp_devices SET status = ?, last_polled = ?,
           sys_name = COALESCE(?, sys_name), sys_descr = COALESCE(?, sys_descr), sys_object_id = COALESCE(?, sys_object_id), vendor = COALESCE(?, vendor)
         WHERE id = ?`,
      )
      .run(poll.status, new Date(poll.at).toISOString(), sys?.name ?? null, sys?.descr ?? null, sys?.objectId ?? null, vendorOf(sys?.objectId) ?? null, id);
  }

  /** Re-seals every credential sealed with a previous key; returns how many. */
  rotateCredentials(): number {
    const rows = this.db.prepare('SELECT id, credentials FROM snmp_devices').all() as Array<{ id: string; credentials: string }>;
    const update = this.db.prepare('UPDATE snmp_devices SET credentials = ? WHERE id = ?');
    let n = 0;
    this.db.transaction(() => {
      for (const r of rows) {
        if (!this.box.isStale(r.credentials)) continue;
        update.run(this.box.seal(this.box.open(r.credentials, r.id), r.id), r.id);
        n++;
      }
    })();
    return n;
  }

  // --- the poller's view ---

  deviceSource(): DeviceSource {
    return {
      list: async () => this.pollDevices(),
      subscribe: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
    };
  }

  /** Every device with its credentials in clear; rows that cannot be decrypted are left out and reported. */
  pollDevices(): PollDevice[] {
    const out: PollDevice[] = [];
    for (const d of this.configDevices.values()) {
      const p: PollDevice = { id: d.name, name: d.name, address: d.address, port: d.port, intervalSeconds: d.interval_s ?? this.options.defaultIntervalSeconds, tags: [...d.tags], snmp: d.snmp };
      if (d.agency !== undefined) p.agency = d.agency;
      if (d.parent !== undefined) p.parent = d.parent;
      const ifTags = interfaceTagsOf(d.interfaces);
      if (ifTags !== undefined) p.interfaceTags = ifTags;
      out.push(p);
    }
    for (const r of this.db.prepare('SELECT * FROM snmp_devices ORDER BY name').all() as DeviceRow[]) {
      let snmp: DeviceSnmpConfig;
      try {
        snmp = deviceSnmpSchema.parse(JSON.parse(this.box.open(r.credentials, r.id)));
      } catch (err) {
        this.options.onSecretError?.(r.id, err as Error);
        continue;
      }
      const p: PollDevice = { id: r.id, name: r.name, address: r.address, port: r.port, agency: r.org, intervalSeconds: r.interval_s ?? this.options.defaultIntervalSeconds, tags: JSON.parse(r.tags) as string[], snmp };
      if (r.parent_id !== null) p.parent = r.parent_id;
      if (r.interface_tags !== '{}') p.interfaceTags = JSON.parse(r.interface_tags) as InterfaceTags;
      out.push(p);
    }
    return out;
  }

  // --- internals ---

  /**
   * Tells subscribers once per burst (a discovery sweep adding hundreds of devices, a script's
   * batch of edits), on the next turn: each signal makes the poller re-read and decrypt every device.
   */
  private changed(): void {
    if (this.signalPending) return;
    this.signalPending = true;
    setImmediate(() => {
      this.signalPending = false;
      for (const l of this.listeners) l();
    });
  }

  private lookup(id: string): InventoryDevice | undefined {
    const c = this.configDevices.get(id);
    if (c !== undefined) return this.fromConfig(c);
    const row = this.db.prepare('SELECT * FROM snmp_devices WHERE id = ?').get(id) as DeviceRow | undefined;
    return row !== undefined ? this.fromRow(row) : undefined;
  }

  private row(id: string): DeviceRow {
    if (this.configDevices.has(id)) throw new InventoryError('read_only', `device "${id}" comes from socnoc.yaml and is read-only here; edit the configuration file`);
    const row = this.db.prepare('SELECT * FROM snmp_devices WHERE id = ?').get(id) as DeviceRow | undefined;
    if (row === undefined) throw new InventoryError('not_found', `device "${id.slice(0, 100)}" does not exist`);
    return row;
  }

  private nameTaken(name: string, exceptId: string | undefined): boolean {
    if (this.configDevices.has(name)) return true;
    const row = this.db.prepare('SELECT id FROM snmp_devices WHERE name = ?').get(name) as { id: string } | undefined;
    return row !== undefined && row.id !== exceptId;
  }

  private checkName(name: string, exceptId: string | undefined): void {
    if (this.nameTaken(name, exceptId)) throw new InventoryError('conflict', `a device named "${name}" already exists`);
  }

  private checkEndpoint(address: string, port: number, exceptId: string | undefined): void {
    const other = this.findByEndpoint(address, port);
    if (other !== undefined && other.id !== exceptId) throw new InventoryError('conflict', `device "${other.name}" already polls ${address} port ${port}`);
  }

  private checkSnmp(snmp: DeviceSnmpConfig, name: string): DeviceSnmpConfig {
    const parsed = deviceSnmpSchema.safeParse(snmp);
    if (!parsed.success) throw new InventoryError('invalid', `device ${name}: snmp: ${parsed.error.issues[0].message}`);
    return parsed.data;
  }

  private organizationOf(agency: string | undefined, address: string): string {
    if (agency === undefined) return this.options.agencies.resolve(address).id;
    if (this.options.agencies.get(agency) === undefined) throw new InventoryError('invalid', `unknown agency "${agency.slice(0, 100)}"`);
    return agency;
  }

  /** The parent's id (given its id or name); refuses unknown parents and loops. */
  private resolveParent(ref: string, selfId: string): string {
    let parentId: string | undefined;
    if (this.configDevices.has(ref)) parentId = ref;
    else {
      const row = this.db.prepare('SELECT id FROM snmp_devices WHERE id = ? OR name = ?').get(ref, ref) as { id: string } | undefined;
      parentId = row?.id;
    }
    if (parentId === undefined) throw new InventoryError('invalid', `parent device "${ref.slice(0, 100)}" does not exist`);
    const seen = new Set<string>([selfId]);
    for (let p: string | undefined = parentId; p !== undefined; p = this.lookup(p)?.parent) {
      if (seen.has(p)) throw new InventoryError('invalid', `parent "${ref.slice(0, 100)}" would make a loop of parents`);
      seen.add(p);
    }
    return parentId;
  }

  private recordSys(id: string, sys: InventoryDevice['sys']): void {
    this.db
      .prepare('UPDATE snmp_devices SET sys_name = COALESCE(?, sys_name), sys_descr = COALESCE(?, sys_descr), sys_object_id = COALESCE(?, sys_object_id), vendor = COALESCE(?, vendor), updated_at = ? WHERE id = ?')
      .run(sys.name ?? null, sys.descr ?? null, sys.objectId ?? null, vendorOf(sys.objectId) ?? null, new Date(this.now()).toISOString(), id);
  }

  private fromConfig(d: DeviceConfig): InventoryDevice {
    const learned = this.configLearned.get(d.name);
    const dev: InventoryDevice = {
      id: d.name,
      name: d.name,
      address: d.address,
      port: d.port,
      organizationId: d.agency ?? this.options.agencies.resolve(d.address).id,
      tags: [...d.tags],
      interfaceTags: { ...(interfaceTagsOf(d.interfaces) as InterfaceTags | undefined) },
      source: 'config',
      snmp: snmpSummary(d.snmp),
      sys: { ...learned?.sys },
      status: learned?.status ?? 'unknown',
    };
    if (d.interval_s !== undefined) dev.intervalSeconds = d.interval_s;
    if (d.parent !== undefined) dev.parent = d.parent;
    const vendor = vendorOf(learned?.sys?.objectId);
    if (vendor !== undefined) dev.vendor = vendor;
    if (learned !== undefined) dev.lastPolled = new Date(learned.at).toISOString();
    return dev;
  }

  private fromRow(r: DeviceRow): InventoryDevice {
    const snmp: InventoryDevice['snmp'] = { version: r.snmp_version as '1' | '2c' | '3' };
    if (r.snmp_user !== null) snmp.user = r.snmp_user;
    if (r.snmp_level !== null) snmp.securityLevel = r.snmp_level as SecurityLevelName;
    const dev: InventoryDevice = {
      id: r.id,
      name: r.name,
      address: r.address,
      port: r.port,
      organizationId: r.org,
      tags: JSON.parse(r.tags) as string[],
      interfaceTags: JSON.parse(r.interface_tags) as InterfaceTags,
      source: r.source as DeviceOrigin,
      snmp,
      sys: {},
      status: r.status as StoredStatus,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
    if (r.interval_s !== null) dev.intervalSeconds = r.interval_s;
    if (r.parent_id !== null) dev.parent = r.parent_id;
    if (r.sys_name !== null) dev.sys.name = r.sys_name;
    if (r.sys_descr !== null) dev.sys.descr = r.sys_descr;
    if (r.sys_object_id !== null) dev.sys.objectId = r.sys_object_id;
    if (r.vendor !== null) dev.vendor = r.vendor;
    if (r.last_polled !== null) dev.lastPolled = r.last_polled;
    return dev;
  }
}
