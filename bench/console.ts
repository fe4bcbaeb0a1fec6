/**
 * Console first meaningful view with a loaded store: 100,000 events and 10,000 alerts in a test
 * socnoc, then Debian's Chromium (playwright-core) logs in and opens the alert queue and event
 * search. Prints, in milliseconds: login → first alert rows painted, → all 10,000 alerts loaded,
 * event search → histogram and first events painted.
 *
 *   npm run build && node dist/bench/console.js        (needs /usr/bin/chromium and dist/web)
 */
import { randomUUID } from 'node:crypto';
import type { EcsEvent } from '../core/event';
import type { AlertHit } from '../correlation/alerts/types';
import { launchChromium } from '../test/console/browser';
import { consoleServer } from '../test/console/server';
import { ADMIN_PASSWORD, startTestSocnoc } from '../test/support/socnoc';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const ALERTS = Number(process.env.BENCH_ALERTS ?? 10_000);
const AGENCIES = [
  { id: 'ubnd-q1', name: 'UBND Quận 1', cidrs: ['127.0.0.0/8'] },
  { id: 'so-tttt', name: 'Sở Thông tin và Truyền thông', cidrs: ['10.20.0.0/16'] },
];
const LEVELS = ['low', 'medium', 'high', 'critical'] as const;

function sshEvent(i: number, now: number): EcsEvent {
  const ip = `203.0.${(i >> 8) & 255}.${i & 255}`;
  return {
    '@timestamp': new Date(now - (i % 86_400) * 1000).toISOString(),
    message: `Failed password for invalid user admin${i % 50} from ${ip} port ${40000 + (i % 20000)} ssh2`,
    event: { id: randomUUID(), dataset: 'linux.sshd', kind: 'event', category: ['authentication'], outcome: 'failure' },
    source: { ip },
    user: { name: `admin${i % 50}` },
    host: { name: `srv-${i % 40}` },
    organization: { id: AGENCIES[i % 2].id, name: AGENCIES[i % 2].name },
  } as EcsEvent;
}

