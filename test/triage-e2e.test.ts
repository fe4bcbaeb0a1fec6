/**
 * Triage and response end to end, as issue 6 is checked: a burst of failed SSH logins and a success
 * sent with `logger` to a running socnoc yields one deduplicated alert and one incident; the
 * shipped brute-force playbook emails a real SMTP server, waits for approval, then renders a
 * dry-run block; the audit chain verifies; and a STIX bundle written for this run (so never seen
 * before) raises an intel hit on matching traffic.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { runAuditVerify } from '../core/audit/cli';
import { logger } from '../collectors/syslog/listen/testing/peers';
import { netflowV9Datagrams } from '../collectors/netflow/testing/v9-datagrams';
import { ADMIN_PASSWORD, startTestSocnoc, type TestSocnoc } from './support/socnoc';

const SSH_AFTER_FAILURES = '8daebfd1-5ac1-4843-9d55-4005c9d8d9b5';
const ATTACKER = '198.51.100.77';
const SMTP_USER = 'socnoc-relay';
const SMTP_PASS = 'relay-password-1';

interface Mail {
  to: string[];
  raw: string;
}
interface AlertList {
  total: number;
  alerts: Array<{ id: string; count: number; rule: { id: string; name: string }; organization: { id: string } }>;
}
interface IncidentList {
  total: number;
  incidents: Array<{ id: string; status: string; alert_ids: string[]; organization: { id: string }; due: unknown[] }>;
}
interface Run {
  id: string;
  playbook_id: string;
  alert_id: string;
  status: string;
}
interface RunDetail extends Run {
  steps: Array<{ step_id: string; status: string; output: Record<string, unknown> | null }>;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('triage and response end to end', () => {
  let s: TestSocnoc;
  let admin: string;
  let smtp: SMTPServer;
  let dir: string;
  const mails: Mail[] = [];
  // A fresh indicator for this run: no rule, fixture or earlier run can have it.
  const stixAddress = `203.0.113.${randomInt(2, 250)}`;
  const mispAddress = `192.0.2.${randomInt(2, 250)}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-triage-'));
    smtp = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth(auth, _session, cb) {
        if (auth.username === SMTP_USER && auth.password === SMTP_PASS) cb(null, { user: auth.username });
        else cb(new Error('invalid credentials'));
      },
      onData(stream, session, cb) {
        let raw = '';
        stream.on('data', (d: Buffer) => (raw += d.toString('utf8')));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const smtpPort = (smtp.server.address() as AddressInfo).port;

    const stixFile = join(dir, 'partner-feed.json');
    writeFileSync(
      stixFile,
      JSON.stringify({
        type: 'bundle',
        id: 'bundle--5d0c8e2a-3f7e-4c61-9b3e-6a1c2f0e9d11',
        objects: [
          {
            type: 'indicator',
            spec_version: '2.1',
            id: 'indicator--8e2b7c1d-0a4f-4b6e-9c3d-2f1a0b9c8d7e',
            created: '2026-11-20T00:00:00.000Z',
            modified: '2026-11-20T00:00:00.000Z',
            name: 'C2 server seen by a partner CERT',
            indicator_types: ['malicious-activity'],
            pattern: `[ipv4-addr:value = '${stixAddress}']`,
            pattern_type: 'stix',
            valid_from: '2026-11-20T00:00:00Z',
            confidence: 85,
          },
        ],
      }),
    );

    const mispFile = join(dir, 'misp-event.json');
    writeFileSync(
      mispFile,
      JSON.stringify({
        Event: {
          uuid: randomUUID(),
          info: 'Botnet controller shared by VNCERT/CC partners',
          date: '2026-11-20',
          threat_level_id: '1',
          Attribute: [{ uuid: randomUUID(), type: 'ip-dst', category: 'Network activity', to_ids: true, value: mispAddress, timestamp: '1795132800' }],
        },
      }),
    );

    s = await startTestSocnoc({
      agencies: [{ id: 'ubnd-q1', name: 'UBND Quận 1', cidrs: ['127.0.0.0/8'] }],
      smtp: { host: '127.0.0.1', port: smtpPort, secure: false, auth: { user: SMTP_USER, pass: SMTP_PASS }, from: 'socnoc@hcm.example' },
      soc_email: ['soc@hcm.example'],
      intel: {
        feeds: [
          { name: 'partner-stix', format: 'stix', path: stixFile, refreshMinutes: 0 },
          { name: 'partner-misp', format: 'misp', path: mispFile, refreshMinutes: 0 },
        ],
      },
      netflow: { listeners: [{ name: 'udp-triage', transport: 'udp', host: '127.0.0.1', port: 0 }] },
    });
    admin = await s.login('admin', ADMIN_PASSWORD);
    const created = await s.post('/api/v1/users', { username: 'analyst.q1', password: 'analyst-password-1', role: 'soc_analyst', agencies: ['ubnd-q1'] }, admin);
    expect(created.status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await s?.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('folds a brute force into one alert and one incident, emails the SOC, and blocks (dry run) only after approval', async () => {
    for (let i = 0; i < 8; i++) {
      await logger('127.0.0.1', s.port('tcp'), ['--tcp', '--rfc3164', '-t', 'sshd', '-p', 'auth.info', `Failed password for root from ${ATTACKER} port ${41000 + i} ssh2`]);
    }
    await logger('127.0.0.1', s.port('tcp'), ['--tcp', '--rfc3164', '-t', 'sshd', '-p', 'auth.info', `Accepted password for root from ${ATTACKER} port 41100 ssh2`]);

    const alert = await until('the "login after repeated failures" alert', async () => {
      const list = (await s.get<AlertList>(`/api/v1/alerts?q=source.ip:${ATTACKER}&limit=100`, admin)).body;
      return list.alerts.find((a) => a.rule.id === SSH_AFTER_FAILURES);
    });
    const list = (await s.get<AlertList>(`/api/v1/alerts?q=source.ip:${ATTACKER}&limit=100`, admin)).body;
    // Deduplicated: one alert per rule for this attacker, never one per failed login.
    const perRule = new Map<string, number>();
    for (const a of list.alerts) perRule.set(a.rule.id, (perRule.get(a.rule.id) ?? 0) + 1);
    expect(perRule.get(SSH_AFTER_FAILURES)).toBe(1);
    expect(Math.max(...perRule.values())).toBe(1);
    expect(list.alerts.length).toBeLessThan(9);

    const incident = await until('the incident', async () => {
      const page = (await s.get<IncidentList>('/api/v1/incidents?limit=50', admin)).body;
      return page.incidents.find((i) => i.alert_ids.includes(alert.id));
    });
    const incidents = (await s.get<IncidentList>('/api/v1/incidents?limit=50', admin)).body;
    expect(incidents.total).toBe(1);
    expect(incident.organization.id).toBe('ubnd-q1');
    // Every alert of this attack is in that one incident.
    for (const a of list.alerts) expect(incident.alert_ids).toContain(a.id);

    const mail = await until('the SOC email', async () => mails.find((m) => m.raw.includes(ATTACKER)));
    expect(mail.to).toEqual(['soc@hcm.example']);
    const unfolded = mail.raw.replace(/\r?\n[ \t]+/g, ' '); // RFC 5322 header folding
    expect(unfolded).toMatch(/^Subject: \[socnoc\] (HIGH|CRITICAL|MEDIUM): SSH Login After Repeated Failures.* from 198\.51\.100\.77/m);
    // The body is quoted-printable; the agency shows by its configured name, not its id.
    const body = Buffer.from(unfolded.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
    expect(body).toMatch(/Agency:\s+UBND Quận 1/);

    const run = await until('the brute-force run waiting for approval', async () => {
      const runs = (await s.get<{ runs: Run[] }>(`/api/v1/playbooks/runs?playbook=brute-force&alert_id=${alert.id}`, admin)).body.runs;
      return runs.find((r) => r.status === 'waiting_approval');
    });
    let detail = (await s.get<RunDetail>(`/api/v1/playbooks/runs/${run.id}`, admin)).body;
    expect(detail.steps.find((st) => st.step_id === 'block-source')).toBeUndefined();

    const analyst = await s.login('analyst.q1', 'analyst-password-1');
    const decided = await s.post(`/api/v1/playbooks/runs/${run.id}/approvals`, { decision: 'approve', comment: 'confirmed brute force from outside' }, analyst);
    expect(decided.status).toBeLessThan(300);
    detail = await until('the run to finish', async () => {
      const d = (await s.get<RunDetail>(`/api/v1/playbooks/runs/${run.id}`, admin)).body;
      return d.status === 'succeeded' || d.status === 'failed' ? d : undefined;
    });
    expect(detail.status).toBe('succeeded');
    const block = detail.steps.find((st) => st.step_id === 'block-source');
    expect(block?.status).toBe('succeeded');
    expect(block?.output).toMatchObject({ dry_run: true, executed: false });
    expect(JSON.stringify(block?.output)).toContain(ATTACKER);

    // What the playbook did is on the incident's timeline, where analysts work.
    const timeline = (await s.get<{ timeline: Array<{ kind: string; message: string }> }>(`/api/v1/incidents/${incident.id}`, admin)).body.timeline;
    const steps = timeline.filter((t) => t.kind === 'playbook_step').map((t) => t.message);
    expect(steps.some((m) => /notify-soc .*success/.test(m))).toBe(true);
    expect(steps.some((m) => /block-source .*success/.test(m))).toBe(true);

    // Every step and the approval are on record, and the chain over them is intact.
    const out: string[] = [];
    expect(runAuditVerify(s.dataDir, { write: (t: string) => out.push(t) })).toBe(0);
    expect(out.join('')).toMatch(/\d+ records checked, chain intact/);
    const audit = (await s.get<{ records: Array<{ action: string }> }>('/api/v1/audit?limit=500', admin)).body;
    const actions = new Set(audit.records.map((r) => r.action));
    expect([...actions].some((a) => a.startsWith('playbook.'))).toBe(true);
  }, 90_000);

  it('raises an intel alert when traffic matches an indicator from a STIX bundle it has never seen', async () => {
    await until('the STIX feed to load', async () => {
      const feeds = (await s.get<{ feeds: Array<{ name: string; indicators: number }> }>('/api/v1/intel/feeds', admin)).body.feeds;
      return feeds.find((f) => f.name === 'partner-stix' && f.indicators > 0);
    });
    await logger('127.0.0.1', s.port('tcp'), ['--tcp', '--rfc3164', '-t', 'sshd', '-p', 'auth.info', `Failed password for admin from ${stixAddress} port 52000 ssh2`]);
    const hit = await until('the intel alert', async () => {
      const list = (await s.get<AlertList>(`/api/v1/alerts?q=source.ip:${stixAddress}&limit=50`, admin)).body;
      return list.alerts.find((a) => a.rule.id.startsWith('intel:'));
    });
    expect(hit.rule.id).toBe('intel:partner-stix');
    expect(hit.organization.id).toBe('ubnd-q1');
  }, 60_000);

  it('raises an intel alert when a live NetFlow v9 flow goes to an address from a MISP event', async () => {
    await until('the MISP feed to load', async () => {
      const feeds = (await s.get<{ feeds: Array<{ name: string; indicators: number }> }>('/api/v1/intel/feeds', admin)).body.feeds;
      return feeds.find((f) => f.name === 'partner-misp' && f.indicators > 0);
    });
    const listener = s.running.netflow.listeners().find((l) => l.name === 'udp-triage');
    if (listener === undefined) throw new Error('the netflow listener udp-triage did not start');
    const now = Date.now();
    const datagrams = netflowV9Datagrams([{ src: '127.0.0.9', dst: mispAddress, srcPort: 51515, dstPort: 443, protocol: 6, bytes: 4_200, packets: 7, firstMs: now - 2_000, lastMs: now }], { bootMs: now - 3_600_000, exportMs: now });
    const socket = createSocket('udp4');
    for (const d of datagrams) await new Promise<void>((resolve, reject) => socket.send(d, listener.address().port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    socket.close();
    const hit = await until('the intel alert on the flow', async () => {
      const list = (await s.get<AlertList>('/api/v1/alerts?limit=100', admin)).body;
      return list.alerts.find((a) => a.rule.id === 'intel:partner-misp');
    });
    expect(hit.organization.id).toBe('ubnd-q1');
  }, 60_000);
});
