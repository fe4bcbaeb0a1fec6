/**
 * The web console in a real browser (Debian's Chromium through playwright-core) against a whole
 * socnoc: log in, watch an alert raised by a syslog line arrive live in the queue, acknowledge it,
 * switch to Vietnamese, and check that an agency user cannot open another agency's alert by URL.
 * It then opens the incident grouped from that alert, switches to Vietnamese there, and sees the
 * device list; an SSH brute force leaves the shipped brute-force playbook waiting, and an analyst
 * approves it from the console (an auditor sees no buttons). Manual compliance evidence is uploaded
 * and listed; a playbook started with Run is denied from the incident in Vietnamese. Screenshots of
 * every main view, the playbook and compliance views included, in both languages go to
 * test-artifacts/screenshots/; no Vietnamese page may show English running text.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { logger } from '../collectors/syslog/listen/testing/peers';
import { en } from '../dashboards/web/src/i18n/en';
import { vi } from '../dashboards/web/src/i18n/vi';
import { launchChromium } from './console/browser';
import { englishLines } from './console/english-text';
import { consoleServer, requireBuiltConsole, type ConsoleServer } from './console/server';
import { ADMIN_PASSWORD, startTestSocnoc, type TestSocnoc } from './support/socnoc';

const SHOTS = join(__dirname, '..', 'test-artifacts', 'screenshots');
/** The visible text of every Vietnamese page, and the English lines found in it. */
const TEXTS = join(__dirname, '..', 'test-artifacts', 'vi-text');
const englishSeen: string[] = [];
const AGENCIES = [
  { id: 'ubnd-q1', name: 'UBND Quận 1', cidrs: ['127.0.0.0/8'] },
  { id: 'ubnd-q3', name: 'UBND Quận 3', cidrs: ['::1/128'] },
];
const ROOT_LOGIN_RULE = 'Direct SSH Login as root';
/** The rule's Vietnamese title (x_socnoc_title_vi), which the Vietnamese console shows instead. */
const ROOT_LOGIN_RULE_VI = 'Đăng nhập SSH trực tiếp bằng tài khoản root';
/** Live updates poll every refreshSeconds (1 s in the fallback server, 5 s by default when socnoc serves the console). */
const LIVE_TIMEOUT_MS = 20_000;

interface IncidentList {
  incidents: Array<{ id: string; alert_ids: string[] }>;
}

interface AlertList {
  total: number;
  alerts: Array<{ id: string; status: string; rule: { name: string }; organization: { id: string } }>;
}

/** English phrases of two words or more that differ in Vietnamese: none may show on a Vietnamese page. */
const ENGLISH_ONLY = Object.keys(en)
  .map((k) => k as keyof typeof en)
  .filter((k) => en[k] !== vi[k] && !en[k].includes('{') && /\w+ \w+/.test(en[k]))
  .map((k) => en[k]);

/** The page's visible text without text written by users ([data-user-content]); a script string, as the tests compile without the DOM library. */
const VISIBLE_CONSOLE_TEXT = `(() => {
  const hidden = [...document.querySelectorAll('[data-user-content]')];
  for (const el of hidden) el.style.display = 'none';
  const text = document.body.innerText;
  for (const el of hidden) el.style.display = '';
  return text;
})()`;

