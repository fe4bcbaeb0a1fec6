/**
 * The capability behind the real detection engine: socnoc's own Sigma pack (sshd rules and the
 * failures-then-success correlation) over the sshd events in testdata, alerts handed to the
 * incidents through DetectionEngine.onAlerts as app/ wires it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { InProcessBus } from '../../core/bus';
import { createLogger } from '../../core/logger';
import { Metrics } from '../../core/metrics';
import { openSqlite, type SqliteDb } from '../../core/store/sqlite';
import { correlationConfigSchema } from '../config';
import { createDetectionEngine, sigmaCorrelationStage, type DetectionEngine } from '../runtime';
import { incidentsConfigSchema } from './config';
import { createIncidents, type Incidents } from './index';
import { EVENTS } from './testdata/fixtures';

describe('incidents wired to the detection engine', () => {
  let dir: string;
  let db: SqliteDb;
  let engine: DetectionEngine;
  let incidents: Incidents;
  const metrics = new Metrics({ defaultMetrics: false });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-incidents-wiring-'));
    db = openSqlite(join(dir, 'alerts.db'));
    const logger = createLogger('error', new Writable({ write: (_c, _e, done) => done() }));
    const bus = new InProcessBus();
    engine = createDetectionEngine({ bus, db, logger, metrics, now: () => Date.parse('2026-11-26T03:00:00Z') }, correlationConfigSchema.parse({ sigma: { watch: false } }));
    engine.addStage(sigmaCorrelationStage({ logger, stateDb: db }));
    incidents = createIncidents({ db, logger, metrics, alerts: engine.alerts, now: () => Date.parse('2026-11-26T03:00:00Z') }, incidentsConfigSchema.parse({}));
    engine.onAlerts((changes) => incidents.onAlerts(changes));
    await engine.start();
    // Events before the window test's two-days-later one.
    await bus.publish('events', EVENTS.filter((e) => e['@timestamp'] < '2026-11-27'));
    await engine.idle();
  });

  afterAll(async () => {
    await incidents.stop();
    await engine.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('groups the Hanoi attack into one incident opened by the correlation, and keeps Da Nang apart', () => {
    const all = engine.alerts.search({ limit: 100 }).alerts;
    const page = incidents.service.list({ limit: 10, offset: 0 });
    const hanoi = page.incidents.filter((i) => i.organization.id === 'hanoi-doh');
    expect(hanoi).toHaveLength(1);
    const incident = hanoi[0];
    const names = incident.alert_ids.map((id) => all.find((a) => a.id === id)!.rule.name);
    expect(names).toContain('SSH Login After Repeated Failures From the Same Address');
    // Every Hanoi sshd alert about the attacker joined; none of Da Nang's did.
    for (const a of all) {
      if (a.organization.id === 'danang-dof') expect(incident.alert_ids).not.toContain(a.id);
      if (a.organization.id === 'hanoi-doh' && a.events.some((e) => e.source?.ip === '203.0.113.45')) expect(incident.alert_ids).toContain(a.id);
    }
    expect(incident.severity).toBe('high');
    expect(incident.category).toBe('intrusion');
    const danangAlerts = all.filter((a) => a.organization.id === 'danang-dof');
    expect(danangAlerts.length).toBeGreaterThan(0);
    // Da Nang's login from the same attacker address opened Da Nang's own incident.
    const danang = page.incidents.filter((i) => i.organization.id === 'danang-dof');
    expect(danang).toHaveLength(1);
    expect(danang[0].alert_ids.sort()).toEqual(danangAlerts.map((a) => a.id).sort());
    expect(danang[0].entities).toContainEqual({ kind: 'source.ip', value: '203.0.113.45' });
  });

  it('counts what it did in /metrics', async () => {
    const text = await metrics.registry.metrics();
    expect(text).toContain('socnoc_incidents_created_total{source="grouping"} 2');
    expect(text).toMatch(/socnoc_incidents_alerts_grouped_total\{result="joined"\} [1-9]/);
  });
});
