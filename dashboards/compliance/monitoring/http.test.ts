/** GET /api/v1/compliance/monitoring-reports on a real HTTP server: agency scoping, digest header, audit record. */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog, type AuditLog } from '../../../core/audit';
import { startHarness, type Harness } from '../../../core/http/testdata/harness';
import { openSqlite, type SqliteDb } from '../../../core/store/sqlite';
import { loadComplianceCatalog } from '../catalog/load';
import { DEFAULT_COMPLIANCE_CONFIG } from '../config';
import { ManualEvidenceStore } from '../evidence/manual-store';
import { complianceHttpModule } from '../http';
import type { AlertFacts } from '../ports';
import { SystemRegister } from '../systems/store';

const NOW = Date.parse('2026-11-26T03:00:00Z');

describe('monitoring reports API', () => {
  let dir: string;
  let db: SqliteDb;
  let audit: AuditLog;
  let h: Harness;

  const alert = (id: string, organization: string, severity: string): AlertFacts => ({ id, organization, severity, ruleName: 'Sshd Brute Force', firstSeen: NOW - 3_600_000, count: 40, techniques: ['T1110.001'], sourceIp: '203.0.113.45', destination: 'web01', status: 'new' });
  const alerts = [alert('a1', 'hanoi-doh', 'high'), alert('a2', 'hanoi-doh', 'critical'), alert('a3', 'danang-dof', 'low')];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-monitoring-api-'));
    db = openSqlite(join(dir, 'socnoc.db'));
    audit = openAuditLog(join(dir, 'audit.db'));
    const ports = { audit, alerts: { alerts: ({ organizations }: { organizations: readonly string[] | undefined }) => alerts.filter((a) => organizations === undefined || organizations.includes(a.organization)) } };
    const module = complianceHttpModule({ catalog: loadComplianceCatalog(), config: DEFAULT_COMPLIANCE_CONFIG, ports, systems: new SystemRegister(db), documents: new ManualEvidenceStore(db, join(dir, 'evidence')), audit, maxUploadBytes: 1024 * 1024, now: () => NOW });
    h = await startHarness({ modules: [module] });
  });

  afterAll(async () => {
    await h.close();
    audit.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the agency’s weekly CSV with its digest, recorded in the audit log under the caller', async () => {
    const { token } = await h.login('analyst.hn');
    const res = await h.get('/api/v1/compliance/monitoring-reports?period=weekly&agency=hanoi-doh&format=csv&lang=en', { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="monitoring-weekly-hanoi-doh-2026-11-26-en.csv"');
    const body = Buffer.from(await res.arrayBuffer());
    const sha = createHash('sha256').update(body).digest('hex');
    expect(res.headers.get('x-content-sha256')).toBe(sha);
    const text = body.toString('utf8');
    expect(text).toContain('alerts,severity,critical,1');
    expect(text).toContain('alerts,severity,high,1');
    expect(text).not.toContain('alerts,severity,low,1');
    const record = audit.list({ action: 'monitoring_report.generate', limit: 1 }).records[0];
    expect(record).toMatchObject({ actor: { type: 'user', id: 'analyst.hn' }, organization: 'hanoi-doh', details: { sha256: sha, period: 'weekly' } });
  });

  it('refuses another agency and bad parameters', async () => {
    const { token } = await h.login('analyst.dn');
    expect((await h.get('/api/v1/compliance/monitoring-reports?agency=hanoi-doh', { token })).status).toBe(403);
    const bad = await h.get('/api/v1/compliance/monitoring-reports?agency=danang-dof&period=monthly', { token });
    expect(bad.status).toBe(400);
    expect((await h.get('/api/v1/compliance/monitoring-reports?period=daily', { token })).status).toBe(400);
    const noc = await h.login('noc.hn');
    expect((await h.get('/api/v1/compliance/monitoring-reports?agency=hanoi-doh', { token: noc.token })).status).toBe(403);
  });
});
