/**
 * Agent-shipped lines normalized like syslog. The agent side is the agent's own code (FileTailer
 * into a DiskQueue, journalEntryToEvent on journalctl's JSON), the server side the agent channel's
 * own parsing and stamping; what comes out is compared with what the syslog collector makes of
 * the same line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventLine } from '../agents/src/collect/event-builder';
import { FileTailer } from '../agents/src/collect/file-tailer';
import { journalEntryToEvent } from '../agents/src/collect/journald';
import { DiskQueue } from '../agents/src/queue/disk-queue';
import { parseSyslogLine } from '../collectors/syslog/parse';
import { buildSyslogEvent } from '../collectors/syslog/to-event';
import { parseEventLines, stampAgentEvents } from '../core/agents/ingest';
import type { AgentRecord } from '../core/agents/registry';
import type { EcsEvent } from '../core/event';
import { createAgentLogNormalizer } from './agent-normalize';

const AUTH_LOG = join(__dirname, 'testdata', 'auth.log');
const JOURNAL = join(__dirname, '..', 'agents', 'src', 'collect', 'testdata', 'journalctl-o-json.jsonl');
const LIMITS = { maxBatchBytes: 16 << 20, maxEventsPerBatch: 10_000, maxEventBytes: 256 * 1024 };
const HOST = { name: 'hn-web-01', hostname: 'hn-web-01', os: { family: 'linux', kernel: '6.1.0-27-amd64' } };

const agent: AgentRecord = {
  id: '7c0e9d4a-5b1f-4a38-9e2d-3f6b8a1c0d25',
  agency: 'hanoi-doh',
  group: '',
  hostname: 'hn-web-01',
  version: '0.1.0',
  os: {},
  secretHash: Buffer.alloc(32),
  enrolledAt: 0,
  lastSeen: 0,
  status: 'online',
  address: '10.20.0.15',
  revokedAt: null,
  revokedBy: null,
  stats: {},
};

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'agent-normalize-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** What the server makes of agent lines before normalizing: validated, then stamped with agency and agent. */
function received(lines: string[]): EcsEvent[] {
  return stampAgentEvents(parseEventLines(Buffer.from(`${lines.join('\n')}\n`), LIMITS, 'test batch'), agent, '2024-03-04T12:00:01.000Z');
}

/** The agent tailing a file: its queued event lines. */
function tail(path: string, dataset = 'agent.file'): string[] {
  const queue = new DiskQueue({ dir: join(dir, 'queue'), maxBytes: 64 << 20, segmentBytes: 1 << 20 });
  const tailer = new FileTailer({ path, dataset, format: 'text' }, queue, HOST);
  tailer.poll();
  tailer.close();
  const out: string[] = [];
  for (let b = queue.read(10_000, 64 << 20); b !== undefined; b = undefined) out.push(...b.lines);
  queue.close();
  return out;
}

/** Sets the time zone the agent reports and the agent's read time (the year of yearless headers). */
function asIfReadIn(lines: string[], timezone: string, readAt: string): string[] {
  return lines.map((l) => {
    const e = JSON.parse(l) as { '@timestamp': string; event: Record<string, unknown> };
    e['@timestamp'] = readAt;
    e.event.timezone = timezone;
    return JSON.stringify(e);
  });
}

/** The fields a syslog-collected event and an agent-shipped one must share (the rest is who sent it). */
function detectionFields(e: EcsEvent): Record<string, unknown> {
  const { id: _id, created: _created, ingested: _ingested, timezone: _tz, ...event } = e.event;
  const log = { ...(e.log ?? {}) } as Record<string, unknown>;
  delete log.file;
  delete log.offset;
  delete log.source;
  const { organization: _o, host: _h, agent: _a, observer: _ob, event: _e, log: _l, ...rest } = e;
  return { ...rest, event, log };
}

