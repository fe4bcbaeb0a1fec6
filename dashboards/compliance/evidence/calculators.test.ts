/** Evidence calculators on constructed facts (ports answered by plain objects). */
import { loadComplianceCatalog, paramAt } from '../catalog/load';
import { DEFAULT_COMPLIANCE_CONFIG } from '../config';
import type { AgentHealthFacts, CompliancePorts, IncidentFacts, RuleCoverageFacts } from '../ports';
import type { ComplianceSystem } from '../systems/types';
import { EVIDENCE_CALCULATORS } from './calculators';
import type { EvidenceContext, EvidenceResult } from './types';

const NOW = Date.parse('2026-11-20T08:00:00Z');
const H = 3_600_000;
const catalog = loadComplianceCatalog();

const system: ComplianceSystem = {
  id: 's1',
  name: 'Portal',
  agency: 'hcm',
  level: 3,
  regime: 'decree85',
  description: '',
  assets: { devices: [], agent_hosts: ['web-01', 'db-01', 'app-01'], log_sources: [] },
  approval: null,
  created_at: '',
  updated_at: '',
};

function run(kind: string, ports: CompliancePorts, requirementId = 'VN85.T.SRV.LOG', sys = system): Promise<EvidenceResult> {
  const requirement = catalog.requirement(requirementId)!;
  const ctx: EvidenceContext = { system: sys, organizations: [sys.agency], now: NOW, config: DEFAULT_COMPLIANCE_CONFIG, ports, requirement, param: (n) => paramAt(requirement, n, sys.level) };
  return EVIDENCE_CALCULATORS.get(kind)!.compute(ctx);
}

const agent = (hostname: string, over: Partial<AgentHealthFacts> = {}): AgentHealthFacts => ({
  id: hostname,
  hostname,
  organization: 'hcm',
  status: 'online',
  lastSeen: NOW - 60_000,
  revoked: false,
  clockOffsetMs: 40,
  lastMalwareScan: NOW - 2 * H,
  signaturesUpdated: NOW - 3 * H,
  ...over,
});

describe('agent-based evidence', () => {
  const agents = [agent('web-01'), agent('DB-01', { status: 'offline', lastSeen: NOW - 50 * H, clockOffsetMs: 4200, lastMalwareScan: NOW - 30 * 24 * H })];
  const ports: CompliancePorts = { agents: { agents: () => agents } };

  it('agent_coverage: a declared host without an agent and a stale agent are gaps', async () => {
    const r = await run('agent_coverage', ports);
    expect(r.status).toBe('partly_met');
    expect(r.value).toBeCloseTo(1 / 3);
    expect(r.items.map((i) => [i.name, i.status])).toEqual([
      ['app-01', 'not_met'],
      ['web-01', 'met'],
      ['DB-01', 'not_met'],
    ]);
    expect(r.action?.en).toBe('Install or restore the agent on: app-01, DB-01');
  });

  it('ntp_sync: offsets beyond the maximum are named with the largest offset', async () => {
    const r = await run('ntp_sync', ports);
    expect(r.status).toBe('partly_met');
    expect(r.summary.en).toBe('1/2 assets within 1000 ms (50.0%); largest offset 4200 ms');
  });

  it('av_signature_freshness: a month-old scan fails', async () => {
    const r = await run('av_signature_freshness', ports);
    expect(r.items.find((i) => i.name === 'DB-01')?.status).toBe('not_met');
    expect(r.status).toBe('partly_met');
  });

  it('reports unavailable, not failed, when the port is missing', async () => {
    expect((await run('agent_coverage', {})).status).toBe('unavailable');
  });
});

