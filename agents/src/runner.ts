/**
 * `socnoc-agent run`: ships the queue, follows the server's configuration (applied without restart
 * when the heartbeat answer shows a new version), runs the collectors, FIM, YARA and inventory on
 * their schedules, and executes response commands from a long poll.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { hostname, release } from 'node:os';
import { join } from 'node:path';
import { readAgentConfig, type AgentConfig } from './agent-config';
import { Backoff } from './backoff';
import { eventLine, type HostFields } from './collect/event-builder';
import { FileTailer } from './collect/file-tailer';
import { FileIntegrityMonitor } from './collect/fim';
import { clockOffsetMs, collectInventory } from './collect/inventory';
import { JournaldReader } from './collect/journald';
import { readIdentity, readJsonFile, writeFileAtomic, type Identity } from './home';
import { DiskQueue } from './queue/disk-queue';
import { executeCommand, type ServerCommand } from './respond/commands';
import { reapplyIsolation } from './respond/isolation-state';
import { QueueSender } from './sender';
import { AgentClient, HttpStatusError } from './transport';
import { AGENT_VERSION } from './version';
import { listFiles, yaraMatchEvent, YaraScanner } from './yara/scanner';

export type LogFn = (level: 'info' | 'warn' | 'error', msg: string) => void;

export const defaultLog: LogFn = (level, msg) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg })}\n`);

function sha256File(path: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const h = createHash('sha256');
    const s = createReadStream(path);
    s.on('data', (c) => h.update(c));
    s.on('end', () => resolve(h.digest('hex')));
    s.on('error', () => resolve(undefined));
  });
}

export class AgentRunner {
  private readonly identity: Identity;
  private readonly client: AgentClient;
  private readonly pollClient: AgentClient;
  private config: AgentConfig;
  private configVersion: string;
  private readonly queue: DiskQueue;
  private readonly sender: QueueSender;
  private readonly host: HostFields;
  private tailers: FileTailer[] = [];
  private journald: JournaldReader | undefined;
  private fim: FimHolder = {};
  private yara: YaraScanner | undefined;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private stopResolve: (() => void) | undefined;
  readonly done: Promise<'stopped' | 'revoked'>;
  private clockOffset: number | undefined;
  private revokedResolve: (() => void) | undefined;
  private wasRefused = false;

  constructor(
    private readonly home: string,
    private readonly log: LogFn = defaultLog,
    private readonly nftPrefix: readonly string[] = [],
  ) {
    const identity = readIdentity(home);
    if (identity === undefined) throw new Error(`${home}: not enrolled; run socnoc-agent enroll --server URL --token TOKEN`);
    this.identity = identity;
    const bearer = `${identity.agentId}.${identity.secret}`;
    this.client = new AgentClient(identity.server, identity.caCert, bearer);
    this.pollClient = new AgentClient(identity.server, identity.caCert, bearer);
    const cached = readJsonFile<{ version: string; config: unknown }>(join(home, 'config.json'));
    this.config = readAgentConfig(cached?.config);
    this.configVersion = cached?.version ?? 'none';
    this.host = { name: hostname(), hostname: hostname(), os: { kernel: release(), family: 'linux' } };
    this.queue = new DiskQueue({ dir: join(home, 'queue'), maxBytes: this.config.queue.maxBytes, segmentBytes: this.config.queue.segmentBytes });
    this.done = new Promise((resolve) => {
      this.stopResolve = () => resolve('stopped');
      this.revokedResolve = () => resolve('revoked');
    });
    this.sender = new QueueSender(this.queue, this.client, this.config.batch, (l, m) => this.log(l, m), (message) => this.refused(message));
  }

  async start(): Promise<void> {
    await this.restoreIsolation();
    this.sender.start();
    await this.refreshConfig().catch((err: unknown) => this.log('warn', `configuration not fetched, using the cached one: ${(err as Error).message}`));
    this.startCollection();
    this.every(() => this.config.heartbeatSeconds * 1000, () => this.heartbeat());
    this.heartbeat().catch((err: unknown) => this.log('warn', `heartbeat: ${(err as Error).message}`));
    void this.commandLoop();
  }

  /** An isolated host stays isolated across agent restarts and reboots until the server releases it. */
  private async restoreIsolation(): Promise<void> {
    try {
      const state = await reapplyIsolation(this.home, this.nftPrefix);
      if (state !== undefined) this.log('warn', `host isolation re-applied (since ${state.since}; only ${state.target.addresses.join(', ')} port ${state.target.port} reachable)`);
    } catch (err) {
      this.log('error', `host isolation could not be re-applied: ${(err as Error).message}`);
    }
  }

  /** Re-arms itself with the current interval, so a new configuration changes the pace. */
  private every(intervalMs: () => number, fn: () => Promise<void> | void): void {
    const tick = (): void => {
      if (this.stopped) return;
      const t = setTimeout(() => {
        Promise.resolve(fn())
          .catch((err: unknown) => this.log('warn', (err as Error).message))
          .finally(tick);
      }, intervalMs());
      this.timers.push(t);
    };
    tick();
  }

  private startCollection(): void {
    const c = this.config;
    this.tailers = c.files.map((f) => new FileTailer(f, this.queue, this.host));
    const tailTimer = setInterval(() => {
      for (const t of this.tailers) {
        try {
          t.poll();
        } catch (err) {
          this.log('warn', `tail: ${(err as Error).message}`);
        }
      }
    }, c.tailPollMs);
    this.collectionTimers.push(tailTimer);
    if (c.journald.enabled) {
      this.journald = new JournaldReader(this.queue, this.host, c.journald.matches, (m) => this.log('warn', m));
      this.journald.start();
    }
    if (c.fim.paths.length > 0) {
      const fim = new FileIntegrityMonitor(
        { paths: c.fim.paths, maxFileBytes: c.fim.maxFileBytes, watch: c.fim.watch, baselineFile: join(this.home, 'fim-baseline.json') },
        this.queue,
        this.host,
        (paths) => {
          if (this.config.yara.enabled && this.config.yara.onFimChange) void this.yaraScan(paths, 'fim-change').catch((err: unknown) => this.log('warn', `yara: ${(err as Error).message}`));
        },
        (m) => this.log('warn', m),
      );
      this.fim.monitor = fim;
      void fim.scan().catch((err: unknown) => this.log('warn', `fim: ${(err as Error).message}`));
      if (c.fim.scanIntervalSeconds > 0) this.collectionTimers.push(setInterval(() => void fim.scan().catch(() => undefined), c.fim.scanIntervalSeconds * 1000));
    }
    if (c.yara.enabled && c.yara.scheduleSeconds > 0 && c.yara.scanPaths.length > 0) {
      this.collectionTimers.push(setInterval(() => void this.yaraScan(undefined, 'schedule').catch(() => undefined), c.yara.scheduleSeconds * 1000));
    }
    if (c.inventory.intervalSeconds > 0) {
      void this.sendInventory();
      this.collectionTimers.push(setInterval(() => void this.sendInventory(), c.inventory.intervalSeconds * 1000));
    }
  }

  private collectionTimers: NodeJS.Timeout[] = [];

  private stopCollection(): void {
    for (const t of this.collectionTimers) clearInterval(t);
    this.collectionTimers = [];
    for (const t of this.tailers) {
      try {
        t.poll();
      } catch {
        // stopping anyway
      }
      t.close();
    }
    this.tailers = [];
    this.journald?.stop();
    this.journald = undefined;
    this.fim.monitor?.close();
    this.fim.monitor = undefined;
  }

  async restartCollection(): Promise<void> {
    this.stopCollection();
    this.startCollection();
  }

  private async refreshConfig(): Promise<void> {
    const got = await this.client.json<{ version: string; config: unknown }>({ method: 'GET', path: '/agent/v1/config' });
    if (got.version === this.configVersion && this.collectionTimers.length > 0) return;
    writeFileAtomic(join(this.home, 'config.json'), JSON.stringify(got));
    const changed = got.version !== this.configVersion;
    this.config = readAgentConfig(got.config);
    this.configVersion = got.version;
    this.sender.setLimits(this.config.batch);
    if (changed && this.collectionTimers.length > 0) {
      this.log('info', `configuration ${got.version} applied`);
      await this.restartCollection();
    }
  }

  private async refreshRules(version: string): Promise<void> {
    if (!this.config.yara.enabled) return;
    if (this.yara !== undefined && this.yara.version === version) return;
    const set = await this.client.json<{ version: string; files: Array<{ name: string; source: string }> }>({ method: 'GET', path: '/agent/v1/yara-rules' });
    if (this.yara === undefined) this.yara = new YaraScanner();
    const warnings = await this.yara.load(set.version, set.files);
    this.log('info', `YARA rule set ${set.version} loaded (${set.files.length} files${warnings.length > 0 ? `, ${warnings.length} warnings` : ''})`);
  }

  /** Scans and queues one event per match; returns counts for commands. */
  async yaraScan(paths: string[] | undefined, trigger: string): Promise<{ files: number; matches: number; results: Array<{ path: string; rules: string[] }> }> {
    if (this.yara === undefined || !this.yara.ready) return { files: 0, matches: 0, results: [] };
    const files = paths !== undefined ? listFiles(paths) : listFiles(this.config.yara.scanPaths);
    const results = await this.yara.scan(files, this.config.yara.maxFileBytes);
    const lines: string[] = [];
    const out: Array<{ path: string; rules: string[] }> = [];
    for (const r of results) {
      if (r.matches.length === 0) continue;
      const sha = await sha256File(r.path);
      out.push({ path: r.path, rules: r.matches.map((m) => m.rule) });
      for (const m of r.matches) lines.push(eventLine(yaraMatchEvent(r.path, sha, m, this.yara.version, trigger), this.host));
    }
    if (lines.length > 0) this.queue.append(lines);
    return { files: files.length, matches: lines.length, results: out };
  }

  private async sendInventory(): Promise<void> {
    try {
      const inv = await collectInventory(this.clockOffset);
      await this.client.json({ method: 'POST', path: '/agent/v1/inventory', body: inv, gzip: true });
    } catch (err) {
      this.log('warn', `inventory not sent: ${(err as Error).message}`);
    }
  }

  private async heartbeat(): Promise<void> {
    const q = this.queue.stats();
    const body = {
      hostname: this.host.hostname,
      version: AGENT_VERSION,
      config_version: this.configVersion,
      rules_version: this.yara?.version ?? 'none',
      stats: {
        queue_pending_bytes: q.pendingBytes,
        queue_segments: q.segments,
        queue_dropped_events: q.droppedEvents,
        queue_dropped_segments: q.droppedSegments,
        sent_events: this.sender.stats.sentEvents,
        send_failures: this.sender.stats.failedAttempts,
      },
    };
    const sentAt = Date.now();
    try {
      const reply = await this.client.send({ method: 'POST', path: '/agent/v1/heartbeat', body });
      const receivedAt = Date.now();
      if (reply.status === 401 || reply.status === 403) {
        this.refused(`heartbeat refused: HTTP ${reply.status}: ${reply.body.toString('utf8').slice(0, 200)}`);
        return;
      }
      if (reply.status !== 200) throw new Error(`heartbeat: HTTP ${reply.status}`);
      const date = reply.headers.date;
      if (typeof date === 'string') this.clockOffset = clockOffsetMs(date, sentAt, receivedAt);
      const hb = JSON.parse(reply.body.toString('utf8')) as { config_version: string; rules_version: string };
      if (hb.config_version !== this.configVersion) await this.refreshConfig();
      if (hb.rules_version !== 'none') await this.refreshRules(hb.rules_version);
      this.writeStatus({ state: 'running', last_heartbeat: new Date().toISOString(), config_version: this.configVersion, queue: q, sender: this.sender.stats });
    } catch (err) {
      this.writeStatus({ state: 'disconnected', message: (err as Error).message, queue: q, sender: this.sender.stats });
      throw err;
    }
  }

  private async commandLoop(): Promise<void> {
    const backoff = new Backoff(1000, 60_000);
    while (!this.stopped) {
      try {
        const got = await this.pollClient.json<{ commands: ServerCommand[] }>({ method: 'GET', path: '/agent/v1/commands?wait=25', timeoutMs: 40_000 });
        backoff.reset();
        for (const cmd of got.commands) await this.runCommand(cmd);
      } catch (err) {
        if (this.stopped) return;
        if (err instanceof HttpStatusError && (err.status === 401 || err.status === 403)) return;
        await new Promise((r) => setTimeout(r, backoff.next()));
      }
    }
  }

  private async runCommand(cmd: ServerCommand): Promise<void> {
    let ok = true;
    let result: Record<string, unknown>;
    try {
      result = await executeCommand(cmd, {
        serverUrl: this.identity.server,
        home: this.home,
        nftPrefix: this.nftPrefix,
        yaraScan: async (paths, trigger) => {
          if (this.yara === undefined) await this.refreshRules('latest');
          return this.yaraScan(paths, trigger);
        },
        restartCollection: () => this.restartCollection(),
      });
    } catch (err) {
      ok = false;
      result = { error: (err as Error).message };
    }
    this.log(ok ? 'info' : 'warn', `command ${cmd.id} ${cmd.type}: ${ok ? 'done' : String(result.error)}`);
    await this.client.json({ method: 'POST', path: `/agent/v1/commands/${cmd.id}/result`, body: { ok, result }, gzip: true });
  }

  /** The server no longer knows or accepts this agent (revoked): stop, keeping the queue for forensics. */
  private refused(message: string): void {
    if (this.stopped) return;
    this.log('error', message);
    this.writeStatus({ state: 'revoked', message });
    this.wasRefused = true;
    void this.stop();
  }

  private writeStatus(status: Record<string, unknown>): void {
    try {
      writeFileAtomic(join(this.home, 'status.json'), JSON.stringify({ ...status, agent_id: this.identity.agentId, server: this.identity.server, pid: process.pid, at: new Date().toISOString() }, null, 2), 0o644);
    } catch {
      // status is informational
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.stopCollection();
    await this.sender.stop();
    await this.yara?.close();
    this.client.close();
    this.pollClient.close();
    this.queue.close();
    if (this.wasRefused) this.revokedResolve?.();
    else this.stopResolve?.();
  }
}

interface FimHolder {
  monitor?: FileIntegrityMonitor;
}
