/**
 * `socnoc report …` through runComplianceCli on a data folder laid out as the server leaves it:
 * socnoc.db (systems register, opened read-only), events/, audit.db. A level-3 system whose web
 * server went silent and whose logs reach back only 20 days must show both gaps against the TCVN
 * 11930 clauses in the PDF (checked with pdftotext, in Vietnamese and English), and the printed
 * digest must be the file's and sit in the audit chain.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog, verifyAuditChain } from '../../core/audit';
import { openSqlite } from '../../core/store/sqlite';
import { SqliteEventStore } from '../../core/store/sqlite-event-store';
import { runComplianceCli, splitConfigFlag, type ComplianceCliDeps, type OpenedStores } from './cli';
import { DEFAULT_COMPLIANCE_CONFIG } from './config';
import { SystemRegister } from './systems/store';
import { AGENCY, DB, FIREWALL, NOW, seedEvents, WEB } from './testdata/seed';

function capture(): { text: string; write(t: string): void } {
  return {
    text: '',
    write(t: string) {
      this.text += t;
    },
  };
}

describe('socnoc report (runComplianceCli)', () => {
  let dir: string;
  let systemId: string;
  let opened = 0;

  /** What app/compliance-ports.ts openCompliancePortsReadOnly does, with core's stores only. */
  const openStores = (): OpenedStores => {
    opened++;
    const coreDb = new Database(join(dir, 'socnoc.db'), { readonly: true, fileMustExist: true });
    const events = new SqliteEventStore({ dir: join(dir, 'events') });
    const audit = openAuditLog(join(dir, 'audit.db'));
    return {
      ports: { events, audit },
      coreDb,
      async close() {
        await events.close();
        audit.close();
        coreDb.close();
      },
    };
  };

  const deps = (out = capture(), err = capture()): ComplianceCliDeps & { out: ReturnType<typeof capture>; err: ReturnType<typeof capture> } => ({ config: DEFAULT_COMPLIANCE_CONFIG, dataDir: dir, out, err, openStores, now: () => NOW });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-report-cli-'));
    const db = openSqlite(join(dir, 'socnoc.db'));
    systemId = new SystemRegister(db).create({
      name: 'Cổng dịch vụ công TP.HCM',
      agency: AGENCY,
      level: 3,
      assets: { devices: [{ name: 'FGT-HCM-EDGE', address: FIREWALL }], agent_hosts: [], log_sources: [{ name: 'web-01 syslog', address: WEB }, { name: 'db-01 syslog', address: DB }] },
      approval: { document: 'QĐ 1234/QĐ-STTTT', date: '2026-03-02' },
    }).id;
    db.close();
    const events = new SqliteEventStore({ dir: join(dir, 'events') });
    await events.append(seedEvents());
    await events.close();
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const lang of ['vi', 'en'] as const) {
    it(`compliance PDF (${lang}): silent source and short retention as gaps against TCVN 11930 clauses; digest printed and audited`, async () => {
      const out = join(dir, `report-${lang}.pdf`);
      const d = deps();
      expect(await runComplianceCli(['compliance', '--regime', 'decree85', '--system', systemId, '--format', 'pdf', '--lang', lang, '--out', out], d)).toBe(0);
      const sha = createHash('sha256').update(readFileSync(out)).digest('hex');
      expect(d.out.text).toBe(`${sha}  ${out}\n`);
      const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain('VN85.T.NET.LOG');
      expect(text).toContain('7.2.1.4');
      expect(text).toContain('VN85.T.SRV.LOG');
      expect(text).toContain('7.2.2.3');
      // The last web-server line: the 2-hourly slot at 00:02, 30 h before the report.
      expect(text).toContain(lang === 'vi' ? 'web-01 syslog: im lặng từ 2026-12-17 00:02' : 'web-01 syslog: silent since 2026-12-17 00:02');
      if (lang === 'vi') {
        expect(text).toContain('Báo cáo đánh giá tuân thủ an toàn thông tin');
        expect(text).toContain('Cổng dịch vụ công TP.HCM');
        expect(text).toContain('VN85.T.NET.LOG (TCVN 11930:2017 7.2.1.4): Đạt một phần');
        expect(text).toContain('VN.MON.STORAGE_30D');
        expect(text).toContain('Nhật ký truy xuất được 20 ngày');
        expect(text).toContain('yêu cầu ≥ 90 ngày');
      } else {
        expect(text).toContain('Information security compliance assessment report');
        expect(text).toContain('VN.MON.STORAGE_30D · Monitoring-data storage capacity of at least ~30 days of normal operation Result: Not met');
        expect(text).toContain('20 days of logs retrievable');
        expect(text).toContain('required ≥ 90 days');
      }
      const audit = new Database(join(dir, 'audit.db'), { readonly: true });
      const row = audit.prepare("SELECT details FROM audit_log WHERE action = 'compliance_report.generate' ORDER BY seq DESC LIMIT 1").get() as { details: string };
      expect(JSON.parse(row.details)).toMatchObject({ sha256: sha, lang, regime: 'decree85', scope: 'system', scope_id: systemId });
      expect(verifyAuditChain(audit).ok).toBe(true);
      audit.close();
    });
  }

  it('monitoring CSV for the agency; the server files are opened read-only and left as they were', async () => {
    const before = readFileSync(join(dir, 'socnoc.db'));
    const out = join(dir, 'weekly.csv');
    const d = deps();
    expect(await runComplianceCli(['monitoring', '--period', 'weekly', '--agency', AGENCY, '--format', 'csv', '--lang', 'en', '--out', out], d)).toBe(0);
    const csv = readFileSync(out, 'utf8');
    expect(csv).toContain(`sources,silent,${WEB},`);
    expect(csv).toContain('events,by_dataset,fortinet.fortigate,84');
    expect(d.out.text).toBe(`${createHash('sha256').update(readFileSync(out)).digest('hex')}  ${out}\n`);
    expect(d.err.text).toMatch(/digest recorded as audit record \d+/);
    expect(readFileSync(join(dir, 'socnoc.db')).equals(before)).toBe(true);
  });

  it('monitoring reports generated on cadence become evidence for VN.MON.REPORTS; the six-monthly one is still missing', async () => {
    expect(await runComplianceCli(['monitoring', '--period', 'daily', '--agency', AGENCY, '--format', 'html', '--lang', 'vi', '--out', join(dir, 'daily.html')], deps())).toBe(0);
    const out = join(dir, 'assessment.csv');
    expect(await runComplianceCli(['compliance', '--agency', AGENCY, '--format', 'csv', '--lang', 'en', '--out', out], deps())).toBe(0);
    const rows = readFileSync(out, 'utf8').split('\r\n');
    const row = (id: string): string => rows.find((r) => r.includes(`,${id},`)) ?? '';
    // The weekly CSV (previous test) and this daily HTML report are in the audit log.
    expect(row('VN.MON.REPORTS')).toContain(',met,Met,');
    expect(row('VN.MON.REPORTS')).toContain('2/2 kinds of monitoring report (Circular 31/2017) generated on cadence');
    expect(row('VN.MON.SEMIANNUAL')).toContain(',not_met,Not met,');
    expect(row('VN.MON.SEMIANNUAL')).toContain('Schedule monitoring reports (compliance.schedules, report: monitoring): six-monthly report');
  });

  it('bad arguments exit 2 naming the problem, before any store is opened', async () => {
    const before = opened;
    const d = deps();
    expect(await runComplianceCli(['compliance', '--system', systemId, '--format', 'docx', '--out', 'x'], d)).toBe(2);
    expect(d.err.text).toContain('--format must be one of pdf, html, csv, got "docx"');
    expect(await runComplianceCli(['monitoring', '--period', 'monthly', '--agency', AGENCY, '--out', 'x'], d)).toBe(2);
    expect(d.err.text).toContain('--period must be one of daily, weekly, semiannual, got "monthly"');
    expect(await runComplianceCli(['audit'], d)).toBe(2);
    expect(opened).toBe(before);
    const e = deps();
    expect(await runComplianceCli(['compliance', '--system', 'nope', '--out', join(dir, 'x.pdf')], e)).toBe(2);
    expect(e.err.text).toBe('compliance report: no system with id "nope"\n');
  });

  it('splitConfigFlag takes --config out for app/cli.ts', () => {
    expect(splitConfigFlag(['monitoring', '--config', '/etc/socnoc.yaml', '--agency', 'a'])).toEqual({ configPath: '/etc/socnoc.yaml', rest: ['monitoring', '--agency', 'a'] });
  });
});
