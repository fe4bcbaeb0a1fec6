/**
 * The YARA rule set distributed to agents: every `.yar`/`.yara` file of one folder, re-read when a
 * file changes. Every heartbeat answer names the set's version, so the folder is looked at no more
 * than once per `recheckMs` (10,000 agents heartbeating every 30 s would otherwise list and stat it
 * 333 times a second).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface YaraRuleSet {
  /** SHA-256 over names and contents; agents recompile when it changes. */
  version: string;
  files: Array<{ name: string; source: string }>;
}

export class YaraRuleFolder {
  private stamp = '';
  private current: YaraRuleSet = { version: 'none', files: [] };
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly dir: string,
    private readonly recheckMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  get(): YaraRuleSet {
    const now = this.now();
    if (now - this.checkedAt < this.recheckMs) return this.current;
    this.checkedAt = now;
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => n.endsWith('.yar') || n.endsWith('.yara')).sort();
    } catch {
      names = [];
    }
    const stamp = names.map((n) => { const s = statSync(join(this.dir, n)); return `${n}:${s.mtimeMs}:${s.size}`; }).join('|');
    if (stamp !== this.stamp) {
      const files = names.map((name) => ({ name, source: readFileSync(join(this.dir, name), 'utf8') }));
      const hash = createHash('sha256');
      for (const f of files) hash.update(f.name).update('\0').update(f.source).update('\0');
      this.current = { version: files.length === 0 ? 'none' : hash.digest('hex').slice(0, 16), files };
      this.stamp = stamp;
    }
    return this.current;
  }
}