async function main(): Promise<void> {
  const s = await startTestSocnoc({ agencies: AGENCIES });
  const server = await consoleServer(s, 5);
  const browser = await launchChromium();
  try {
    const now = Date.now();
    let t0 = Date.now();
    for (let i = 0; i < EVENTS; i += 5000) {
      const batch: EcsEvent[] = [];
      for (let j = i; j < Math.min(EVENTS, i + 5000); j++) batch.push(sshEvent(j, now));
      await s.running.events.append(batch);
    }
    console.log(`seeded ${EVENTS} events in ${Date.now() - t0} ms`);
    t0 = Date.now();
    const hits: AlertHit[] = [];
    for (let i = 0; i < ALERTS; i++) {
      const e = sshEvent(i, now);
      const level = LEVELS[i % LEVELS.length];
      hits.push({
        rule: { id: `bench-rule-${i % 25}`, name: `Bench rule ${i % 25}: SSH brute force`, tags: ['attack.credential-access', 'attack.t1110.001'], level, ruleset: 'bench' },
        mappings: { attack: { techniques: ['T1110.001'], tactics: ['credential-access'] }, compliance: { nist_csf: ['DE.CM-01'], iso27001: ['A.8.16'], decree85: [] } },
        organization: { id: AGENCIES[i % 2].id, name: AGENCIES[i % 2].name },
        time: Date.parse(e['@timestamp']),
        group: { 'source.ip': String((e.source as { ip: string }).ip) },
        events: [e],
      });
      if (hits.length === 1000) s.running.detection.alerts.record(hits.splice(0));
    }
    if (hits.length > 0) s.running.detection.alerts.record(hits);
    console.log(`seeded ${ALERTS} alerts in ${Date.now() - t0} ms`);

    const loginStart = Date.now();
    const token = await s.login('admin', ADMIN_PASSWORD);
    console.log(`API login (scrypt): ${Date.now() - loginStart} ms`);
    for (const [what, path] of [
      ['me', '/api/v1/auth/me'],
      ['first alert page (200, open, 7 days)', '/api/v1/alerts?status=new,acknowledged,in_progress&from=now-7d&limit=200'],
      ['alert page without filters', '/api/v1/alerts?limit=200'],
    ]) {
      const t = Date.now();
      const res = await s.get(path, token);
      console.log(`API ${what}: HTTP ${res.status} in ${Date.now() - t} ms`);
    }
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    // In-page clock: when the login form was submitted and when the shell and the first alert row
    // entered the DOM (Playwright's own polling lags on a busy machine).
    await page.addInitScript(`(() => {
      const marks = (window.__socnocMarks = {});
      document.addEventListener('submit', () => { marks.submit = performance.now(); }, true);
      new MutationObserver(() => {
        if (marks.submit === undefined) return;
        if (marks.shell === undefined && document.querySelector('nav.sidebar')) marks.shell = performance.now();
        if (marks.rows === undefined && document.querySelector('.vt-row')) marks.rows = performance.now();
      }).observe(document, { childList: true, subtree: true });
    })()`);
    await page.goto(`${server.baseUrl}/`);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', ADMIN_PASSWORD);
    // Where the time goes between the click and the first rows: every request, relative to the click.
    const timeline: string[] = [];
    const sent = new Map<unknown, number>();
    let start = Date.now();
    page.on('request', (r) => sent.set(r, Date.now()));
    page.on('requestfinished', (r) => {
      const t = sent.get(r);
      if (t !== undefined) timeline.push(`  ${String(t - start).padStart(5)} → ${String(Date.now() - start).padStart(5)} ms  ${r.method()} ${r.url().replace(server.baseUrl, '').slice(0, 100)}`);
    });
    start = Date.now();
    await page.click('button[type=submit]');
    await page.waitForSelector('nav.sidebar', { timeout: 60_000 });
    const loggedIn = Date.now() - start;
    await page.waitForSelector('.vt-row', { timeout: 60_000 });
    const firstRows = Date.now() - start;
    const marks = (await page.evaluate('window.__socnocMarks')) as { submit: number; shell?: number; rows?: number };
    const since = (t: number | undefined): string => (t === undefined ? '?' : `${Math.round(t - marks.submit)} ms`);
    console.log(`in the page, after the login form was submitted: shell in the DOM ${since(marks.shell)}, first alert rows ${since(marks.rows)}`);
    console.log(`requests after the login click (until the first rows, ${firstRows} ms):\n${timeline.filter((l) => Number(l.trim().split(' ')[0]) <= firstRows).join('\n')}`);
    // A returning user (session cookie) opening the queue: the everyday first view.
    const reloadStart = Date.now();
    await page.reload();
    await page.waitForSelector('.vt-row', { timeout: 60_000 });
    const reopened = Date.now() - reloadStart;
    // Strings run in the page (the bench compiles without DOM types).
    await page.waitForFunction(`(document.querySelector('[data-testid=alert-total]')?.textContent ?? '').replace(/\\D/g, '').startsWith('${ALERTS}')`, undefined, { timeout: 60_000 });
    const allLoaded = Date.now() - start;
    const rendered = await page.locator('.vt-row').count();
    // Scrolling the whole queue: time to paint the last rows.
    const scrollStart = Date.now();
    await page.evaluate(`(() => { const body = document.querySelector('.vt-body'); if (body) body.scrollTop = body.scrollHeight; })()`);
    await page.waitForTimeout(50);
    const scrolled = Date.now() - scrollStart;
    const searchStart = Date.now();
    await page.goto(`${server.baseUrl}/events?range=now-24h`);
    await page.waitForSelector('.events-table tr', { timeout: 60_000 });
    await page.waitForSelector('.bar-chart rect', { timeout: 60_000 });
    const search = Date.now() - searchStart;
    console.log(`alert queue: shell ${loggedIn} ms after submitting the login form, first rows ${firstRows} ms; reopening the queue with a session: first rows ${reopened} ms; all ${ALERTS} alerts loaded ${allLoaded} ms; ${rendered} row elements in the DOM; scroll to end ${scrolled} ms`);
    console.log(`event search over ${EVENTS} events: histogram and first page ${search} ms (full page load)`);
    await context.close();
  } finally {
    await browser.close();
    await server.close();
    await s.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
