/**
 * Response commands for agents: queued in SQLite (they must survive a server restart), delivered on
 * the agent's long poll, completed with a result. A command delivered but never answered (the agent
 * died mid-way) is delivered again after `redeliverAfterMs`; agents treat commands idempotently by id.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SqliteDb } from '../store/sqlite';

export const COMMAND_TYPES = ['yara_scan', 'file_hash', 'file_fetch', 'isolate', 'release', 'restart_collection'] as const;
export type CommandType = (typeof COMMAND_TYPES)[number];
export const COMMAND_STATUSES = ['pending', 'delivered', 'succeeded', 'failed', 'expired'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

const absolutePath = z.string().min(1).max(4096).refine((p) => p.startsWith('/'), 'must be an absolute path');

/** Arguments per command type, validated where a user or playbook submits them. */
export const commandArgsSchemas: Record<CommandType, z.ZodType<Record<string, unknown>>> = {
  yara_scan: z.object({ paths: z.array(absolutePath).max(100).optional() }).strict(),
  file_hash: z.object({ path: absolutePath }).strict(),
  file_fetch: z.object({ path: absolutePath, maxBytes: z.number().int().min(1).max(50 * 1024 * 1024).default(10 * 1024 * 1024) }).strict(),
  isolate: z.object({}).strict(),
  release: z.object({}).strict(),
  restart_collection: z.object({}).strict(),
};

export interface AgentCommand {
  id: string;
  agent_id: string;
  organization: { id: string };
  type: CommandType;
  args: Record<string, unknown>;
  status: CommandStatus;
  created_by: string;
  created_at: string;
  expires_at: string;
  delivered_at: string | null;
  completed_at: string | null;
  result: Record<string, unknown> | null;
}

interface CommandRow {
  id: string;
  agent_id: string;
  agency: string;
  type: string;
  args: string;
  status: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  delivered_at: number | null;
  completed_at: number | null;
  result: string | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function toCommand(r: CommandRow): AgentCommand {
  return {
    id: r.id,
    agent_id: r.agent_id,
    organization: { id: r.agency },
    type: r.type as CommandType,
    args: JSON.parse(r.args) as Record<string, unknown>,
    status: r.status as CommandStatus,
    created_by: r.created_by,
    created_at: new Date(r.created_at).toISOString(),
    expires_at: new Date(r.expires_at).toISOString(),
    delivered_at: iso(r.delivered_at),
    completed_at: iso(r.completed_at),
    result: r.result === null ? null : (JSON.parse(r.result) as Record<string, unknown>),
  };
}

export interface CommandQueueOptions {
  now?: () => number;
  defaultTtlMs?: number;
  redeliverAfterMs?: number;
}

type Waiter = () => void;

export class CommandQueue {
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly redeliverAfterMs: number;
  private readonly waiters = new Map<string, Set<Waiter>>();
  /**
   * Agents with a pending or delivered (unanswered) command. Every agent long-polls every 25 s
   * (400 polls a second from 10,000 agents) and almost never has a command: the others are answered
   * from this set without a SQLite transaction.
   */
  private readonly open = new Set<string>();

  constructor(
    private readonly db: SqliteDb,
    options: CommandQueueOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.ttlMs = options.defaultTtlMs ?? 3_600_000;
    this.redeliverAfterMs = options.redeliverAfterMs ?? 300_000;
    for (const r of db.prepare("SELECT DISTINCT agent_id FROM agent_commands WHERE status IN ('pending', 'delivered')").all() as Array<{ agent_id: string }>) this.open.add(r.agent_id);
  }

  /** Drops the agent from `open` once none of its commands awaits delivery or an answer. */
  private recheckOpen(agentId: string): void {
    if (this.db.prepare("SELECT 1 FROM agent_commands WHERE agent_id = ? AND status IN ('pending', 'delivered') LIMIT 1").get(agentId) === undefined) this.open.delete(agentId);
  }

