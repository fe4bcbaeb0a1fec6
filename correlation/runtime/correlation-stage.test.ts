import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessBus } from '../../core/bus';
import type { EcsEvent } from '../../core/event';
import { createLogger } from '../../core/logger';
import { Metrics } from '../../core/metrics';
import { openSqlite, type SqliteDb } from '../../core/store/sqlite';
import { correlationConfigSchema } from '../config';
import { sigmaCorrelationStage } from './correlation-stage';
import { createDetectionEngine, type DetectionEngine } from './engine';

const EVENTS: EcsEvent[] = readFileSync(join(__dirname, '..', 'testdata', 'events.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as EcsEvent);
const pick = (...ids: string[]): EcsEvent[] => ids.map((id) => structuredClone(EVENTS.find((e) => e.event.id === id)!));

const RULES = `title: Inbound connection denied to an administrative port
id: 6f1e2d3c-0001-4a4b-9c9d-000000000001
name: admin_port_denied
logsource:
  category: firewall
detection:
  selection:
    action: firewall-rule
    dst_port: [22, 23, 445, 3389, 5900]
  condition: selection
level: low
---
title: Administrative ports probed by one source
id: 6f1e2d3c-0004-4a4b-9c9d-000000000004
correlation:
  type: event_count
  rules:
    - admin_port_denied
  group-by:
    - src_ip
  timespan: 5m
  condition:
    gte: 3
level: high
tags:
  - attack.discovery
  - attack.t1046
socnoc:
  nist_csf: [DE.CM-01]
  iso27001: [A.8.16]
  decree85: [TCVN11930-7.2.4]
`;

describe('sigma correlation stage', () => {
  let dir: string;
  let db: SqliteDb;
  let bus: InProcessBus;
  let engine: DetectionEngine;

  async function start(): Promise<void> {
    const logger = createLogger('silent');
    const config = correlationConfigSchema.parse({ sigma: { includeBuiltin: false, paths: [{ path: dir, ruleset: 'test-pack' }], watch: false } });
    engine = createDetectionEngine({ bus, db, metrics: new Metrics({ defaultMetrics: false }), logger }, config);
    engine.addStage(sigmaCorrelationStage({ logger, stateDb: db }));
    await engine.start();
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-corr-'));
    writeFileSync(join(dir, 'admin_port_scan.yml'), RULES);
    db = openSqlite(':memory:');
    bus = new InProcessBus();
  });
  afterEach(async () => {
    await engine.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('raises the correlation (not the rule it hides) once per source and agency, with the group and the events', async () => {
    await start();
    await bus.publish('events', pick('evt-001', 'evt-002', 'evt-003', 'evt-004', 'evt-005', 'evt-011'));
    const alerts = engine.alerts.search({ limit: 10 }).alerts;
    expect(alerts).toHaveLength(1);
    const [a] = alerts;
    expect(a).toMatchObject({
      severity: 'high',
      rule: { id: '6f1e2d3c-0004-4a4b-9c9d-000000000004', name: 'Administrative ports probed by one source', ruleset: 'test-pack' },
      organization: { id: 'hanoi-doh' },
      group: { src_ip: '203.0.113.45' },
      group_key: 'src_ip="203.0.113.45"',
      first_seen: '2025-03-01T01:05:14.000Z',
      last_seen: '2025-03-01T01:05:14.000Z',
    });
    expect(a.mappings.compliance.iso27001).toEqual(['A.8.16']);
    expect(a.event_ids).toEqual(['evt-001', 'evt-002', 'evt-003']);
  });

  it('keeps half-filled windows across a restart', async () => {
    await start();
    await bus.publish('events', pick('evt-001', 'evt-002'));
    expect(engine.alerts.search({ limit: 10 }).total).toBe(0);
    await engine.stop();
    await start();
    await bus.publish('events', pick('evt-003'));
    expect(engine.alerts.search({ limit: 10 }).alerts.map((a) => a.event_ids)).toEqual([['evt-001', 'evt-002', 'evt-003']]);
  });
});
