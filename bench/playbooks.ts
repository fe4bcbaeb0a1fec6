/**
 * Playbook triggering throughput: alerts/s through trigger matching against the shipped playbooks
 * (no match), and runs/s of a one-step playbook with a no-op action, each run and step persisted
 * in SQLite (WAL) as in production. Prints figures; asserts nothing.
 *   npm run build && node dist/bench/playbooks.js [alerts]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { createLogger } from '../core/logger';
import { openSqlite } from '../core/store/sqlite';
import type { Alert } from '../correlation/alerts/types';
import { actionRegistry } from '../playbooks/actions';
import { createEmailSender } from '../playbooks/actions/email-transport';
import { defineAction } from '../playbooks/actions/types';
import { playbooksConfig, smtpConfigSchema } from '../playbooks/config';
import { builtinPlaybooksDir, loadPlaybooks, parsePlaybookText } from '../playbooks/loader';
import { PlaybookRunner } from '../playbooks/runner';

const N = Number(process.argv[2] ?? 20_000);

const noop = defineAction({ name: 'bench.noop', description: 'does nothing', params: z.object({ ip: z.string() }), run: async () => ({ output: null }), simulate: () => null });

function alert(i: number, ruleId: string): Alert {
  const ip = `198.51.${(i >> 8) & 255}.${i & 255}`;
  return {
    id: `bench-${i}`,
    status: 'new',
    severity: 'high',
    rule: { id: ruleId, name: 'Bench rule', tags: ['attack.t1110'], level: 'high', ruleset: 'socnoc' },
    mappings: { attack: { techniques: ['T1110'], tactics: ['credential-access'] }, compliance: { nist_csf: [], iso27001: [], decree85: [] } },
    organization: { id: 'hanoi-doh' },
    first_seen: '2026-11-27T04:00:00.000Z',
    last_seen: '2026-11-27T04:05:00.000Z',
    count: 1,
    group_key: `source.ip="${ip}"`,
    group: { 'source.ip': ip },
    event_ids: [],
    events: [],
    assignee: null,
    updated_by: null,
    created_at: '2026-11-27T04:05:01.000Z',
    updated_at: '2026-11-27T04:05:01.000Z',
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'socnoc-bench-playbooks-'));
  const logger = createLogger('silent');
  const actions = actionRegistry([noop]);
  const config = playbooksConfig({ concurrency: 4, queueSize: 1_000_000 });
  const db = openSqlite(join(dir, 'playbooks.db'));
  const runner = new PlaybookRunner(
    {
      db,
      logger,
      registry: new Registry(),
      actions,
      services: { ports: {}, config, smtp: smtpConfigSchema.parse({}), socEmail: [], agencyNames: new Map(), email: createEmailSender(smtpConfigSchema.parse({})), logger, now: Date.now },
    },
    config,
  );
  try {
    // 1. Matching only: the shipped playbooks against alerts none of them handles.
    const shipped = loadPlaybooks([{ path: builtinPlaybooksDir(), source: 'builtin' }], new Set(actions.keys()));
    runner.setPlaybooks(shipped);
    const misses = Array.from({ length: N }, (_, i) => alert(i, 'no-such-rule'));
    let t0 = process.hrtime.bigint();
    for (const a of misses) runner.onAlert(a);
    let s = Number(process.hrtime.bigint() - t0) / 1e9;
    console.log(`trigger matching (${shipped.playbooks.length} playbooks, no match): ${Math.round(N / s).toLocaleString('en-US')} alerts/s`);

    // 2. Matching, persisting and executing a one-step run per alert.
    const bench = parsePlaybookText('id: bench\nname: bench\ntrigger: { rules: ["bench-*"] }\nsteps:\n  - id: noop\n    action: bench.noop\n    with: { ip: "{{ alert.group[\'source.ip\'] }}" }\n', 'bench.yaml', 'bench', new Set(actions.keys()));
    runner.setPlaybooks({ playbooks: bench.playbooks, errors: [], files: 1 });
    const hits = Array.from({ length: N }, (_, i) => alert(i, `bench-rule`));
    t0 = process.hrtime.bigint();
    // The detection engine reports alert changes in batches; 100 per call here.
    for (let i = 0; i < hits.length; i += 100) runner.onAlerts(hits.slice(i, i + 100));
    const queued = Number(process.hrtime.bigint() - t0) / 1e9;
    await runner.whenIdle();
    s = Number(process.hrtime.bigint() - t0) / 1e9;
    const done = runner.store.search({ statuses: ['succeeded'], limit: 1, offset: 0 }).total;
    console.log(`triggering (match + run row): ${Math.round(N / queued).toLocaleString('en-US')} alerts/s`);
    console.log(`runs completed: ${done.toLocaleString('en-US')} of ${N.toLocaleString('en-US')} in ${s.toFixed(2)} s = ${Math.round(done / s).toLocaleString('en-US')} runs/s (one no-op step each, persisted)`);
  } finally {
    await runner.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
