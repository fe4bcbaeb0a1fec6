import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { InProcessBus } from '../../core/bus';
import type { EcsEvent } from '../../core/event';
import { createLogger } from '../../core/logger';
import { Metrics } from '../../core/metrics';
import { openSqlite, type SqliteDb } from '../../core/store/sqlite';
import { registerAlertMetrics } from '../alerts/metrics';
import { correlationConfigSchema, type CorrelationConfig } from '../config';
import * as sigmaLoad from '../sigma/load';
import { createDetectionEngine, type DetectionEngine } from './engine';
import type { DetectionHit, RuleLoadInfo } from './types';

const EVENTS: EcsEvent[] = readFileSync(join(__dirname, '..', 'testdata', 'events.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as EcsEvent);
const pick = (...ids: string[]): EcsEvent[] => ids.map((id) => structuredClone(EVENTS.find((e) => e.event.id === id)!));

const DENY_RULE = `title: Inbound connection denied to an administrative port
id: 6f1e2d3c-0001-4a4b-9c9d-000000000001
status: experimental
description: A firewall denied a connection to SSH, Telnet, SMB, RDP or VNC.
logsource:
  category: firewall
detection:
  selection:
    action: firewall-rule
    event.outcome: failure
    dst_port: [22, 23, 445, 3389, 5900]
  condition: selection
level: low
tags:
  - attack.discovery
  - attack.t1046
socnoc:
  nist_csf: [DE.CM-01]
  iso27001: [A.8.20]
  decree85: [TCVN11930-7.2.4]
`;

const TRAVERSAL_RULE = (level: string): string => `title: Path traversal in a web request
id: 6f1e2d3c-0002-4a4b-9c9d-000000000002
status: experimental
logsource:
  category: webserver
detection:
  selection:
    cs-uri-query|contains:
      - '../'
      - '..%2f'
  condition: selection
level: ${level}
tags:
  - attack.initial-access
  - attack.t1190
`;

const ASA_CONFIG_RULE = `title: Cisco ASA configuration changed from the CLI
id: 6f1e2d3c-0003-4a4b-9c9d-000000000003
logsource:
  product: cisco
detection:
  selection:
    event.code: ['111008', '111010']
  condition: selection
level: medium
tags:
  - attack.t1562.004
`;

const BROKEN_TRAVERSAL_RULE = `title: Path traversal in a web request
id: 6f1e2d3c-0002-4a4b-9c9d-000000000002
logsource:
  category: webserver
detection:
  selection:
    cs-uri-query|containz: '../'
  condition: selection
level: high
`;

function config(dir: string, extra: Partial<CorrelationConfig['sigma']> = {}): CorrelationConfig {
  return correlationConfigSchema.parse({ sigma: { includeBuiltin: false, paths: [{ path: dir, ruleset: 'test-pack' }], reloadDebounceMs: 50, ...extra } });
}

describe('detection engine', () => {
  let dir: string;
  let db: SqliteDb;
  let bus: InProcessBus;
  let metrics: Metrics;
  let engine: DetectionEngine;
  let logLines: string[];

  async function startEngine(cfg: CorrelationConfig): Promise<void> {
    logLines = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(...chunk.toString().split('\n').filter((l) => l !== ''));
        done();
      },
    });
    engine = createDetectionEngine({ bus, db, metrics, logger: createLogger('info', sink) }, cfg);
    await engine.start();
  }

  function nextReload(): Promise<RuleLoadInfo> {
    return new Promise((resolve) => engine.onReload(resolve));
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-rules-'));
    writeFileSync(join(dir, 'firewall_deny_admin_port.yml'), DENY_RULE);
    writeFileSync(join(dir, 'web_path_traversal.yml'), TRAVERSAL_RULE('high'));
    db = openSqlite(':memory:');
    bus = new InProcessBus();
    metrics = new Metrics({ defaultMetrics: false });
  });
  afterEach(async () => {
    await engine.stop();
    await bus.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('raises deduplicated alerts from published batches, acknowledging only after they are stored', async () => {
    await startEngine(config(dir));
    expect(engine.loadInfo()).toMatchObject({ files: 2, rules: 2, enabledRules: 2, errors: 0 });
    await bus.publish('events', pick('evt-001', 'evt-002', 'evt-003', 'evt-004', 'evt-005', 'evt-006', 'evt-007'));
    await bus.publish('events', pick('evt-008', 'evt-009', 'evt-010', 'evt-011'));
    // publish resolved: every group acknowledged, so the alerts are already readable.
    const alerts = engine.alerts.search({ limit: 100 }).alerts;
    const summary = alerts.map((a) => [a.rule.name, a.organization.id, a.group_key, a.count, a.event_ids.join(',')]).sort();
    expect(summary).toEqual([
      ['Inbound connection denied to an administrative port', 'danang-dof', 'source.ip="203.0.113.45"', 1, 'evt-005'],
      ['Inbound connection denied to an administrative port', 'hanoi-doh', 'source.ip="198.51.100.23"', 1, 'evt-004'],
      // evt-011 comes 30 minutes after evt-003: outside the 10-minute window, a second alert.
      ['Inbound connection denied to an administrative port', 'hanoi-doh', 'source.ip="203.0.113.45"', 1, 'evt-011'],
      ['Inbound connection denied to an administrative port', 'hanoi-doh', 'source.ip="203.0.113.45"', 3, 'evt-001,evt-002,evt-003'],
      ['Path traversal in a web request', 'hanoi-doh', 'source.ip="203.0.113.45"', 2, 'evt-008,evt-009'],
    ]);
    const web = alerts.find((a) => a.rule.name.startsWith('Path'))!;
    expect(web).toMatchObject({ severity: 'high', status: 'new', rule: { ruleset: 'test-pack', id: '6f1e2d3c-0002-4a4b-9c9d-000000000002' } });
    expect(web.mappings.attack).toEqual({ techniques: ['T1190'], tactics: ['initial-access'] });
    const deny = alerts.find((a) => a.count === 3)!;
    expect(deny.mappings.compliance).toEqual({ nist_csf: ['DE.CM-01'], iso27001: ['A.8.20'], decree85: ['TCVN11930-7.2.4'] });

    registerAlertMetrics(metrics, engine.alerts, { agencies: ['hanoi-doh'] });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^socnoc_detection_events_total 11$/m);
    expect(text).toMatch(/^socnoc_detection_rule_matches_total 8$/m);
    // By severity and agency; danang-dof is not a configured agency here, so it counts as "other".
    expect(text).toMatch(/^socnoc_alerts_created_total\{severity="low",agency="hanoi-doh"\} 3$/m);
    expect(text).toMatch(/^socnoc_alerts_created_total\{severity="low",agency="other"\} 1$/m);
    expect(text).toMatch(/^socnoc_alerts_created_total\{severity="high",agency="hanoi-doh"\} 1$/m);
    expect(text).toMatch(/^socnoc_alerts_updated_total 3$/m);
    expect(text).toMatch(/^socnoc_rules_enabled 2$/m);
    expect(text).toMatch(/^socnoc_rule_load_errors 0$/m);
  });

  it('skips only the event the matcher fails on when a batch is matched grouped by logsource', async () => {
    await startEngine(config(dir));
    const batch = pick('evt-001', 'evt-008', 'evt-004', 'evt-009', 'evt-005');
    // evt-004's dataset cannot be read: routing it throws.
    Object.defineProperty(batch[2].event, 'dataset', {
      enumerable: true,
      get(): string {
        throw new Error('unreadable dataset');
      },
    });
    await bus.publish('events', batch);
    const ids = engine.alerts
      .search({ limit: 100 })
      .alerts.flatMap((a) => a.event_ids)
      .sort();
    expect(ids).toEqual(['evt-001', 'evt-005', 'evt-008', 'evt-009']);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^socnoc_detection_errors_total 1$/m);
    expect(text).toMatch(/^socnoc_detection_events_total 5$/m);
  });

  it('reloads on change: a new rule runs, a broken edit keeps the last good version and reports the error', async () => {
    await startEngine(config(dir));
    let reloaded = nextReload();
    writeFileSync(join(dir, 'asa_config_change.yml'), ASA_CONFIG_RULE);
    expect(await reloaded).toMatchObject({ rules: 3, errors: 0, reloads: 1 });
    await bus.publish('events', pick('evt-006', 'evt-007'));
    const config1 = engine.alerts.search({ limit: 10 }).alerts;
    expect(config1.map((a) => [a.rule.name, a.count])).toEqual([['Cisco ASA configuration changed from the CLI', 2]]);

    reloaded = nextReload();
    writeFileSync(join(dir, 'web_path_traversal.yml'), BROKEN_TRAVERSAL_RULE);
    expect(await reloaded).toMatchObject({ rules: 3, errors: 1, reloads: 2 });
    const [error] = engine.loadErrors();
    expect(error).toMatchObject({ line: 7, kind: 'modifier', document: 'Path traversal in a web request', ruleset: 'test-pack', previousKept: true });
    expect(error.file).toBe(join(dir, 'web_path_traversal.yml'));
    expect(error.reason).toMatch(/containz/);
    expect(engine.rules().find((r) => r.title.startsWith('Path'))).toMatchObject({ enabled: true, previousVersion: true });
    expect(logLines.some((l) => l.includes('rule rejected') && l.includes('web_path_traversal.yml:7'))).toBe(true);
    // The previous version still detects.
    await bus.publish('events', pick('evt-008'));
    expect(engine.alerts.search({ limit: 10, severities: ['high'] }).alerts.map((a) => a.count)).toEqual([1]);

    // Fixed: the new version replaces it.
    reloaded = nextReload();
    writeFileSync(join(dir, 'web_path_traversal.yml'), TRAVERSAL_RULE('critical'));
    expect(await reloaded).toMatchObject({ rules: 3, errors: 0 });
    expect(engine.rules().find((r) => r.title.startsWith('Path'))).toMatchObject({ level: 'critical', previousVersion: false });
    // Same source: folds into the open alert (whose severity stays as raised); another source: a critical alert.
    const [fromOther] = pick('evt-009');
    fromOther.source = { ip: '198.51.100.77' };
    await bus.publish('events', [...pick('evt-009'), fromOther]);
    expect(engine.alerts.search({ limit: 10, severities: ['high'] }).alerts.map((a) => a.event_ids)).toEqual([['evt-008', 'evt-009']]);
    expect(engine.alerts.search({ limit: 10, severities: ['critical'] }).alerts.map((a) => a.group_key)).toEqual(['source.ip="198.51.100.77"']);

    // Deleted: gone.
    reloaded = nextReload();
    unlinkSync(join(dir, 'web_path_traversal.yml'));
    expect(await reloaded).toMatchObject({ rules: 2, errors: 0 });
    expect(engine.ruleSet().rules.map((r) => r.title).sort()).toEqual(['Cisco ASA configuration changed from the CLI', 'Inbound connection denied to an administrative port']);
  });

  it('reports a rule that never loaded without keeping anything, and lists disabled rules without running them', async () => {
    writeFileSync(join(dir, 'broken.yml'), 'title: [unterminated\n');
    await startEngine(config(dir, { disabled: ['6f1e2d3c-0001-4a4b-9c9d-000000000001'] }));
    expect(engine.loadErrors()).toEqual([expect.objectContaining({ file: join(dir, 'broken.yml'), kind: 'yaml', previousKept: false })]);
    expect(engine.rules().map((r) => [r.title, r.enabled])).toEqual([
      ['Inbound connection denied to an administrative port', false],
      ['Path traversal in a web request', true],
    ]);
    // The documents behind them, disabled ones included (the console reads their titles).
    expect(engine.ruleDocuments().map((d) => d.title).sort()).toEqual(['Inbound connection denied to an administrative port', 'Path traversal in a web request']);
    await bus.publish('events', pick('evt-001', 'evt-008'));
    expect(engine.alerts.search({ limit: 10 }).alerts.map((a) => a.rule.name)).toEqual(['Path traversal in a web request']);
  });

  it('runs detection stages on every event and stores their hits as alerts keyed by group', async () => {
    await startEngine(config(dir));
    const correlation = { id: 'corr-scan', title: 'Several administrative ports probed by one source', level: 'high' as const, tags: ['attack.t1046'], raw: {} };
    const denyRule = engine.ruleSet().rules.find((r) => r.title.startsWith('Inbound'))!;
    const seen: Record<string, EcsEvent[]> = {};
    let loads = 0;
    engine.addStage({
      name: 'test-port-scan',
      load: () => {
        loads++;
      },
      process(event, matches, hits: DetectionHit[]) {
        if (!matches.includes(denyRule)) return;
        const key = `${event.organization?.id}/${event.source?.ip}`;
        const list = (seen[key] ??= []);
        list.push(event);
        if (list.length === 3) hits.push({ rule: correlation, events: list.slice(), group: { 'source.ip': event.source!.ip! } });
      },
    });
    expect(loads).toBe(1);
    await bus.publish('events', pick('evt-001', 'evt-002', 'evt-003', 'evt-004'));
    const scan = engine.alerts.search({ limit: 10, severities: ['high'] }).alerts;
    expect(scan).toHaveLength(1);
    expect(scan[0]).toMatchObject({ rule: { id: 'corr-scan', ruleset: 'socnoc' }, group_key: 'source.ip="203.0.113.45"', count: 1, organization: { id: 'hanoi-doh' } });
    expect(scan[0].event_ids).toEqual(['evt-001', 'evt-002', 'evt-003']);
    expect(scan[0].last_seen).toBe('2025-03-01T01:05:14.000Z');
  });

  it('keeps the running rules when a reload throws, and lists why', async () => {
    await startEngine(config(dir));
    const spy = jest.spyOn(sigmaLoad, 'defaultLogsourceTable').mockImplementation(() => {
      throw new Error('rules/sigma/logsources.yaml: line 3: bad indentation');
    });
    try {
      expect(engine.reload()).toMatchObject({ rules: 2, errors: 1, failedReloads: 1, reloads: 0 });
    } finally {
      spy.mockRestore();
    }
    expect(engine.loadErrors()[0]).toMatchObject({ line: 0, previousKept: true, reason: 'rules not loaded: rules/sigma/logsources.yaml: line 3: bad indentation' });
    await bus.publish('events', pick('evt-008'));
    expect(engine.alerts.search({ limit: 10 }).total).toBe(1);
    expect(await metrics.registry.metrics()).toMatch(/^socnoc_rule_reload_failures_total 1$/m);
    expect(engine.reload()).toMatchObject({ errors: 0, reloads: 1 });
  });

  it('redelivers a batch whose alerts cannot be stored', async () => {
    await startEngine(config(dir, { watch: false }));
    expect(engine.loadInfo().enabledRules).toBe(2);
    // The store fails once (a full disk, a locked file): the batch must not be acknowledged.
    const record = jest.spyOn(engine.alerts, 'record').mockImplementationOnce(() => {
      throw new Error('SQLITE_FULL: database or disk is full');
    });
    await expect(bus.publish('events', pick('evt-008'))).rejects.toThrow(/SQLITE_FULL/);
    expect(record).toHaveBeenCalledTimes(1);
    expect(await metrics.registry.metrics()).toMatch(/^socnoc_detection_batch_failures_total 1$/m);
    expect(engine.alerts.search({ limit: 10 }).total).toBe(0);
    // Redelivered, the same batch is stored, and the queue is not stuck behind the failure.
    await expect(bus.publish('events', pick('evt-008'))).resolves.toBeUndefined();
    expect(engine.alerts.search({ limit: 10 }).total).toBe(1);
    await expect(bus.publish('events', pick('evt-010'))).resolves.toBeUndefined();
    record.mockRestore();
  });
});

describe('detection engine with the built-in pack', () => {
  it('loads rules/sigma of the installation as ruleset socnoc, without its test fixtures', async () => {
    const db = openSqlite(':memory:');
    const bus = new InProcessBus();
    const engine = createDetectionEngine(
      { bus, db, metrics: new Metrics({ defaultMetrics: false }), logger: createLogger('silent') },
      correlationConfigSchema.parse({ sigma: { watch: false } }),
    );
    try {
      await engine.start();
      const rules = engine.rules();
      expect(rules.length).toBeGreaterThan(0);
      for (const r of [...rules, ...engine.loadErrors()]) {
        expect(r.file).toMatch(/^rules\/sigma\//);
        expect(r.file).not.toMatch(/^rules\/sigma\/(testdata|testing|mappings)\//);
        expect(r.ruleset).toBe('socnoc');
      }
    } finally {
      await engine.stop();
      db.close();
    }
  });
});
