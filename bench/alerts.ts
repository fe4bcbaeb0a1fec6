/**
 * Alerts through the triage path, as `socnoc start` wires it: detection hits → AlertStore.record
 * (deduplication) → incident grouping → playbook trigger matching (the shipped playbooks), in
 * batches as the detection engine reports them. Real SQLite files in a temporary folder. Prints
 * hits/s per stage and for the whole path; asserts nothing. `npm run bench:alerts` runs this, then
 * bench/intel.ts (matching cost per event field with 1,000,000 indicators).
 *   node dist/bench/alerts.js [hits] [distinct-attackers]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { EcsEvent } from '../core/event';
import { createLogger } from '../core/logger';
import { Metrics } from '../core/metrics';
import { openSqlite } from '../core/store/sqlite';
import { AlertStore, type AlertChange, type AlertHit } from '../correlation/alerts';
import { createIncidents, incidentsConfigSchema } from '../correlation/incidents';
import { actionRegistry } from '../playbooks/actions';
import { createEmailSender } from '../playbooks/actions/email-transport';
import { playbooksConfig, smtpConfigSchema } from '../playbooks/config';
import { builtinPlaybooksDir, loadPlaybooks } from '../playbooks/loader';
import { PlaybookRunner } from '../playbooks/runner';

const HITS = Number(process.argv[2] ?? 50_000);
const ATTACKERS = Number(process.argv[3] ?? 500);
const BATCH = 200;
const START = Date.UTC(2026, 10, 27, 1);

const RULES = [
  { id: 'bench-ssh-failure', name: 'SSH authentication failure', level: 'low' as const, tags: ['attack.credential-access', 'attack.t1110'] },
  { id: 'bench-ssh-brute', name: 'SSH brute force from one address', level: 'high' as const, tags: ['attack.credential-access', 'attack.t1110.001'] },
  { id: 'bench-web-scan', name: 'Web vulnerability scan', level: 'medium' as const, tags: ['attack.reconnaissance', 'attack.t1595'] },
];

function hit(i: number): AlertHit {
  const rule = RULES[i % RULES.length];
  const attacker = i % ATTACKERS;
  const ip = `198.51.${attacker >> 8}.${attacker & 255}`;
  const host = `srv-${attacker % 40}`;
  const time = START + i * 10;
  const event = {
    '@timestamp': new Date(time).toISOString(),
    event: { id: `bench-${i}`, dataset: 'linux.sshd', outcome: 'failure' },
    source: { ip },
    host: { name: host },
    user: { name: 'root' },
    organization: { id: `agency-${attacker % 20}` },
    message: `Failed password for root from ${ip} port ${40000 + (i % 20000)} ssh2`,
  } as unknown as EcsEvent;
  return {
    rule: { id: rule.id, name: rule.name, tags: rule.tags, level: rule.level, ruleset: 'socnoc' },
    mappings: { attack: { techniques: ['T1110'], tactics: ['credential-access'] }, compliance: { nist_csf: [], iso27001: [], decree85: [] } },
    organization: { id: `agency-${attacker % 20}` },
    time,
    group: { 'source.ip': ip },
    events: [event],
  };
}

function rate(n: number, ns: bigint): string {
  return Math.round(n / (Number(ns) / 1e9)).toLocaleString('en-US');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'socnoc-bench-alerts-'));
  const logger = createLogger('silent');
  const db = openSqlite(join(dir, 'alerts.db'));
  const alerts = new AlertStore(db, { dedupWindowMs: 3_600_000, maxSampleEvents: 5, maxEventIds: 50 });
  const incidents = createIncidents({ db, logger, metrics: new Metrics(), alerts }, incidentsConfigSchema.parse({}));
  const actions = actionRegistry();
  const config = playbooksConfig({ concurrency: 4, queueSize: 1_000_000 });
  const playbooksDb = openSqlite(join(dir, 'playbooks.db'));
  const runner = new PlaybookRunner(
    {
      db: playbooksDb,
      logger,
      registry: new Registry(),
      actions,
      services: { ports: { alerts }, config, smtp: smtpConfigSchema.parse({}), socEmail: [], agencyNames: new Map(), email: createEmailSender(smtpConfigSchema.parse({})), logger, now: Date.now },
    },
    config,
  );
  // Matching only (the runner is not started): what the bench measures is triggering, not running steps.
  runner.setPlaybooks(loadPlaybooks([{ path: builtinPlaybooksDir(), source: 'builtin' }], new Set(actions.keys())));

  const hits = Array.from({ length: HITS }, (_, i) => hit(i));
  let dedupNs = 0n;
  let groupNs = 0n;
  let triggerNs = 0n;
  let changes = 0;
  let created = 0;
  const t0 = process.hrtime.bigint();
  for (let b = 0; b < hits.length; b += BATCH) {
    const batch = hits.slice(b, b + BATCH);
    const a = process.hrtime.bigint();
    const changed: AlertChange[] = alerts.record(batch);
    const c = process.hrtime.bigint();
    incidents.onAlerts(changed);
    const d = process.hrtime.bigint();
    runner.onAlertChanges(changed, alerts);
    const e = process.hrtime.bigint();
    dedupNs += c - a;
    groupNs += d - c;
    triggerNs += e - d;
    changes += changed.length;
    created += changed.filter((x) => x.created).length;
  }
  const total = process.hrtime.bigint() - t0;
  const open = incidents.store.list({ limit: 1, offset: 0 }).total;
  console.log(`triage path: ${HITS.toLocaleString('en-US')} detection hits from ${ATTACKERS} attackers over ${RULES.length} rules, batches of ${BATCH}`);
  console.log(`  dedup (AlertStore.record):        ${rate(HITS, dedupNs)} hits/s → ${created.toLocaleString('en-US')} alerts created, ${(HITS - created).toLocaleString('en-US')} folded`);
  console.log(`  incident grouping:                ${rate(changes, groupNs)} alert changes/s → ${open.toLocaleString('en-US')} incidents`);
  console.log(`  playbook triggering (shipped):    ${rate(changes, triggerNs)} alert changes/s`);
  console.log(`  whole path:                       ${rate(HITS, total)} hits/s`);
  await incidents.stop();
  await runner.stop();
  db.close();
  playbooksDb.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
