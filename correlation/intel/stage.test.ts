import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessBus } from '../../core/bus';
import type { EcsEvent } from '../../core/event';
import { createLogger } from '../../core/logger';
import { Metrics } from '../../core/metrics';
import { openSqlite, type SqliteDb } from '../../core/store/sqlite';
import { correlationConfigSchema } from '../config';
import { createDetectionEngine, type DetectionEngine } from '../runtime';
import { intelConfigSchema } from './config';
import { createIntel, type IntelCapability } from './index';

const TESTDATA = join(__dirname, 'testdata');
const EVENTS: EcsEvent[] = readFileSync(join(TESTDATA, 'events.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as EcsEvent);
/** Wall clock of the test: after the events, before the bundle's far-future expiry. */
const NOW = Date.parse('2025-03-01T03:00:00Z');

interface Enrichment {
  indicator: { type: string; name: string; provider: string; confidence: string; marking?: { tlp: string } };
  matched: { atomic: string; field: string; id: string };
  socnoc: { confidence: number; labels: string[] };
}

describe('intel stage in the detection engine', () => {
  let dir: string;
  let db: SqliteDb;
  let bus: InProcessBus;
  let engine: DetectionEngine;
  let intel: IntelCapability;
  let metrics: Metrics;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-intel-stage-'));
    copyFileSync(join(TESTDATA, 'stix', 'apt-bundle.json'), join(dir, 'bundle.json'));
    db = openSqlite(join(dir, 'alerts.db'));
    bus = new InProcessBus();
    metrics = new Metrics({ defaultMetrics: false });
    const logger = createLogger('silent');
    engine = createDetectionEngine({ bus, db, metrics, logger, now: () => NOW }, correlationConfigSchema.parse({ sigma: { includeBuiltin: false, watch: false } }));
    intel = createIntel(
      { logger, metrics, now: () => NOW },
      intelConfigSchema.parse({
        feeds: [
          { name: 'vncert', format: 'stix', path: join(dir, 'bundle.json'), refreshMinutes: 0 },
          { name: 'analysts', format: 'txt', path: join(TESTDATA, 'lists', 'drop.txt'), refreshMinutes: 0, confidence: 20, agencies: ['danang-dof'] },
        ],
      }),
    );
    await intel.start();
    engine.addStage(intel.stage);
    await engine.start();
    await bus.publish('events', structuredClone(EVENTS));
    await bus.publish('events', structuredClone(EVENTS.slice(2, 3)));
    await engine.idle();
  });
  afterAll(async () => {
    await engine.stop();
    await intel.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('raises one alert per feed, indicator and agency on syslog- and flow-shaped events', () => {
    const page = engine.alerts.search({ limit: 100 });
    const summary = page.alerts
      .map((a) => [a.rule.id, a.severity, a.organization.id, a.group['threat.indicator.type'], a.group['threat.indicator.name'], a.count, a.events[0].event.id])
      .sort((x, y) => String(x[4]).localeCompare(String(y[4])));
    expect(summary).toEqual([
      // NetFlow v9 IPv6 flow from a scanner range (confidence 40).
      ['intel:vncert', 'medium', 'danang-dof', 'ipv6-addr', '2001:db8:bad::/48', 1, 'flow-v6-001'],
      // IPFIX flow to a C2 range: seen twice, folded into one alert.
      ['intel:vncert', 'high', 'danang-dof', 'ipv4-addr', '203.0.113.0/24', 2, 'flow-v4-001'],
      // Sysmon process with the loader's MD5 in process.hash and related.hash: one detection.
      ['intel:vncert', 'high', 'hanoi-doh', 'file', '44d88612fea8a8f36de82e1278abb02f', 1, 'sysmon-proc-001'],
      // FortiGate web filter log: the URL indicator (no confidence: the feed default, 50).
      ['intel:vncert', 'medium', 'hanoi-doh', 'url', 'malicious.example.net/payload/dropper.php', 1, 'fgt-web-001'],
      // Sysmon DNS query for a subdomain of the PlugX domain.
      ['intel:vncert', 'medium', 'hanoi-doh', 'domain-name', 'update-check.example-cdn.net', 1, 'sysmon-dns-001'],
    ]);
    // The expired sinkhole (192.0.2.77) and unlisted traffic raise nothing.
    expect(page.alerts.some((a) => a.events[0].event.id === 'flow-v4-002' || a.events[0].event.id === 'fgt-traffic-002')).toBe(false);
  });

  it('carries the indicator, feed, confidence, labels and ATT&CK mappings on the alert', () => {
    const page = engine.alerts.search({ limit: 100 });
    const c2 = page.alerts.find((a) => a.group['threat.indicator.name'] === '203.0.113.0/24')!;
    expect(c2.rule).toEqual({ id: 'intel:vncert', name: 'Threat intel match: vncert', tags: ['attack.command-and-control'], level: 'high', ruleset: 'intel' });
    expect(c2.mappings.attack).toEqual({ techniques: [], tactics: ['command-and-control'] });
    expect(c2.mappings.compliance).toMatchObject({ nist_csf: ['DE.AE-07'], iso27001: ['A.5.7'] });
    const enrichment = (c2.events[0] as unknown as { threat: { enrichments: Enrichment[] } }).threat.enrichments[0];
    expect(enrichment).toMatchObject({
      indicator: { type: 'ipv4-addr', name: '203.0.113.0/24', provider: 'vncert', confidence: 'High', marking: { tlp: 'GREEN' } },
      matched: { atomic: '203.0.113.45', field: 'destination.ip', id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f' },
      socnoc: { confidence: 85, labels: ['apt', 'plugx', 'malicious-activity'] },
    });
    const dns = page.alerts.find((a) => a.group['threat.indicator.type'] === 'domain-name')!;
    expect(dns.rule.tags).toEqual(['attack.t1071.001']);
    expect(dns.mappings.attack.techniques).toEqual(['T1071.001']);
    expect((dns.events[0] as unknown as { threat: { enrichments: Enrichment[] } }).threat.enrichments[0].matched).toMatchObject({ field: 'dns.question.name', atomic: 'cdn3.Update-Check.example-cdn.net' });
  });

  it('counts matches and refreshes in /metrics', async () => {
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/socnoc_intel_indicators\{feed="vncert"\} 9/);
    expect(text).toMatch(/socnoc_intel_refreshes_total\{feed="vncert",result="ok"\} 1/);
    expect(text).toMatch(/socnoc_intel_events_total 8/);
    expect(text).toMatch(/socnoc_intel_hits_total 6/);
  });
});