describe('tailed auth.log lines', () => {
  it('become the events the syslog collector makes of the same lines, keeping the agent identity', () => {
    const normalize = createAgentLogNormalizer({ timezone: 'UTC' });
    const shipped = received(asIfReadIn(tail(AUTH_LOG), 'UTC', '2024-03-04T12:00:00.000Z'));
    const lines = readFileSync(AUTH_LOG, 'utf8').split('\n').filter((l) => l.length > 0 && !l.startsWith('#'));
    expect(shipped).toHaveLength(lines.length);
    const now = Date.parse('2024-03-04T12:00:00.000Z');
    for (let i = 0; i < lines.length; i++) {
      const fromAgent = normalize(shipped[i]);
      const fromSyslog = buildSyslogEvent(parseSyslogLine(lines[i], { timezone: 'UTC', now }), { original: lines[i], receivedAt: now, peerAddress: '10.20.0.15', organization: { id: 'hanoi-doh' } });
      expect({ line: lines[i], fields: detectionFields(fromAgent) }).toEqual({ line: lines[i], fields: detectionFields(fromSyslog) });
      expect(fromAgent.event.id).toMatch(new RegExp(`^${agent.id}:[0-9a-f-]{36}$`));
      expect(fromAgent.organization).toEqual({ id: 'hanoi-doh' });
      expect(fromAgent.host).toEqual(HOST);
      expect(fromAgent.agent).toEqual({ id: agent.id, name: 'hn-web-01', type: 'socnoc-agent', version: '0.1.0' });
      expect(fromAgent.log?.file?.path).toBe(AUTH_LOG);
      expect(fromAgent.observer).toBeUndefined();
    }
  });

  it('an sshd failure gets source.ip, user.name, event.outcome and event.dataset linux.sshd; the header time in the agent host zone', () => {
    const normalize = createAgentLogNormalizer({ timezone: 'UTC' });
    const line = 'Nov 27 01:04:05 hn-web-01 sshd[812]: Failed password for root from 203.0.113.9 port 52144 ssh2';
    const agentLine = eventLine({ message: line, event: { kind: 'event', dataset: 'linux.auth', timezone: 'Asia/Ho_Chi_Minh' }, log: { file: { path: '/var/log/auth.log' }, offset: 0 } }, HOST, new Date('2026-11-26T18:04:06.250Z'));
    const [ev] = received([agentLine]).map(normalize);
    expect(ev).toMatchObject({
      '@timestamp': '2026-11-26T18:04:05.000Z',
      message: 'Failed password for root from 203.0.113.9 port 52144 ssh2',
      event: { dataset: 'linux.sshd', action: 'ssh-login', outcome: 'failure', category: ['authentication'], original: line, created: '2026-11-26T18:04:06.250Z', timezone: 'Asia/Ho_Chi_Minh' },
      source: { ip: '203.0.113.9', port: 52144 },
      user: { name: 'root' },
      process: { name: 'sshd', pid: 812 },
      log: { file: { path: '/var/log/auth.log' }, syslog: { hostname: 'hn-web-01', appname: 'sshd', procid: '812' } },
      organization: { id: 'hanoi-doh' },
    });
  });

  it('keeps a dataset the user chose when no normalizer knows the program, and gives generic lines the syslog dataset', () => {
    const normalize = createAgentLogNormalizer({ timezone: 'UTC' });
    const cron = 'Mar  4 10:30:01 web01 CRON[5120]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)';
    const mk = (dataset: string): string => eventLine({ message: cron, event: { kind: 'event', dataset, timezone: 'UTC' }, log: { file: { path: '/var/log/syslog' } } }, HOST);
    const [custom, generic] = received([mk('linux.cron'), mk('agent.file')]).map(normalize);
    expect(custom.event.dataset).toBe('linux.cron');
    expect(generic.event.dataset).toBe('syslog');
    expect(generic.process).toEqual({ name: 'CRON', pid: 5120 });
  });

  it('leaves application logs, JSON lines, FIM and YARA events as the agent sent them', () => {
    const normalize = createAgentLogNormalizer({ timezone: 'UTC' });
    const lines = [
      // Python logging, nginx access log, a bare line: no syslog header.
      eventLine({ message: '2026-11-27 01:04:05,123 INFO [main] billing started on port 8080', event: { kind: 'event', dataset: 'agent.file' }, log: { file: { path: '/var/log/billing/app.log' } } }, HOST),
      eventLine({ message: '203.0.113.9 - - [27/Nov/2026:01:04:05 +0700] "GET /wp-login.php HTTP/1.1" 404 153 "-" "Mozilla/5.0"', event: { kind: 'event', dataset: 'nginx.access' }, log: { file: { path: '/var/log/nginx/access.log' } } }, HOST),
      eventLine({ message: 'backup finished', event: { kind: 'event', dataset: 'agent.file' }, log: { file: { path: '/var/log/backup.log' } } }, HOST),
      eventLine({ message: 'user login', json: { message: 'user login', user: 'an' }, event: { kind: 'event', dataset: 'app.json', original: '{"message":"user login","user":"an"}' }, log: { file: { path: '/var/log/app.json' } } }, HOST),
      eventLine({ event: { kind: 'event', dataset: 'agent.fim', action: 'file-modified' }, file: { path: '/etc/passwd', hash: { sha256: 'ab'.repeat(32) } } }, HOST),
      eventLine({ event: { kind: 'alert', dataset: 'agent.yara' }, rule: { name: 'EICAR_Test_File' }, file: { path: '/tmp/eicar.com' } }, HOST),
    ];
    const stamped = received(lines);
    const before = JSON.stringify(stamped);
    const out = stamped.map(normalize);
    expect(JSON.stringify(out)).toBe(before);
    for (let i = 0; i < out.length; i++) expect(out[i]).toBe(stamped[i]);
  });

  it('reads header times in the agent host zone, and in the configured zone when the agent sent none or an unknown one', () => {
    const normalize = createAgentLogNormalizer({ timezone: 'Asia/Ho_Chi_Minh' });
    const line = 'Nov 27 08:00:00 web01 sshd[1]: Accepted publickey for ops from 10.0.0.5 port 50000 ssh2';
    const mk = (timezone: string | undefined): string => eventLine({ message: line, event: { kind: 'event', dataset: 'agent.file', ...(timezone === undefined ? {} : { timezone }) }, log: { file: { path: '/var/log/auth.log' } } }, HOST, new Date('2026-11-27T01:00:01Z'));
    const [utc, none, bogus] = received([mk('UTC'), mk(undefined), mk('Mars/Olympus_Mons')]).map(normalize);
    expect(utc['@timestamp']).toBe('2026-11-27T08:00:00.000Z');
    expect(none['@timestamp']).toBe('2026-11-27T01:00:00.000Z');
    expect(bogus['@timestamp']).toBe('2026-11-27T01:00:00.000Z');
  });
});