describe('incident evidence', () => {
  const incident = (id: string, over: Partial<IncidentFacts>): IncidentFacts => ({ id, organization: 'hcm', firstEventAt: null, detectedAt: NOW - 48 * H, acknowledgedAt: null, resolvedAt: null, serious: false, reports: [], ...over });
  const incidents = [
    incident('i1', { firstEventAt: NOW - 48 * H - 30 * 60_000, resolvedAt: NOW - 40 * H, reports: [{ key: 'report.vncert_notice', regime: 'decree85', dueAt: NOW - 30 * H, submittedAt: NOW - 46 * H }] }),
    incident('i2', { firstEventAt: NOW - 48 * H - 150 * 60_000, resolvedAt: NOW - 12 * H, reports: [{ key: 'report.vncert_notice', regime: 'decree85', dueAt: NOW - H, submittedAt: null }, { key: 'report.mps_initial', regime: 'decree331', dueAt: NOW - 2 * H, submittedAt: null }] }),
    incident('i3', { firstEventAt: NOW - 48 * H - 60 * 60_000 }),
  ];
  const ports: CompliancePorts = { incidents: { incidents: () => incidents } };

  it('incident_mttd is the median first-event-to-detection delay', async () => {
    const r = await run('incident_mttd', ports);
    expect(r.value).toBe(60);
    expect(r.status).toBe('met');
  });

  it('incident_mttr counts unresolved incidents past the target against it', async () => {
    const r = await run('incident_mttr', ports);
    expect(r.value).toBe(22 * 60);
    expect(r.status).toBe('partly_met');
    expect(r.summary.en).toContain('1 unresolved past target');
  });

  it("incident_report_timeliness checks the system's regime only", async () => {
    const r = await run('incident_report_timeliness', ports);
    expect(r.items.map((i) => [i.name, i.status])).toEqual([
      ['i1 report.vncert_notice', 'met'],
      ['i2 report.vncert_notice', 'not_met'],
    ]);
    expect(r.summary.en).toBe('1/2 incident reports submitted on time');
  });
});

describe('rules and intel evidence', () => {
  it('siem_correlation_rules counts enabled rules mapped directly or through the crosswalk', async () => {
    const rules: RuleCoverageFacts[] = [
      { id: 'r1', title: 'SSH brute force', enabled: true, compliance: { decree85: ['VN85.M.OPS.MONITORING'] } },
      { id: 'r2', title: 'Log cleared', enabled: true, compliance: { iso27001: ['A.8.15'] } },
      { id: 'r3', title: 'Disabled', enabled: false, compliance: { decree85: ['VN85.M.OPS.MONITORING'] } },
    ];
    const r = await run('siem_correlation_rules', { rules: { rules: () => rules } }, 'VN85.M.OPS.MONITORING');
    expect(r.status).toBe('met');
    expect(r.summary.en).toBe('2 enabled rules map to this requirement (1 directly); 2 rules enabled in all');
    const none = await run('siem_correlation_rules', { rules: { rules: () => rules } }, 'VN85.D.FW_IPS');
    expect(none.status).toBe('partly_met');
  });

  it('threat_intel_feeds flags a stale feed', async () => {
    const feeds = [
      { name: 'abuse.ch', enabled: true, lastSuccess: NOW - H, indicators: 1200 },
      { name: 'misp-local', enabled: true, lastSuccess: NOW - 80 * H, indicators: 40 },
      { name: 'off', enabled: false, lastSuccess: null, indicators: 0 },
    ];
    const r = await run('threat_intel_feeds', { intel: { feeds: () => feeds } }, 'VN85.M.OPS.MONITORING');
    expect(r.status).toBe('partly_met');
    expect(r.action?.en).toBe('Check the refresh of: misp-local');
  });

  it('log_integrity reports where the audit chain breaks', async () => {
    const audit = { verify: () => ({ ok: false, checked: 12, head: 'x', firstBad: { seq: 12, reason: 'hash mismatch' } }), append: () => 0 };
    const r = await run('log_integrity', { audit }, 'VN85.T.APP.NONREP');
    expect(r.status).toBe('not_met');
    expect(r.summary.en).toBe('Hash chain broken at record 12: hash mismatch');
  });
});

describe('monitoring report evidence', () => {
  it('names the missing reports in each language, and the present one with its digest', async () => {
    const daily = { time: new Date(NOW - 5 * H).toISOString(), details: { period: 'daily', sha256: 'a3f1c2d4e5b6a7980112233445566778' } };
    const ports: CompliancePorts = {
      audit: { verify: () => ({ ok: true, checked: 0, head: '' }), append: () => 0, list: () => ({ records: [daily] }) },
    };
    const r = await run('monitoring_reports', ports, 'VN.MON.REPORTS');
    expect(r.status).toBe('partly_met');
    expect(r.items.map((i) => [i.name, i.status])).toEqual([
      ['daily report', 'met'],
      ['weekly report', 'not_met'],
    ]);
    expect(r.items[0].text.vi).toBe('báo cáo ngày lập 2026-11-20 03:00, SHA-256 a3f1c2d4e5b6a798…');
    expect(r.action).toEqual({
      vi: 'Lập lịch báo cáo giám sát (compliance.schedules, report: monitoring): báo cáo tuần',
      en: 'Schedule monitoring reports (compliance.schedules, report: monitoring): weekly report',
    });
  });
});