describe('web console end to end', () => {
  let s: TestSocnoc;
  let server: ConsoleServer;
  let browser: Browser;
  let admin: string;
  let lifecycle: boolean;

  beforeAll(async () => {
    requireBuiltConsole();
    browser = await launchChromium();
    s = await startTestSocnoc({ agencies: AGENCIES });
    server = await consoleServer(s);
    admin = await s.login('admin', ADMIN_PASSWORD);
    for (const [username, agency] of [
      ['lan.q1', 'ubnd-q1'],
      ['binh.q3', 'ubnd-q3'],
    ]) {
      const created = await s.post('/api/v1/users', { username, password: `${username}-password-1`, role: 'soc_analyst', agencies: [agency] }, admin);
      expect(created.status).toBe(201);
    }
    const probe = await s.post<{ error?: { message: string } }>('/api/v1/alerts/bulk', { ids: [], set: {} }, admin);
    lifecycle = !(probe.status === 404 && (probe.body.error?.message ?? '').startsWith('no route'));
    mkdirSync(SHOTS, { recursive: true });
    mkdirSync(TEXTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    writeFileSync(join(TEXTS, 'english-lines.txt'), englishSeen.join('\n') + '\n');
    await browser?.close();
    await server?.close();
    await s?.stop();
  });

  async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
    const page = await context.newPage();
    page.on('pageerror', (err) => {
      throw new Error(`console page error: ${err.message}`);
    });
    return { context, page };
  }

  async function logIn(page: Page, username: string, password: string): Promise<void> {
    await page.goto(`${server.baseUrl}/`);
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', password);
    await page.click('button[type=submit]');
    await page.waitForSelector('nav.sidebar');
  }

  async function shoot(page: Page, lang: 'en' | 'vi', name: string): Promise<void> {
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, `${lang}-${name}.png`), fullPage: false });
    if (lang === 'vi') {
      // Text written by users (playbook names and descriptions from YAML) is not the console's to translate.
      const text = String(await page.evaluate(VISIBLE_CONSOLE_TEXT));
      const leaked = ENGLISH_ONLY.filter((phrase) => text.includes(phrase));
      writeFileSync(join(TEXTS, `${name}.txt`), text);
      // Sentences the server wrote (timeline, recipients, run outcomes) that no catalogue key names.
      const english = englishLines(text);
      for (const line of english) englishSeen.push(`${name}: ${line}`);
      expect({ view: name, untranslated: leaked, english }).toEqual({ view: name, untranslated: [], english: [] });
    }
  }

  it('logs in, shows a syslog alert live, acknowledges it, switches to Vietnamese and captures every view', async () => {
    const { context, page } = await newPage();
    await page.goto(`${server.baseUrl}/`);
    await page.waitForSelector('input[name=username]');
    await shoot(page, 'en', 'login');
    await logIn(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL(/\/alerts$/);
    expect(await page.textContent('h1')).toBe(en['alerts.title']);
    await page.waitForSelector('[role=table]');
    expect(await page.locator(`text=${ROOT_LOGIN_RULE}`).count()).toBe(0);

    // The queue is open; the alert must arrive without a reload.
    await logger('127.0.0.1', s.port('udp'), ['--udp', '--rfc3164', '-t', 'sshd', '-p', 'auth.info', 'Accepted password for root from 198.51.100.23 port 50122 ssh2']);
    const row = page.locator('.vt-row', { hasText: ROOT_LOGIN_RULE });
    await row.first().waitFor({ timeout: LIVE_TIMEOUT_MS });
    const alertId = await row.first().getAttribute('data-row-key');
    expect(alertId).toBeTruthy();
    await shoot(page, 'en', 'alerts');

    // Acknowledge through the bulk bar.
    await row.first().locator('input[type=checkbox]').check();
    await page.click('[data-action=acknowledge]');
    if (lifecycle) {
      const deadline = Date.now() + 10_000;
      let status = '';
      while (Date.now() < deadline && status !== 'acknowledged') {
        status = (await s.get<{ status: string }>(`/api/v1/alerts/${alertId}`, admin)).body.status;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe('acknowledged');
      await page.locator(`[data-row-key="${alertId}"] .status-acknowledged`).waitFor({ timeout: LIVE_TIMEOUT_MS });
    } else {
      // Without the lifecycle API the console says so instead of failing silently.
      await page.locator('[data-testid=not-available]').waitFor();
      expect((await s.get<{ status: string }>(`/api/v1/alerts/${alertId}`, admin)).body.status).toBe('new');
    }

    // Alerts of severity medium and above are grouped into incidents automatically.
    let incidentId: string | undefined;
    const incidentDeadline = Date.now() + LIVE_TIMEOUT_MS;
    while (incidentId === undefined && Date.now() < incidentDeadline) {
      const incidents = await s.get<IncidentList>('/api/v1/incidents', admin);
      incidentId = incidents.body.incidents.find((x) => x.alert_ids.includes(alertId!))?.id;
      if (incidentId === undefined) await new Promise((r) => setTimeout(r, 250));
    }
    expect(incidentId).toBeDefined();
    // A device for the NOC views (polling is off in the test socnoc: its status stays unknown).
    const device = await s.post('/api/v1/devices', { name: 'core-sw-q1', address: '127.0.0.1', port: 16199, snmp: { version: '2c', community: 'public' } }, admin);
    expect(device.status).toBe(201);

    const views: Array<[string, string, string]> = [
      ['alert-detail', `/alerts/${alertId}`, '[data-testid=alert-detail]'],
      ['incident', `/incidents/${incidentId}`, '[data-testid=reporting-clock]'],
      ['suppressions', '/alerts/suppressions', '.view'],
      ['intel', '/intel', '.view .panel'],
      ['agents', '/admin/agents', '.view'],
      ['audit', '/admin/audit', '[data-testid=audit-chain]'],
      ['events', '/events', '.histogram-panel'],
      ['attack', '/attack', '.attack-matrix'],
      ['health', '/noc/health', '[data-testid=inputs-table]'],
      ['devices', '/noc/devices', '.view tr:has-text("core-sw-q1")'],
      ['flows', '/noc/flows', '.view'],
      ['incidents', '/incidents', '.view'],
      ['users', '/admin/users', '.table'],
      ['agencies', '/admin/agencies', '[data-testid=agencies] tr[data-agency=ubnd-q1]'],
      ['retention', '/admin/retention', '[data-testid=retention-events]'],
      ['tokens', '/admin/tokens', '.table'],
      ['rules', '/admin/rules', '.table'],
      ['wall', '/wall', '[data-testid=wall]'],
    ];
    const capture = async (lang: 'en' | 'vi'): Promise<void> => {
      for (const [name, path, ready] of views) {
        await page.goto(`${server.baseUrl}${path}`);
        await page.waitForSelector(ready, { timeout: 15_000 });
        if (name === 'alert-detail') await page.waitForSelector(`text=${lang === 'vi' ? ROOT_LOGIN_RULE_VI : ROOT_LOGIN_RULE}`);
        await shoot(page, lang, name);
      }
    };
    await capture('en');

    // The incident from the alert: its alert is linked, the reporting clock runs; then Vietnamese there.
    await page.goto(`${server.baseUrl}/incidents/${incidentId}`);
    await page.waitForSelector(`[data-testid=incident-detail] a:has-text("${alertId}")`);
    expect(await page.locator('[data-testid=reporting-clock] h2').innerText()).toBe(en['incidents.reporting']);
    await page.click('[data-lang=vi]');
    await page.waitForSelector(`[data-testid=reporting-clock] h2:has-text("${vi['incidents.reporting']}")`);
    expect(await page.locator('[data-testid=incident-detail] .panel h2').allInnerTexts()).toEqual(
      expect.arrayContaining([vi['alert.summary'], vi['incidents.tasks'], vi['incidents.timeline']]),
    );
    await page.goto(`${server.baseUrl}/noc/devices`);
    await page.waitForSelector(`.view tr:has-text("core-sw-q1") .dev-status:has-text("${vi['device.unknown']}")`);

    await page.goto(`${server.baseUrl}/alerts`);
    await page.waitForSelector(`h1:has-text("${vi['alerts.title']}")`);
    expect(await page.locator('nav.sidebar').innerText()).toContain('Cảnh báo');
    expect(await page.locator('nav.sidebar').innerText()).toContain('Tìm kiếm sự kiện');
    expect(await page.locator('.vt-head').innerText()).toContain(vi['alerts.severity'].toUpperCase());
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await page.locator('.vt-row', { hasText: ROOT_LOGIN_RULE_VI }).first().waitFor();
    await shoot(page, 'vi', 'alerts');
    // The choice survives a reload (kept per browser and per user).
    await page.reload();
    await page.waitForSelector(`h1:has-text("${vi['alerts.title']}")`);
    await capture('vi');
    await page.goto(`${server.baseUrl}/alerts`);
    await page.click('[data-testid=logout]');
    await page.waitForSelector('input[name=username]');
    await shoot(page, 'vi', 'login');
    await context.close();
  }, 180_000);

  it('keeps an agency user out of another agency\'s alert, even by URL, and shows a menu for their role', async () => {
    const list = await s.get<AlertList>(`/api/v1/alerts?q=${encodeURIComponent('rule.name:"Direct SSH Login as root"')}`, admin);
    const alert = list.body.alerts.find((a) => a.organization.id === 'ubnd-q1');
    expect(alert).toBeDefined();

    const { context, page } = await newPage();
    await logIn(page, 'binh.q3', 'binh.q3-password-1');
    expect(await page.locator('[data-menu=users]').count()).toBe(0);
    expect(await page.locator('[data-menu=alerts]').count()).toBe(1);
    await page.goto(`${server.baseUrl}/alerts/${alert!.id}`);
    await page.waitForSelector('[data-testid=alert-not-found]');
    expect(await page.locator(`text=${ROOT_LOGIN_RULE}`).count()).toBe(0);
    await page.goto(`${server.baseUrl}/alerts?status=all&range=all`);
    await page.waitForSelector('[role=table]');
    await page.waitForTimeout(500);
    expect(await page.locator('.vt-row').count()).toBe(0);
    await context.close();

    // Their colleague in the alert's agency does see it.
    const own = await newPage();
    await logIn(own.page, 'lan.q1', 'lan.q1-password-1');
    await own.page.goto(`${server.baseUrl}/alerts/${alert!.id}`);
    await own.page.waitForSelector('[data-testid=alert-detail]');
    await own.context.close();
  }, 60_000);

  it('approves a waiting brute-force run from the incident and run views, and shows compliance and playbooks in both languages', async () => {
    // The SSH brute-force correlation fires; the shipped brute-force playbook then waits for a SOC analyst.
    const attacker = '203.0.113.45';
    for (let i = 0; i < 8; i++) {
      await logger('127.0.0.1', s.port('tcp'), ['--tcp', '--rfc3164', '-t', 'sshd', '-p', 'auth.info', `Failed password for root from ${attacker} port ${42000 + i} ssh2`]);
    }
    await logger('127.0.0.1', s.port('tcp'), ['--tcp', '--rfc3164', '-t', 'sshd', '-p', 'auth.info', `Accepted password for root from ${attacker} port 42100 ssh2`]);
    let run: { id: string; alert_id: string } | undefined;
    const runDeadline = Date.now() + LIVE_TIMEOUT_MS;
    while (run === undefined && Date.now() < runDeadline) {
      run = (await s.get<{ runs: Array<{ id: string; alert_id: string }> }>('/api/v1/playbooks/runs?playbook=brute-force&status=waiting_approval', admin)).body.runs[0];
      if (run === undefined) await new Promise((r) => setTimeout(r, 250));
    }
    expect(run).toBeDefined();
    const incidents = (await s.get<IncidentList>('/api/v1/incidents', admin)).body.incidents;
    const incident = incidents.find((x) => x.alert_ids.includes(run!.alert_id));
    expect(incident).toBeDefined();
    const system = await s.post<{ id: string }>(
      '/api/v1/compliance/systems',
      { name: 'Cổng dịch vụ công Quận 1', agency: 'ubnd-q1', level: 3, assets: { devices: [{ name: 'core-sw-q1', address: '127.0.0.1' }], agent_hosts: ['web-q1-01'], log_sources: [{ address: '127.0.0.1' }] }, approval: { document: 'QĐ 123/QĐ-UBND', date: '2025-06-01' } },
      admin,
    );
    expect(system.status).toBe(201);

    // An auditor sees the run but no approve / deny buttons (no playbooks:approve).
    const auditor = await s.post('/api/v1/users', { username: 'kiemtoan.q1', password: 'kiemtoan-password-1', role: 'auditor', agencies: ['ubnd-q1'] }, admin);
    expect(auditor.status).toBe(201);
    const audit = await newPage();
    await logIn(audit.page, 'kiemtoan.q1', 'kiemtoan-password-1');
    await audit.page.goto(`${server.baseUrl}/playbooks/runs/${run!.id}`);
    await audit.page.waitForSelector('[data-testid=approval-request]');
    expect(await audit.page.locator('[data-action=approve-run]').count()).toBe(0);
    expect(await audit.page.locator('[data-menu=compliance]').count()).toBe(1);
    await audit.context.close();

    // The analyst sees the waiting run in the incident, then approves it in the run view.
    const { context, page } = await newPage();
    await logIn(page, 'lan.q1', 'lan.q1-password-1');
    await page.click('[data-lang=en]');
    await page.goto(`${server.baseUrl}/incidents/${incident!.id}`);
    await page.waitForSelector(`[data-testid=alert-runs] tr[data-run="${run!.id}"] [data-action=approve-run]`, { timeout: 15_000 });
    await shoot(page, 'en', 'incident-runs');
    await page.goto(`${server.baseUrl}/playbooks/runs/${run!.id}`);
    await page.waitForSelector('[data-testid=approval-request] [data-action=approve-run]');
    await shoot(page, 'en', 'playbook-run-waiting');
    await page.fill('[data-testid=approval-request] input', 'nguồn tấn công bên ngoài, chặn');
    await page.click('[data-testid=approval-request] [data-action=approve-run]');
    await page.waitForSelector('[data-testid=playbook-run] [data-run-status=succeeded]', { timeout: LIVE_TIMEOUT_MS });
    expect(await page.locator('[data-step=block-source]').count()).toBe(1);
    await context.close();

    // Screens of the playbook and compliance views, in English then Vietnamese (admin).
    const shots = await newPage();
    await logIn(shots.page, 'admin', ADMIN_PASSWORD);
    const views: Array<[string, string, string]> = [
      ['playbooks', '/playbooks', '[data-testid=playbook-list] tr[data-playbook=brute-force]'],
      ['playbook-run', `/playbooks/runs/${run!.id}`, '[data-step=block-source]'],
      ['alert-playbooks', `/alerts/${run!.alert_id}`, '[data-testid=alert-runs] [data-run-status]'],
      ['compliance', '/compliance', `[data-system="${system.body.id}"]`],
      ['compliance-system', `/compliance/systems/${system.body.id}`, '[data-testid=compliance-requirements] tr[data-requirement]'],
    ];
    for (const lang of ['en', 'vi'] as const) {
      await shots.page.click(`[data-lang=${lang}]`);
      for (const [name, path, ready] of views) {
        await shots.page.goto(`${server.baseUrl}${path}`);
        await shots.page.waitForSelector(ready, { timeout: 15_000 });
        await shoot(shots.page, lang, name);
      }
    }
    // The simulation from the alert lists the steps it would take, without waiting for anyone.
    await shots.page.goto(`${server.baseUrl}/alerts/${run!.alert_id}`);
    await shots.page.selectOption('[data-field=playbook]', 'brute-force');
    await shots.page.click('[data-action=simulate-playbook]');
    await shots.page.waitForSelector('[data-testid=playbook-simulation] li', { timeout: 15_000 });
    await shots.context.close();
  }, 90_000);

  it('uploads manual compliance evidence, starts a playbook with Run, and denies its approval from the incident in Vietnamese', async () => {
    const system = await s.post<{ id: string }>(
      '/api/v1/compliance/systems',
      { name: 'Hệ thống thư điện tử Quận 1', agency: 'ubnd-q1', level: 2, assets: { devices: [], agent_hosts: ['mail-q1-01'], log_sources: [{ address: '127.0.0.1' }] } },
      admin,
    );
    expect(system.status).toBe(201);
    const { context, page } = await newPage();
    await logIn(page, 'admin', ADMIN_PASSWORD);
    await page.click('[data-lang=vi]');

    // Manual evidence: upload a document from the system page and see it listed.
    await page.goto(`${server.baseUrl}/compliance/systems/${system.body.id}`);
    await page.waitForSelector('[data-testid=evidence-upload] [data-field=evidence-kind] option', { state: 'attached' });
    const title = 'Quy chế bảo đảm an toàn thông tin năm 2026';
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    await page.fill('[data-field=evidence-title]', title);
    await page.setInputFiles('[data-field=evidence-file]', { name: 'quy-che-attt-2026.pdf', mimeType: 'application/pdf', buffer: pdf });
    await page.click('[data-testid=evidence-upload] button[type=submit]');
    const listed = page.locator('[data-testid=evidence-table] tr', { hasText: title });
    await listed.waitFor({ timeout: 15_000 });
    expect(await listed.innerText()).toContain('quy-che-attt-2026.pdf');
    expect(await listed.innerText()).toContain(vi['compliance.approve']);
    const stored = await s.get<{ documents: Array<{ kind: string; title: string; file_name: string; uploaded_by: string; size: number; approved_at: string | null }> }>(`/api/v1/compliance/systems/${system.body.id}/evidence`, admin);
    expect(stored.body.documents).toEqual([expect.objectContaining({ title, file_name: 'quy-che-attt-2026.pdf', uploaded_by: 'admin', size: pdf.length, approved_at: null })]);
    // Its evidence kind is named in Vietnamese, not by its catalogue id.
    expect(await listed.innerText()).toContain(vi[`evidenceKind.${stored.body.documents[0].kind}` as keyof typeof vi]);
    await page.locator('[data-testid=compliance-evidence]').scrollIntoViewIfNeeded();
    await shoot(page, 'vi', 'compliance-evidence');

    // Run: the brute-force playbook started by hand on the public-address SSH login of the first test.
    const found = await s.get<AlertList>(`/api/v1/alerts?q=${encodeURIComponent('rule.name:"SSH Login From a Public Internet Address"')}`, admin);
    const alert = found.body.alerts.find((a) => a.organization.id === 'ubnd-q1');
    expect(alert).toBeDefined();
    await page.click('[data-lang=en]');
    await page.goto(`${server.baseUrl}/alerts/${alert!.id}`);
    await page.selectOption('[data-field=playbook]', 'brute-force');
    await page.click('[data-action=run-playbook]');
    await page.waitForURL(/\/playbooks\/runs\/[^/]+$/);
    const runId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await page.waitForSelector('[data-testid=playbook-run] > .page-header [data-run-status=waiting_approval]', { timeout: LIVE_TIMEOUT_MS });
    await page.goto(`${server.baseUrl}/alerts/${alert!.id}`);
    await page.waitForSelector(`[data-testid=alert-runs] tr[data-run="${runId}"] [data-run-status=waiting_approval]`, { timeout: 15_000 });
    expect(await page.locator(`[data-testid=alert-runs] tr[data-run="${runId}"]`).innerText()).toContain(`${en['playbook.trigger.manual']} · admin`);
    await context.close();

    // The analyst of the agency (an approver: soc_analyst) denies it from the incident, in Vietnamese.
    const incident = (await s.get<IncidentList>('/api/v1/incidents', admin)).body.incidents.find((x) => x.alert_ids.includes(alert!.id));
    expect(incident).toBeDefined();
    const analyst = await newPage();
    await logIn(analyst.page, 'lan.q1', 'lan.q1-password-1');
    await analyst.page.click('[data-lang=vi]');
    await analyst.page.goto(`${server.baseUrl}/incidents/${incident!.id}`);
    const runRow = analyst.page.locator(`[data-testid=alert-runs] tr[data-run="${runId}"]`);
    await runRow.locator('[data-action=deny-run]').waitFor({ timeout: 15_000 });
    await runRow.locator('input').fill('Địa chỉ của nhà cung cấp dịch vụ, không chặn');
    await runRow.locator('[data-action=deny-run]').click();
    await runRow.locator('[data-run-status=denied]').waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await runRow.locator('[data-action=deny-run]').count()).toBe(0);
    const denial = vi['tl.approvalDenied'].replace('{step}', 'approve-block');
    await analyst.page.locator('[data-testid=incident-timeline] li[data-kind=playbook_step]', { hasText: denial }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    // socnoc's default report recipient is named in Vietnamese too.
    expect(await analyst.page.locator('[data-testid=reporting-clock] tr[data-due="report.form03"]').innerText()).toContain(vi['incident.recipient'].replace('{who}', vi['recipient.decree85']));
    await shoot(analyst.page, 'vi', 'incident-denied');
    const run = await s.get<{ status: string; steps: Array<{ step_id: string; status: string }> }>(`/api/v1/playbooks/runs/${runId}`, admin);
    expect(run.body.status).toBe('denied');
    expect(run.body.steps.find((x) => x.step_id === 'block-source')).toBeUndefined();

    // The run view: ended denied, the block never ran.
    await analyst.page.goto(`${server.baseUrl}/playbooks/runs/${runId}`);
    await analyst.page.waitForSelector('[data-testid=playbook-run] > .page-header [data-run-status=denied]');
    expect(await analyst.page.locator('[data-step=block-source]').count()).toBe(0);
    const denied = await analyst.page.locator('[data-testid=run-denied]').innerText();
    expect(denied).toContain(vi['playbook.deniedBy'].split(' {when}')[0].replace('{who}', 'lan.q1'));
    expect(denied).toContain('Địa chỉ của nhà cung cấp dịch vụ, không chặn');
    await shoot(analyst.page, 'vi', 'playbook-run-denied');
    // The language is kept on the user: give lan.q1 back the English the next test expects.
    await Promise.all([
      analyst.page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/me') && r.request().method() === 'PATCH'),
      analyst.page.click('[data-lang=en]'),
    ]);
    await analyst.context.close();
  }, 120_000);

  it('sends an expired session back to the login page with a notice', async () => {
    const { context, page } = await newPage();
    await logIn(page, 'lan.q1', 'lan.q1-password-1');
    const cookies = await context.cookies();
    expect(cookies.some((c) => c.name === 'socnoc_session' && c.httpOnly)).toBe(true);
    // Revoke every session of the user behind the browser's back, as an expiry would.
    const user = s.running.users.get('lan.q1')!;
    s.running.tokens.revokeAllForUser(user.id, 'session');
    await page.goto(`${server.baseUrl}/events`);
    await page.waitForSelector('input[name=username]');
    await page.goto(`${server.baseUrl}/alerts`);
    await logIn(page, 'lan.q1', 'lan.q1-password-1');
    // An in-page 401 (the next poll) shows the expiry notice.
    s.running.tokens.revokeAllForUser(user.id, 'session');
    await page.waitForSelector('.login-card .notice', { timeout: LIVE_TIMEOUT_MS });
    expect(await page.locator('.login-card .notice').innerText()).toBe(en['login.expired']);
    await context.close();
  }, 60_000);
});
