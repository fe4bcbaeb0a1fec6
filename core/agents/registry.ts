/**
 * The agent registry: who is enrolled, for which agency, and when each was last heard from. Every
 * agent request authenticates against an in-memory copy of the table (10,000 agents fit in a few
 * MB), so revocation refuses the next request at once; `last_seen` is written in batches because a
 * heartbeat per agent every 30 s would otherwise be hundreds of single-row commits a second.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { SqliteDb } from '../store/sqlite';
import { sha256Hex } from './enrollment-tokens';

export type AgentStatus = 'online' | 'offline';

export interface AgentRecord {
  id: string;
  agency: string;
  group: string;
  hostname: string;
  version: string;
  os: Record<string, unknown>;
  secretHash: Buffer;
  enrolledAt: number;
  lastSeen: number;
  status: AgentStatus;
  address: string;
  revokedAt: number | null;
  revokedBy: string | null;
  stats: Record<string, unknown>;
}

interface AgentRow {
  id: string;
  agency: string;
  group_name: string;
  hostname: string;
  version: string;
  os: string;
  secret_hash: string;
  enrolled_at: number;
  last_seen: number;
  status: string;
  address: string;
  revoked_at: number | null;
  revoked_by: string | null;
  stats: string;
}

export interface AgentSummary {
  id: string;
  hostname: string;
  status: AgentStatus;
  last_seen: string;
  version: string;
  organization: { id: string };
  group: string;
  enrolled_at: string;
  address: string;
  revoked: boolean;
}

export interface EnrollRequest {
  agency: string;
  group: string;
  hostname: string;
  version: string;
  os: Record<string, unknown>;
  address: string;
  tokenId: string;
}

function fromRow(r: AgentRow): AgentRecord {
  return {
    id: r.id,
    agency: r.agency,
    group: r.group_name,
    hostname: r.hostname,
    version: r.version,
    os: JSON.parse(r.os) as Record<string, unknown>,
    secretHash: Buffer.from(r.secret_hash, 'hex'),
    enrolledAt: r.enrolled_at,
    lastSeen: r.last_seen,
    status: r.status === 'online' ? 'online' : 'offline',
    address: r.address,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by,
    stats: JSON.parse(r.stats) as Record<string, unknown>,
  };
}

export function summarize(a: AgentRecord): AgentSummary {
  return {
    id: a.id,
    hostname: a.hostname,
    status: a.status,
    last_seen: new Date(a.lastSeen).toISOString(),
    version: a.version,
    organization: { id: a.agency },
    group: a.group,
    enrolled_at: new Date(a.enrolledAt).toISOString(),
    address: a.address,
    revoked: a.revokedAt !== null,
  };
}

export class AgentRegistry {
  private readonly agents = new Map<string, AgentRecord>();
  private readonly dirty = new Set<string>();

  constructor(
    private readonly db: SqliteDb,
    private readonly now: () => number = Date.now,
  ) {
    for (const row of db.prepare('SELECT * FROM agents').all() as AgentRow[]) this.agents.set(row.id, fromRow(row));
  }

  /** Creates the agent; returns its id and the secret it will present (kept only as a hash). */
  enroll(req: EnrollRequest): { id: string; secret: string } {
    const id = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    const now = this.now();
    const rec: AgentRecord = {
      id,
      agency: req.agency,
      group: req.group,
      hostname: req.hostname,
      version: req.version,
      os: req.os,
      secretHash: Buffer.from(sha256Hex(secret), 'hex'),
      enrolledAt: now,
      lastSeen: now,
      status: 'online',
      address: req.address,
      revokedAt: null,
      revokedBy: null,
      stats: {},
    };
    this.db
      .prepare(
        `INSERT INTO agents (id, agency, group_name, hostname, version, os, secret_hash, enrolled_at, enrolled_with, last_seen, status, address)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, rec.agency, rec.group, rec.hostname, rec.version, JSON.stringify(rec.os), rec.secretHash.toString('hex'), now, req.tokenId, now, 'online', rec.address);
    this.agents.set(id, rec);
    return { id, secret };
  }

  /** The agent behind `Bearer <id>.<secret>`, or why not. */
  authenticate(bearer: string): AgentRecord | 'unknown' | 'revoked' {
    const dot = bearer.indexOf('.');
    if (dot <= 0) return 'unknown';
    const rec = this.agents.get(bearer.slice(0, dot));
    if (rec === undefined) return 'unknown';
    const hash = Buffer.from(sha256Hex(bearer.slice(dot + 1)), 'hex');
    if (!timingSafeEqual(hash, rec.secretHash)) return 'unknown';
    if (rec.revokedAt !== null) return 'revoked';
    return rec;
  }

  /** Marks the agent heard from; returns true when it came back from offline. */
  touch(rec: AgentRecord, address: string): boolean {
    rec.lastSeen = this.now();
    rec.address = address;
    this.dirty.add(rec.id);
    if (rec.status === 'offline') {
      rec.status = 'online';
      return true;
    }
    return false;
  }

  updateFromHeartbeat(rec: AgentRecord, hb: { version: string; hostname: string; stats: Record<string, unknown> }): void {
    rec.version = hb.version;
    rec.hostname = hb.hostname;
    rec.stats = hb.stats;
    this.dirty.add(rec.id);
  }

  setInventory(rec: AgentRecord, inventory: Record<string, unknown>): void {
    const os = inventory.os;
    if (os !== null && typeof os === 'object') rec.os = os as Record<string, unknown>;
    this.flush();
    this.db.prepare('UPDATE agents SET inventory = ?, inventory_at = ?, os = ? WHERE id = ?').run(JSON.stringify(inventory), this.now(), JSON.stringify(rec.os), rec.id);
  }

  inventory(id: string): { inventory: Record<string, unknown>; at: string } | undefined {
    const row = this.db.prepare('SELECT inventory, inventory_at FROM agents WHERE id = ?').get(id) as { inventory: string | null; inventory_at: number | null } | undefined;
    if (row === undefined || row.inventory === null || row.inventory_at === null) return undefined;
    return { inventory: JSON.parse(row.inventory) as Record<string, unknown>, at: new Date(row.inventory_at).toISOString() };
  }

  /** Agents online whose last sign of life is older than the cutoff: now offline. */
  markStale(cutoff: number): AgentRecord[] {
    const out: AgentRecord[] = [];
    for (const rec of this.agents.values()) {
      if (rec.status === 'online' && rec.revokedAt === null && rec.lastSeen < cutoff) {
        rec.status = 'offline';
        this.dirty.add(rec.id);
        out.push(rec);
      }
    }
    return out;
  }

  revoke(id: string, by: string): AgentRecord | undefined {
    const rec = this.agents.get(id);
    if (rec === undefined) return undefined;
    if (rec.revokedAt === null) {
      rec.revokedAt = this.now();
      rec.revokedBy = by;
      this.db.prepare('UPDATE agents SET revoked_at = ?, revoked_by = ? WHERE id = ?').run(rec.revokedAt, by, id);
    }
    return rec;
  }

  get(id: string): AgentRecord | undefined {
    return this.agents.get(id);
  }

  list(agencies: string[] | undefined): AgentRecord[] {
    const out: AgentRecord[] = [];
    for (const rec of this.agents.values()) if (agencies === undefined || agencies.includes(rec.agency)) out.push(rec);
    return out.sort((a, b) => a.hostname.localeCompare(b.hostname) || a.id.localeCompare(b.id));
  }

  get size(): number {
    return this.agents.size;
  }

  /** Writes changed liveness and heartbeat fields in one transaction. */
  flush(): void {
    if (this.dirty.size === 0) return;
    const ids = [...this.dirty];
    this.dirty.clear();
    this.writeRows(ids);
  }

  /**
   * As flush(), in transactions of `chunk` agents with the event loop free between them: 10,000
   * agents in one transaction held it ~50 ms of CPU (135-216 ms on a loaded machine) every sweep,
   * which every heartbeat and batch in flight waited out.
   */
  async flushGradually(chunk = 500): Promise<void> {
    if (this.dirty.size === 0) return;
    const ids = [...this.dirty];
    this.dirty.clear();
    for (let i = 0; i < ids.length; i += chunk) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      this.writeRows(ids.slice(i, i + chunk));
    }
  }

  private writeRows(ids: string[]): void {
    const update = this.db.prepare('UPDATE agents SET last_seen = ?, status = ?, address = ?, version = ?, hostname = ?, stats = ? WHERE id = ?');
    this.db.transaction(() => {
      for (const id of ids) {
        const r = this.agents.get(id);
        if (r !== undefined) update.run(r.lastSeen, r.status, r.address, r.version, r.hostname, JSON.stringify(r.stats), id);
      }
    })();
  }
}
