/**
 * Test set-up with real parts: a SQLite file in a temp folder holding real alerts (AlertStore fed
 * with AlertHits built from the realistic events in events.jsonl) and the incidents tables.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EcsEvent } from '../../../core/event';
import { openSqlite, type SqliteDb } from '../../../core/store/sqlite';
import { AlertStore } from '../../alerts/store';
import type { AlertHit, AlertRule, AlertSeverity } from '../../alerts/types';
import { incidentsConfigSchema, type IncidentsConfig } from '../config';
import { IncidentGrouper } from '../grouper';
import { IncidentService } from '../service';
import { IncidentStore } from '../store';

export const EVENTS: EcsEvent[] = readFileSync(join(__dirname, 'events.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as EcsEvent);

export function eventsById(...ids: string[]): EcsEvent[] {
  return ids.map((id) => {
    const e = EVENTS.find((x) => x.event.id === id);
    if (e === undefined) throw new Error(`testdata: no event ${id}`);
    return e;
  });
}

function rule(id: string, name: string, level: AlertSeverity, tags: string[]): AlertRule {
  return { id, name, level, tags, ruleset: 'socnoc' };
}

export const RULES = {
  sshFailures: rule('3a1c9a1e-0001-4c1e-9d0e-ssh-bruteforce', 'SSH brute force: repeated failed passwords', 'high', ['attack.credential-access', 'attack.t1110.001']),
  sshSuccessAfterFailures: rule('3a1c9a1e-0002-4c1e-9d0e-ssh-success', 'Successful SSH login after brute force', 'critical', ['attack.initial-access', 'attack.t1078']),
  sshDeployLogin: rule('3a1c9a1e-0003-4c1e-9d0e-ssh-deploy', 'Interactive SSH login with a service account', 'medium', ['attack.lateral-movement', 'attack.t1021.004']),
  asaDenyTelnet: rule('3a1c9a1e-0004-4c1e-9d0e-asa-telnet', 'Inbound telnet denied at the firewall', 'low', ['attack.discovery', 'attack.t1046']),
  asaPortScan: rule('3a1c9a1e-0005-4c1e-9d0e-asa-scan', 'Port scan from one source (correlation)', 'medium', ['attack.discovery', 'attack.t1046']),
};

export function hit(r: AlertRule, events: EcsEvent[], group: Record<string, string>): AlertHit {
  const last = events[events.length - 1];
  return {
    rule: r,
    mappings: { attack: { techniques: [], tactics: [] }, compliance: { nist_csf: [], iso27001: [], decree85: [] } },
    organization: { id: last.organization!.id as string, name: last.organization!.name as string },
    time: Date.parse(last['@timestamp']),
    group,
    events,
  };
}

export interface Fixture {
  dir: string;
  file: string;
  db: SqliteDb;
  alerts: AlertStore;
  store: IncidentStore;
  service: IncidentService;
  grouper: IncidentGrouper;
  config: IncidentsConfig;
  clock: { now: number };
  /** Records hits as alerts and groups them; returns the alert ids in hit order. */
  raise(...hits: AlertHit[]): string[];
  reopen(): Fixture;
  close(): void;
}

export const START = Date.parse('2026-11-26T01:20:00.000Z');

export function createFixture(configInput: unknown = {}, existing?: { dir: string; clock: { now: number } }): Fixture {
  const dir = existing?.dir ?? mkdtempSync(join(tmpdir(), 'socnoc-incidents-'));
  const file = join(dir, 'alerts.db');
  const clock = existing?.clock ?? { now: START };
  const now = (): number => clock.now;
  const db = openSqlite(file);
  const config = incidentsConfigSchema.parse(configInput);
  const alerts = new AlertStore(db, { dedupWindowMs: 10 * 60_000, maxSampleEvents: 10, maxEventIds: 100, now });
  const store = new IncidentStore(db);
  const service = new IncidentService({ store, alerts, now }, config);
  const grouper = new IncidentGrouper(service, config);
  const fixture: Fixture = {
    dir,
    file,
    db,
    alerts,
    store,
    service,
    grouper,
    config,
    clock,
    raise(...hits) {
      const changes = alerts.record(hits);
      grouper.onAlerts(changes, alerts);
      return changes.map((c) => c.id);
    },
    reopen() {
      db.close();
      return createFixture(configInput, { dir, clock });
    },
    close() {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}