describe('journald entries', () => {
  const entries = readFileSync(JOURNAL, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('go through the syslog normalizers by SYSLOG_IDENTIFIER, keeping journald time, trusted process fields and journald.*', () => {
    const normalize = createAgentLogNormalizer({ timezone: 'UTC' });
    const shipped = received(entries.map((entry) => eventLine(journalEntryToEvent(entry), HOST))).map(normalize);
    const sshFail = shipped[0];
    expect(sshFail).toMatchObject({
      '@timestamp': new Date(Math.floor(Number(entries[0].__REALTIME_TIMESTAMP) / 1000)).toISOString(),
      message: 'Failed password for invalid user admin from 203.0.113.77 port 51514 ssh2',
      event: { dataset: 'linux.sshd', action: 'ssh-login', outcome: 'failure', reason: 'invalid user' },
      source: { ip: '203.0.113.77', port: 51514 },
      user: { name: 'admin' },
      process: { pid: 48213, name: 'sshd', executable: '/usr/sbin/sshd', command_line: 'sshd: admin [priv]' },
      log: { syslog: { appname: 'sshd', procid: '48213', hostname: 'web01', facility: { code: 4 }, severity: { code: 6 } } },
      host: HOST,
      organization: { id: 'hanoi-doh' },
    });
    expect((sshFail.journald as { cursor: string }).cursor).toBe(entries[0].__CURSOR);
    // sudo: the sudo normalizer reads the command; the journal's trusted process fields stay.
    expect(shipped[1]).toMatchObject({ event: { dataset: 'linux.sudo' }, user: { name: 'deploy' }, process: { name: 'sudo', pid: 48390 } });
    // A MESSAGE journalctl printed as a byte array is text by now: the sshd normalizer reads it.
    expect(shipped[3]).toMatchObject({ event: { dataset: 'linux.sshd', outcome: 'success' }, user: { name: 'deploy' } });
    // systemd's own message: no normalizer; the generic syslog dataset so the Linux syslog rules meet it.
    expect(shipped[4]).toMatchObject({ event: { dataset: 'syslog' }, systemd: { unit: 'init.scope' }, message: 'Finished apt-daily.service - Daily apt download activities.' });
    for (const e of shipped) expect(e.event.id.startsWith(`${agent.id}:`)).toBe(true);
  });
});