  create(agent: { id: string; agency: string }, type: CommandType, args: Record<string, unknown>, createdBy: string, ttlMs = this.ttlMs): AgentCommand {
    const parsed = commandArgsSchemas[type].parse(args);
    const now = this.now();
    const row: CommandRow = {
      id: randomUUID(),
      agent_id: agent.id,
      agency: agent.agency,
      type,
      args: JSON.stringify(parsed),
      status: 'pending',
      created_by: createdBy,
      created_at: now,
      expires_at: now + ttlMs,
      delivered_at: null,
      completed_at: null,
      result: null,
    };
    this.db
      .prepare(
        'INSERT INTO agent_commands (id, agent_id, agency, type, args, status, created_by, created_at, expires_at) VALUES (@id, @agent_id, @agency, @type, @args, @status, @created_by, @created_at, @expires_at)',
      )
      .run(row);
    this.open.add(agent.id);
    const waiting = this.waiters.get(agent.id);
    if (waiting !== undefined) for (const wake of waiting) wake();
    return toCommand(row);
  }

  /** Commands to hand to the agent now; marks them delivered. */
  takeForAgent(agentId: string): AgentCommand[] {
    if (!this.open.has(agentId)) return [];
    const now = this.now();
    const taken = this.db.transaction(() => {
      this.db.prepare("UPDATE agent_commands SET status = 'expired', completed_at = ? WHERE agent_id = ? AND status IN ('pending', 'delivered') AND expires_at <= ?").run(now, agentId, now);
      const rows = this.db
        .prepare("SELECT * FROM agent_commands WHERE agent_id = ? AND (status = 'pending' OR (status = 'delivered' AND delivered_at <= ?)) ORDER BY created_at LIMIT 20")
        .all(agentId, now - this.redeliverAfterMs) as CommandRow[];
      const mark = this.db.prepare("UPDATE agent_commands SET status = 'delivered', delivered_at = ? WHERE id = ?");
      for (const r of rows) {
        mark.run(now, r.id);
        r.status = 'delivered';
        r.delivered_at = now;
      }
      return rows.map(toCommand);
    })();
    this.recheckOpen(agentId);
    return taken;
  }

  /** Resolves when a command for the agent may be waiting, or after `ms`. */
  waitFor(agentId: string, ms: number, signal: { aborted: boolean; onAbort(fn: () => void): void }): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(agentId);
      if (set === undefined) {
        set = new Set();
        this.waiters.set(agentId, set);
      }
      const waiters = set;
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0) this.waiters.delete(agentId);
        resolve();
      };
      const timer = setTimeout(done, ms);
      waiters.add(done);
      signal.onAbort(done);
    });
  }

  /** Wakes every long poll of the agent (revocation, shutdown). */
  wake(agentId?: string): void {
    const sets = agentId === undefined ? [...this.waiters.values()] : [this.waiters.get(agentId)];
    for (const set of sets) if (set !== undefined) for (const w of [...set]) w();
  }

  complete(agentId: string, id: string, ok: boolean, result: Record<string, unknown>): AgentCommand | undefined {
    const changes = this.db
      .prepare("UPDATE agent_commands SET status = ?, completed_at = ?, result = ? WHERE id = ? AND agent_id = ? AND status IN ('pending', 'delivered')")
      .run(ok ? 'succeeded' : 'failed', this.now(), JSON.stringify(result), id, agentId).changes;
    if (changes === 0) return undefined;
    this.recheckOpen(agentId);
    return this.get(id);
  }

  get(id: string): AgentCommand | undefined {
    const row = this.db.prepare('SELECT * FROM agent_commands WHERE id = ?').get(id) as CommandRow | undefined;
    return row === undefined ? undefined : toCommand(row);
  }

  listForAgent(agentId: string, limit: number): AgentCommand[] {
    return (this.db.prepare('SELECT * FROM agent_commands WHERE agent_id = ? ORDER BY created_at DESC LIMIT ?').all(agentId, limit) as CommandRow[]).map(toCommand);
  }
}
