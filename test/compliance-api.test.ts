/**
 * The compliance API on a real HTTP server: agency admins manage their own agency's systems and
 * evidence, auditors read (both agencies) but change nothing, analysts of another agency see none
 * of it, and reports stream with their digest recorded in the audit log.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog, type AuditLog } from '../core/audit';
import { startHarness, type Harness } from '../core/http/testdata/harness';
import { loadComplianceCatalog } from '../dashboards/compliance/catalog/load';
import { DEFAULT_COMPLIANCE_CONFIG } from '../dashboards/compliance/config';
import { ManualEvidenceStore } from '../dashboards/compliance/evidence/manual-store';
import { complianceHttpModule } from '../dashboards/compliance/http';
import { SystemRegister } from '../dashboards/compliance/systems/store';
import { openSqlite, type SqliteDb } from '../core/store/sqlite';

describe('compliance API', () => {
  let dir: string;
  let db: SqliteDb;
  let audit: AuditLog;
  let h: Harness;
  let adminHn: string;
  let auditor: string;
  let analystDn: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-compliance-api-'));
    db = openSqlite(join(dir, 'compliance.db'));
    audit = openAuditLog(join(dir, 'audit.db'));
    const catalog = loadComplianceCatalog();
    const systems = new SystemRegister(db);
    const documents = new ManualEvidenceStore(db, join(dir, 'evidence'));
    const module = complianceHttpModule({ catalog, config: DEFAULT_COMPLIANCE_CONFIG, ports: { audit }, systems, documents, audit, maxUploadBytes: 64 * 1024 });
    h = await startHarness({ modules: [module] });
    const user = await h.users.create('dost.admin.hn', 'Agency-admin-hn-1', 'agency_admin', ['hanoi-doh']);
    adminHn = h.tokens.issue(user.id, { kind: 'api', name: 'test' });
    auditor = (await h.login('auditor')).token;
    analystDn = (await h.login('analyst.dn')).token;
  });

  afterAll(async () => {
    await h.close();
    audit.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const system = { name: 'Hệ thống một cửa điện tử', agency: 'hanoi-doh', level: 3, assets: { log_sources: [{ address: '10.1.0.10' }] }, approval: { document: '45/QĐ-SYT', date: '2025-06-01' } };

  it('lets an agency admin register a system of its agency only', async () => {
    const other = await h.send('POST', '/api/v1/compliance/systems', { ...system, agency: 'danang-dof' }, { token: adminHn });
    expect(other.status).toBe(403);
    const bad = await h.send('POST', '/api/v1/compliance/systems', { ...system, level: 6 }, { token: adminHn });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('body.level');
    const created = await h.send('POST', '/api/v1/compliance/systems', system, { token: adminHn });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; regime: string; assets: { devices: unknown[] } };
    expect(body.regime).toBe('decree85');
    expect(body.assets.devices).toEqual([]);
  });

  it('lets auditors read but not change, and hides the system from other agencies', async () => {
    const list = (await (await h.get('/api/v1/compliance/systems', { token: auditor })).json()) as { systems: Array<{ id: string; name: string }> };
    expect(list.systems.map((s) => s.name)).toEqual(['Hệ thống một cửa điện tử']);
    const id = list.systems[0].id;
    expect((await h.send('PATCH', `/api/v1/compliance/systems/${id}`, { level: 2 }, { token: auditor })).status).toBe(403);
    expect((await h.send('POST', '/api/v1/compliance/systems', system, { token: auditor })).status).toBe(403);
    const dn = (await (await h.get('/api/v1/compliance/systems', { token: analystDn })).json()) as { systems: unknown[] };
    expect(dn.systems).toEqual([]);
    expect((await h.get(`/api/v1/compliance/systems/${id}`, { token: analystDn })).status).toBe(404);
    expect((await h.get(`/api/v1/compliance/reports?system=${id}&format=csv`, { token: analystDn })).status).toBe(404);
  });

  it('stores uploaded evidence by SHA-256 and counts it once approved', async () => {
    const list = (await (await h.get('/api/v1/compliance/systems', { token: adminHn })).json()) as { systems: Array<{ id: string }> };
    const id = list.systems[0].id;
    const doc = Buffer.from('Kế hoạch ứng phó sự cố 2026 — bản phê duyệt');
    const up = await fetch(`${h.base}/api/v1/compliance/systems/${id}/evidence?kind=policy_document&title=${encodeURIComponent('Quy chế ATTT')}&file_name=quy-che.txt`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminHn}`, 'content-type': 'text/plain' },
      body: doc,
    });
    expect(up.status).toBe(201);
    const stored = (await up.json()) as { id: string; sha256: string; size: number };
    expect(stored.sha256).toBe(createHash('sha256').update(doc).digest('hex'));
    expect(stored.size).toBe(doc.length);
    const tooBig = await fetch(`${h.base}/api/v1/compliance/systems/${id}/evidence?kind=policy_document&title=x&file_name=x.bin`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminHn}`, 'content-type': 'application/octet-stream' },
      body: Buffer.alloc(65 * 1024),
    });
    expect(tooBig.status).toBe(413);
    const before = (await (await h.get(`/api/v1/compliance/systems/${id}/assessment`, { token: auditor })).json()) as { requirements: Array<{ id: string; status: string }> };
    expect(before.requirements.find((r) => r.id === 'VN85.M.POLICY')?.status).toBe('partly_met');
    expect((await h.send('POST', `/api/v1/compliance/evidence/${stored.id}/approve`, { reviewer: 'ciso' }, { token: auditor })).status).toBe(403);
    expect((await h.send('POST', `/api/v1/compliance/evidence/${stored.id}/approve`, { reviewer: 'ciso' }, { token: adminHn })).status).toBe(200);
    const after = (await (await h.get(`/api/v1/compliance/systems/${id}/assessment`, { token: auditor })).json()) as { requirements: Array<{ id: string; status: string }> };
    expect(after.requirements.find((r) => r.id === 'VN85.M.POLICY')?.status).toBe('met');
    const file = await h.get(`/api/v1/compliance/evidence/${stored.id}/file`, { token: auditor });
    expect(Buffer.from(await file.arrayBuffer())).toEqual(doc);
  });

  it('streams a report and records its digest', async () => {
    const list = (await (await h.get('/api/v1/compliance/systems', { token: auditor })).json()) as { systems: Array<{ id: string }> };
    const res = await h.get(`/api/v1/compliance/reports?system=${list.systems[0].id}&format=html&lang=vi`, { token: auditor });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const body = Buffer.from(await res.arrayBuffer());
    const sha = createHash('sha256').update(body).digest('hex');
    expect(res.headers.get('x-content-sha256')).toBe(sha);
    expect(body.toString('utf8')).toContain('Hệ thống một cửa điện tử');
    const records = audit.list({ action: 'compliance_report.generate', limit: 5 }).records;
    expect(records[0].details.sha256).toBe(sha);
    expect(records[0].actor.id).toBe('auditor');
    expect((await h.get('/api/v1/compliance/reports?agency=danang-dof&system=x', { token: auditor })).status).toBe(400);
  });
});
