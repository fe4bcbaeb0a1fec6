/** auth_event_logging (real SQLite event store), malware_detections and incident_register on constructed facts, and their effect on the assessment. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../core/store/sqlite-event-store';
import { assessSystem } from '../assessment/assess';
import { loadComplianceCatalog, paramAt } from '../catalog/load';
import { DEFAULT_COMPLIANCE_CONFIG } from '../config';
import type { AlertFacts, CompliancePorts, IncidentFacts } from '../ports';
import type { ComplianceSystem } from '../systems/types';
import { AGENCY, DAY, DB, FIREWALL, H, NOW, seedEvents, WEB } from '../testdata/seed';
import { EVIDENCE_CALCULATORS } from './calculators';
import type { EvidenceContext, EvidenceResult } from './types';

const catalog = loadComplianceCatalog();
const system: ComplianceSystem = {
  id: 's1',
  name: 'Cổng dịch vụ công',
  agency: AGENCY,
  level: 3,
  regime: 'decree85',
  description: '',
  assets: { devices: [{ name: 'FGT-HCM-EDGE', address: FIREWALL }], agent_hosts: [], log_sources: [{ name: 'hcm-web-01', address: WEB }, { name: 'hcm-db-01', address: DB }] },
  approval: null,
  created_at: '',
  updated_at: '',
};

function run(kind: string, ports: CompliancePorts, requirementId: string, sys = system): Promise<EvidenceResult> {
  const requirement = catalog.requirement(requirementId)!;
  const ctx: EvidenceContext = { system: sys, organizations: [sys.agency], now: NOW, config: DEFAULT_COMPLIANCE_CONFIG, ports, requirement, param: (n) => paramAt(requirement, n, sys.level) };
  return EVIDENCE_CALCULATORS.get(kind)!.compute(ctx);
}

describe('auth_event_logging over a real event store', () => {
  let dir: string;
  let events: SqliteEventStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-auth-evidence-'));
    events = new SqliteEventStore({ dir: join(dir, 'events') });
    await events.append(seedEvents());
  });
  afterAll(async () => {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the declared source that sends no login events and splits success/failure', async () => {
    const r = await run('auth_event_logging', { events }, 'VN85.T.SRV.AUTHN');
    expect(r.status).toBe('partly_met');
    expect(r.value).toBeCloseTo(2 / 3);
    const byName = new Map(r.items.map((i) => [i.name, i]));
    expect(byName.get('FGT-HCM-EDGE')?.status).toBe('not_met');
    expect(byName.get('hcm-db-01')?.text.en).toMatch(/^\d+ successful and 0 failed logins$/);
    expect(byName.get('hcm-web-01')?.text.en).toMatch(/^0 successful and \d+ failed logins$/);
    expect(r.action?.en).toBe('Enable and forward login success/failure logs from: FGT-HCM-EDGE');
  });

  it('is not met when no source of the system logs logins', async () => {
    const fwOnly = { ...system, assets: { devices: [{ address: FIREWALL }], agent_hosts: [], log_sources: [] } };
    const r = await run('auth_event_logging', { events }, 'VN85.T.SRV.AUTHN', fwOnly);
    expect(r.status).toBe('not_met');
    expect(r.summary.en).toBe('0/1 declared sources logged login events in 30 days (0.0%): 0 successful, 0 failed');
  });

  it('without declared sources checks every sender seen in the agency', async () => {
    const r = await run('auth_event_logging', { events }, 'VN85.T.SRV.AUTHN', { ...system, assets: { devices: [], agent_hosts: [], log_sources: [] } });
    expect(r.items.map((i) => [i.name, i.status]).sort()).toEqual([
      [FIREWALL, 'not_met'],
      [WEB, 'met'],
      [DB, 'met'],
    ]);
  });
});

const alert = (id: string, over: Partial<AlertFacts>): AlertFacts => ({
  id,
  organization: AGENCY,
  severity: 'high',
  ruleName: 'Malware Signature Matched on an Endpoint (YARA)',
  firstSeen: NOW - 2 * DAY,
  count: 1,
  techniques: ['T1204.002'],
  sourceIp: null,
  destination: 'hcm-web-01',
  status: 'new',
  ruleId: '030bccad-c55c-4913-9e04-68fa1b3b8e1b',
  tags: ['attack.execution', 'attack.t1204.002'],
  dataset: 'agent.yara',
  compliance: { iso27001: ['A.8.7', 'A.8.16'] },
  closedAt: null,
  ...over,
});

describe('malware_detections', () => {
  const ssh = alert('a-ssh', { ruleName: 'SSH brute force', dataset: 'linux.sshd', tags: ['attack.t1110'], compliance: { iso27001: ['A.8.16'] }, firstSeen: NOW - 20 * DAY });
  const ports = (list: AlertFacts[]): CompliancePorts => ({ alerts: { alerts: ({ from }) => list.filter((a) => a.firstSeen >= from) } });

  it('an open malware alert older than the remediation limit is not met', async () => {
    const r = await run('malware_detections', ports([alert('a1', { firstSeen: NOW - 10 * DAY }), ssh]), 'VN85.T.SRV.MALWARE');
    expect(r.status).toBe('not_met');
    expect(r.items).toHaveLength(1);
    expect(r.items[0].text.en).toBe('open since 2026-12-08 07:00 (over 7 days)');
    expect(r.action?.en).toBe('Remediate and close the overdue malware detections: a1');
  });

  it('remediated and recent open detections are met, with the median time to remediate', async () => {
    const list = [
      alert('a1', { status: 'resolved', firstSeen: NOW - 10 * DAY, closedAt: NOW - 10 * DAY + 3 * H }),
      alert('a2', { status: 'false_positive', firstSeen: NOW - 5 * DAY, closedAt: NOW - 5 * DAY + 5 * H, dataset: null, tags: ['malware.webshell'] }),
      alert('a3', { firstSeen: NOW - DAY }),
      ssh,
    ];
    const r = await run('malware_detections', ports(list), 'VN85.T.SRV.MALWARE');
    expect(r.status).toBe('met');
    expect(r.value).toBe(240);
    expect(r.summary.en).toBe('3 malware detections in 30 days: 2 remediated (median 4 h), 1 open, 0 open over 7 days');
  });

  it('an overdue one among remediated ones is partly met; none at all is for information', async () => {
    const r = await run('malware_detections', ports([alert('a1', { status: 'resolved', closedAt: NOW - DAY }), alert('a2', { firstSeen: NOW - 9 * DAY })]), 'VN85.T.SRV.MALWARE');
    expect(r.status).toBe('partly_met');
    expect((await run('malware_detections', ports([ssh]), 'VN85.T.SRV.MALWARE')).status).toBe('info');
  });
});

describe('incident_register', () => {
  const incident = (id: string, over: Partial<IncidentFacts>): IncidentFacts => ({
    id,
    organization: AGENCY,
    firstEventAt: null,
    detectedAt: NOW - 5 * DAY,
    acknowledgedAt: NOW - 5 * DAY + H,
    resolvedAt: null,
    serious: false,
    reports: [],
    openedAt: NOW - 5 * DAY + 600_000,
    containedAt: null,
    closedAt: null,
    status: 'open',
    ...over,
  });
  const complete = incident('INC-1', { containedAt: NOW - 5 * DAY + 2 * H, resolvedAt: NOW - 4 * DAY, closedAt: NOW - 3 * DAY, status: 'closed' });
  const noContainment = incident('INC-2', { resolvedAt: NOW - 4 * DAY, status: 'resolved' });
  const stuck = incident('INC-3', { status: 'investigating' });
  const fresh = incident('INC-4', { detectedAt: NOW - 2 * H, openedAt: NOW - H });
  const ports: CompliancePorts = { incidents: { incidents: () => [complete, noContainment, stuck, fresh] } };

  it('names incidents without containment or closure times', async () => {
    const r = await run('incident_register', ports, 'VN85.M.OPS.INCIDENT');
    expect(r.items.map((i) => [i.name, i.status])).toEqual([
      ['INC-1', 'met'],
      ['INC-2', 'not_met'],
      ['INC-3', 'not_met'],
      ['INC-4', 'met'],
    ]);
    expect(r.items[1].text.en).toBe('detected 2026-12-13 07:00; declared 2026-12-13 07:10; contained not recorded; closed 2026-12-14 07:00 — finished without a time for: contained');
    expect(r.items[2].text.en).toContain('not contained within the target; missing: contained');
    expect(r.status).toBe('partly_met');
    expect(r.summary.en).toBe('2/4 incidents in 30 days have detection, declaration, containment and closure times (50.0%); 2 open');
  });

  it('a port without register fields counts declaration and containment as not recorded', async () => {
    const bare: IncidentFacts = { id: 'INC-9', organization: AGENCY, firstEventAt: null, detectedAt: NOW - DAY, acknowledgedAt: null, resolvedAt: NOW - 20 * H, serious: false, reports: [] };
    const r = await run('incident_register', { incidents: { incidents: () => [bare] } }, 'VN85.M.OPS.INCIDENT');
    expect(r.status).toBe('not_met');
    expect(r.items[0].text.en).toContain('without a time for: declared, contained');
  });
});

describe('assessment with the three kinds', () => {
  it('VN85.T.NET.MALWARE (malware_detections only) follows the malware evidence instead of asking for a document', async () => {
    const ports: CompliancePorts = { alerts: { alerts: () => [alert('a1', { firstSeen: NOW - 10 * DAY })] } };
    const a = await assessSystem({ catalog, config: DEFAULT_COMPLIANCE_CONFIG, ports, now: () => NOW }, system);
    const net = a.requirements.find((r) => r.requirement.id === 'VN85.T.NET.MALWARE')!;
    expect(net.status).toBe('not_met');
    expect(net.evidence.map((e) => e.kind)).toEqual(['malware_detections']);
    expect(net.manual).toEqual([]);
  });
});
