/**
 * The compliance adapters over the real modules: the detection engine with socnoc's Sigma pack and
 * the sshd attack in correlation/incidents/testdata, incidents, the agent registry and command
 * queue, the SNMP inventory, intel feeds from files — each on real SQLite files in a temp folder —
 * then the same folder opened read-only the way `socnoc report` does.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { CommandQueue } from '../core/agents/commands';
import { AgentRegistry } from '../core/agents/registry';
import { migrateAgentTables } from '../core/agents/schema';
import { openAuditLog, type AuditLog } from '../core/audit';
import { InProcessBus } from '../core/bus';
import { createLogger } from '../core/logger';
import { Metrics } from '../core/metrics';
import { openSqlite, type SqliteDb } from '../core/store/sqlite';
import { SqliteEventStore } from '../core/store/sqlite-event-store';
import { AgencyResolver } from '../core/tenancy';
import { DeviceInventory, loadSecretBox } from '../collectors/snmp';
import { correlationConfigSchema } from '../correlation/config';
import { createIncidents, incidentsConfigSchema, type Incidents } from '../correlation/incidents';
import { EVENTS } from '../correlation/incidents/testdata/fixtures';
import { createIntel, intelConfigSchema, type IntelCapability } from '../correlation/intel';
import { createDetectionEngine, sigmaCorrelationStage, type DetectionEngine } from '../correlation/runtime';
import { runComplianceCli, type CompliancePorts } from '../dashboards/compliance';
import { parseSocnocConfig } from './config';
import { compliancePorts, openCompliancePortsReadOnly, ruleSnapshotStage } from './compliance-ports';

const NOW = Date.parse('2026-11-26T03:00:00Z');
const H = 3_600_000;
const AGENCIES = [
  { id: 'hanoi-doh', name: 'Sở Y tế Hà Nội', cidrs: ['10.10.0.0/16'] },
  { id: 'danang-dof', name: 'Sở Tài chính Đà Nẵng', cidrs: ['10.20.0.0/16'] },
];
const BRUTE_THEN_SUCCESS = 'SSH Login After Repeated Failures From the Same Address';

describe('compliance ports over the real modules', () => {
  let dir: string;
  let coreDb: SqliteDb;
  let alertsDb: SqliteDb;
  let snmpDb: SqliteDb;
  let engine: DetectionEngine;
  let incidents: Incidents;
  let intel: IntelCapability;
  let events: SqliteEventStore;
  let audit: AuditLog;
  let registry: AgentRegistry;
  let commands: CommandQueue;
  let inventory: DeviceInventory;
  let ports: CompliancePorts;
  let seriousId: string;
  const metrics = new Metrics({ defaultMetrics: false });
  const logger = createLogger('error', new Writable({ write: (_c, _e, done) => done() }));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-compliance-ports-'));
    coreDb = openSqlite(join(dir, 'socnoc.db'));
    alertsDb = openSqlite(join(dir, 'alerts.db'));
    snmpDb = openSqlite(join(dir, 'snmp.db'));
    audit = openAuditLog(join(dir, 'audit.db'), { now: () => NOW });
    events = new SqliteEventStore({ dir: join(dir, 'events') });
    await events.append(EVENTS);

    const bus = new InProcessBus();
    engine = createDetectionEngine({ bus, db: alertsDb, logger, metrics, now: () => NOW }, correlationConfigSchema.parse({ sigma: { watch: false } }));
    engine.addStage(sigmaCorrelationStage({ logger, stateDb: alertsDb }));
    const snapshot = ruleSnapshotStage();
    engine.addStage(snapshot.stage);
    incidents = createIncidents({ db: alertsDb, logger, metrics, alerts: engine.alerts, now: () => NOW }, incidentsConfigSchema.parse({}));
    engine.onAlerts((changes) => incidents.onAlerts(changes));
    await engine.start();
    await bus.publish('events', EVENTS.filter((e) => e['@timestamp'] < '2026-11-27'));
    await engine.idle();
    seriousId = incidents.service.createIncident({ organization: { id: 'hanoi-doh' }, title: 'Ransomware on file server', serious: true, severity: 'critical', detectedAt: NOW - 30 * H }, 'analyst.hn').id;
    incidents.service.submitReport(seriousId, 'nd331-notice', { reference: 'A05-2026-17', submittedAt: NOW - 10 * H }, 'analyst.hn');

    migrateAgentTables(coreDb);
    registry = new AgentRegistry(coreDb, () => NOW - H);
    commands = new CommandQueue(coreDb, { now: () => NOW - 2 * H });
    const web = registry.enroll({ agency: 'hanoi-doh', group: '', hostname: 'hn-web-01', version: '1.0.0', os: { name: 'Debian' }, address: '10.10.1.21', tokenId: 't1' });
    registry.enroll({ agency: 'danang-dof', group: '', hostname: 'dn-app-01', version: '1.0.0', os: {}, address: '10.20.1.5', tokenId: 't2' });
    registry.setInventory(registry.get(web.id)!, { os: { name: 'Debian' }, clock_offset_ms: 1834.6 });
    registry.updateFromHeartbeat(registry.get(web.id)!, { version: '1.0.1', hostname: 'hn-web-01', stats: { queue_pending_bytes: 0, yara_rules_updated: '2026-11-25T20:00:00Z' } });
    registry.flush();
    const scan = commands.create({ id: web.id, agency: 'hanoi-doh' }, 'yara_scan', { paths: ['/var/www'] }, 'analyst.hn');
    commands.takeForAgent(web.id);
    commands.complete(web.id, scan.id, true, { files: 812, matches: 0 });

    writeFileSync(join(dir, 'secret.key'), 'ab'.repeat(32) + '\n', { mode: 0o600 });
    inventory = new DeviceInventory({ db: snmpDb, box: loadSecretBox({ dataDir: dir, env: {} }), agencies: new AgencyResolver(AGENCIES), defaultIntervalSeconds: 60, now: () => NOW });
    const fw = inventory.create({ name: 'hn-fw-01', address: '10.10.0.1', port: 161, organizationId: 'hanoi-doh', tags: ['firewall'], snmp: { version: '2c', community: 'public' } });
    inventory.recordPoll(fw.id, { status: 'up', at: NOW - 5 * 60_000 });
    inventory.create({ name: 'dn-sw-01', address: '10.20.0.2', port: 161, organizationId: 'danang-dof', tags: [], snmp: { version: '2c', community: 'public' } });

    intel = createIntel(
      { logger, metrics, now: () => NOW },
      intelConfigSchema.parse({ feeds: [{ name: 'spamhaus-drop', format: 'txt', path: join(__dirname, '../correlation/intel/testdata/lists/drop.txt'), refreshMinutes: 0 }, { name: 'off', format: 'txt', path: join(__dirname, '../correlation/intel/testdata/lists/drop.txt'), enabled: false }] }),
    );
    await intel.start();

    ports = compliancePorts({ events, audit, agents: { registry, commands }, inventory, rules: snapshot.current, incidents: incidents.service, alerts: engine.alerts, intel: intel.feeds });
  });

  afterAll(async () => {
    await intel.stop();
    await incidents.stop();
    await engine.stop();
    await events.close();
    audit.close();
    for (const db of [coreDb, alertsDb, snmpDb]) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('incidents(): a grouped incident and one created through IncidentService, with report deadlines and the first event time', async () => {
    const list = await ports.incidents!.incidents({ organizations: ['hanoi-doh'], from: NOW - 7 * 24 * H, to: NOW + 1 });
    const serious = list.find((i) => i.id === seriousId)!;
    expect(serious.serious).toBe(true);
    expect(serious.detectedAt).toBe(NOW - 30 * H);
    const notice = serious.reports.find((r) => r.key === 'report.nd331-notice')!;
    expect(notice.regime).toBe('decree331');
    expect(notice.dueAt).toBe(NOW - 30 * H + 24 * H);
    expect(notice.submittedAt).toBe(NOW - 10 * H);
    const full = serious.reports.find((r) => r.key === 'report.nd331-report')!;
    expect(full.submittedAt).toBeNull();
    const grouped = list.find((i) => i.id !== seriousId)!;
    // The earliest first_seen among the incident's alerts: event time of the attack, hours before detection (NOW).
    const firstSeen = incidents.service.get(grouped.id).alert_ids.map((id) => Date.parse(engine.alerts.get(id)!.first_seen));
    expect(grouped.firstEventAt).toBe(Math.min(...firstSeen));
    expect(grouped.firstEventAt).toBeGreaterThanOrEqual(Date.parse('2026-11-26T01:10:00.000Z'));
    expect(grouped.firstEventAt).toBeLessThan(grouped.detectedAt);
    expect(list.every((i) => i.organization === 'hanoi-doh')).toBe(true);
    // Outside the window: nothing.
    expect(await ports.incidents!.incidents({ organizations: ['hanoi-doh'], from: NOW + H, to: NOW + 2 * H })).toEqual([]);
  });

  it('alerts(): the engine’s alerts in the window with severity, attacker and technique', async () => {
    const alerts = await ports.alerts!.alerts({ organizations: ['hanoi-doh'], from: NOW - 7 * 24 * H, to: NOW + 1, limit: 100 });
    const corr = alerts.find((a) => a.ruleName === BRUTE_THEN_SUCCESS)!;
    expect(corr.sourceIp).toBe('203.0.113.45');
    expect(corr.techniques).toContain('T1110');
    expect(['high', 'critical']).toContain(corr.severity);
    expect(alerts.every((a) => a.organization === 'hanoi-doh' && a.firstSeen >= NOW - 7 * 24 * H)).toBe(true);
    expect(await ports.alerts!.alerts({ organizations: ['hanoi-doh'], from: NOW - 7 * 24 * H, to: NOW + 1, limit: 1 })).toHaveLength(1);
  });

  it('rules(): enabled rules and correlations with their socnoc compliance mappings; a rule switched off drops out', async () => {
    const rules = ports.rules!.rules();
    const corr = rules.find((r) => r.title === BRUTE_THEN_SUCCESS)!;
    expect(corr.enabled).toBe(true);
    expect(corr.compliance.iso27001?.length).toBeGreaterThan(0);
    expect(rules.filter((r) => r.enabled).length).toBeGreaterThan(50);
    await engine.setRuleEnabled(corr.id, false, 'admin');
    expect(ports.rules!.rules().find((r) => r.title === BRUTE_THEN_SUCCESS)).toBeUndefined();
    await engine.setRuleEnabled(corr.id, true, 'admin');
    expect(ports.rules!.rules().find((r) => r.title === BRUTE_THEN_SUCCESS)?.enabled).toBe(true);
  });

  it('agents(): registry records with the inventory clock offset, the last completed YARA scan and the rules update stat', async () => {
    const [web] = await ports.agents!.agents(['hanoi-doh']);
    expect(web).toMatchObject({ hostname: 'hn-web-01', organization: 'hanoi-doh', status: 'online', revoked: false, clockOffsetMs: 1835, lastSeen: NOW - H });
    expect(web.lastMalwareScan).toBe(NOW - 2 * H);
    expect(web.signaturesUpdated).toBe(Date.parse('2026-11-25T20:00:00Z'));
    expect((await ports.agents!.agents(undefined)).map((a) => a.hostname).sort()).toEqual(['dn-app-01', 'hn-web-01']);
  });

  it('devices(): the SNMP inventory with poll state, scoped by agency', async () => {
    expect(await ports.devices!.devices(['hanoi-doh'])).toEqual([
      { id: expect.any(String), name: 'hn-fw-01', address: '10.10.0.1', organization: 'hanoi-doh', status: 'up', lastPolled: NOW - 5 * 60_000, clockOffsetMs: null },
    ]);
    const dn = await ports.devices!.devices(['danang-dof']);
    expect(dn.map((d) => [d.name, d.status, d.lastPolled])).toEqual([['dn-sw-01', 'unknown', null]]);
  });

  it('intel feeds(): the feed status after the first read', async () => {
    const feeds = await ports.intel!.feeds();
    expect(feeds.find((f) => f.name === 'spamhaus-drop')).toMatchObject({ enabled: true, lastSuccess: NOW });
    expect(feeds.find((f) => f.name === 'spamhaus-drop')!.indicators).toBeGreaterThan(0);
    expect(feeds.find((f) => f.name === 'off')).toMatchObject({ enabled: false, lastSuccess: null });
  });

  it('runComplianceCli over openCompliancePortsReadOnly: a weekly monitoring report from the engine’s alerts and incidents', async () => {
    const config = parseSocnocConfig({ dataDir: dir, agencies: AGENCIES, correlation: { sigma: { watch: false } } });
    const out = join(dir, 'weekly.csv');
    let printed = '';
    const code = await runComplianceCli(['monitoring', '--period', 'weekly', '--agency', 'hanoi-doh', '--format', 'csv', '--lang', 'en', '--out', out], {
      config: config.compliance,
      dataDir: dir,
      out: { write: (t: string) => (printed += t) },
      err: { write: () => true },
      openStores: () => openCompliancePortsReadOnly(config, {}),
      now: () => NOW,
    });
    expect(code).toBe(0);
    expect(printed).toMatch(new RegExp(`^[0-9a-f]{64}  ${out}\n$`));
    const csv = readFileSync(out, 'utf8');
    const hanoi = engine.alerts.search({ organizations: ['hanoi-doh'], limit: 1000 }).alerts;
    expect(csv).toContain(`alerts,total,,${hanoi.length}`);
    expect(csv).toContain('alerts,attacker,203.0.113.45,');
    expect(csv).toContain('incidents,serious,,1');
    expect(csv).toContain('devices,total,,1');
    expect(csv).toContain('agents,total,,1');
  });

  it('opened read-only from the data folder (socnoc report): the same facts, and digests still reach the audit chain', async () => {
    const config = parseSocnocConfig({ dataDir: dir, agencies: AGENCIES, correlation: { sigma: { watch: false } } });
    const opened = openCompliancePortsReadOnly(config, {});
    try {
      const p = opened.ports;
      expect((await p.devices!.devices(['hanoi-doh'])).map((d) => d.name)).toEqual(['hn-fw-01']);
      expect((await p.agents!.agents(['hanoi-doh']))[0]).toMatchObject({ hostname: 'hn-web-01', clockOffsetMs: 1835, lastMalwareScan: NOW - 2 * H });
      const inc = await p.incidents!.incidents({ organizations: ['hanoi-doh'], from: NOW - 7 * 24 * H, to: NOW + 1 });
      expect(inc.find((i) => i.id === seriousId)?.reports.find((r) => r.key === 'report.nd331-notice')?.submittedAt).toBe(NOW - 10 * H);
      expect(p.rules!.rules().some((r) => r.title === BRUTE_THEN_SUCCESS)).toBe(true);
      expect(await p.events!.count({ organizations: ['hanoi-doh'] })).toBe(EVENTS.filter((e) => e.organization?.id === 'hanoi-doh').length);
      expect(p.intel).toBeUndefined();
      // The read-only handle refuses writes: the server's files stay untouched.
      expect(() => opened.coreDb!.exec('CREATE TABLE x (a)')).toThrow(/readonly/);
      const seq = p.audit!.append({ actor: { type: 'system', id: 'cli' }, action: 'compliance_report.generate', result: 'ok', details: { sha256: 'f'.repeat(64) } });
      // The server's own handle sees the record in the same chain.
      expect(audit.verify()).toMatchObject({ ok: true, checked: seq });
    } finally {
      await opened.close();
    }
  });
});
