/** The agent side of the YARA worker: compile once per rule-set version, scan lists of files. */
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { YaraFileResult, YaraReply, YaraRequest, YaraRuleFile } from './protocol';

type Body = { op: 'compile'; files: YaraRuleFile[] } | { op: 'scan'; paths: string[]; maxFileBytes: number };

export class YaraScanner {
  private readonly worker: Worker;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (r: YaraReply & { ok: true }) => void; reject: (e: Error) => void }>();
  version = 'none';
  private compiled = false;

  constructor(workerFile = join(__dirname, 'worker.js')) {
    if (!existsSync(workerFile)) throw new Error(`YARA worker ${workerFile} missing: build the agent (npm run build in agents/)`);
    this.worker = new Worker(workerFile);
    this.worker.unref();
    this.worker.on('message', (r: YaraReply) => {
      const p = this.pending.get(r.seq);
      if (p === undefined) return;
      this.pending.delete(r.seq);
      if (this.pending.size === 0) this.worker.unref();
      if (r.ok) p.resolve(r);
      else p.reject(new Error(r.error));
    });
    this.worker.on('error', (err) => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
  }

  private call(body: Body): Promise<YaraReply & { ok: true }> {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...body, seq } as YaraRequest);
    });
  }

  async load(version: string, files: YaraRuleFile[]): Promise<string[]> {
    const reply = await this.call({ op: 'compile', files });
    this.version = version;
    this.compiled = files.length > 0;
    return reply.warnings ?? [];
  }

  get ready(): boolean {
    return this.compiled;
  }

  async scan(paths: string[], maxFileBytes: number): Promise<YaraFileResult[]> {
    if (!this.compiled) return [];
    const reply = await this.call({ op: 'scan', paths, maxFileBytes });
    return reply.results ?? [];
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** Regular files under the paths (no symlinks followed), for scheduled and commanded scans. */
export function listFiles(roots: readonly string[], limit = 1_000_000): string[] {
  const out: string[] = [];
  const walk = (p: string, depth: number): void => {
    if (out.length >= limit || depth > 32) return;
    let st;
    try {
      st = lstatSync(p);
    } catch {
      return;
    }
    if (st.isFile()) out.push(p);
    else if (st.isDirectory()) {
      let names: string[];
      try {
        names = readdirSync(p).sort();
      } catch {
        return;
      }
      for (const n of names) walk(join(p, n), depth + 1);
    }
  };
  for (const r of roots) walk(r, 0);
  return out;
}

/** A match as an ECS alert-kind event body. */
export function yaraMatchEvent(path: string, sha256: string | undefined, m: { rule: string; namespace: string; tags: string[]; meta: Record<string, unknown> }, ruleset: string, trigger: string): Record<string, unknown> {
  const description = typeof m.meta.description === 'string' ? m.meta.description : undefined;
  return {
    message: `YARA rule ${m.rule} matched ${path}`,
    event: { kind: 'alert', category: ['malware', 'file'], type: ['info'], action: 'yara-match', dataset: 'agent.yara', severity: 8, reason: trigger },
    rule: { name: m.rule, ruleset, category: m.namespace, ...(description !== undefined ? { description } : {}) },
    file: { path, ...(sha256 !== undefined ? { hash: { sha256 } } : {}) },
    tags: m.tags.length > 0 ? m.tags : undefined,
    yara: { meta: m.meta, trigger },
  };
}
