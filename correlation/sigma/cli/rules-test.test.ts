/**
 * `rules test` over the small files in testdata/: ECS JSON lines, evtx_dump output (with its
 * `Record N` headers), Winlogbeat JSON lines, a JSON array, raw syslog lines through an injected
 * converter, and broken input. Output lines are parsed and compared field by field.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { EcsEvent } from '../../../core/event';
import { runRulesTest, type RulesTestDeps } from './rules-test';

class Sink extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

const testdata = join(__dirname, 'testdata');
const corr = join(__dirname, '..', 'correlate', 'testdata');
const sigmahq = join(__dirname, '..', 'testdata', 'sigmahq');
const WHOAMI = join(sigmahq, 'proc_creation_win_whoami_all_execution.yml');
const WHOAMI_ID = 'c248c896-e412-4279-8c15-1c558067b6fa';

interface Run {
  code: number;
  lines: Record<string, unknown>[];
  stdout: string;
  stderr: string;
}

async function run(args: string[], deps: RulesTestDeps = {}, tty = false): Promise<Run> {
  const stdout = new Sink();
  const stderr = new Sink();
  stderr.isTTY = tty;
  const code = await runRulesTest(args, { stdout, stderr }, deps);
  const lines = stdout.text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, lines, stdout: stdout.text, stderr: stderr.text };
}

/** A stand-in for the syslog collector's parser (correlation may not import collectors). */
function fakeSyslog(line: string): EcsEvent {
  const m = /^<(\d+)>(\w{3}) +(\d+) (\d\d:\d\d:\d\d) (\S+) ([\w-]+)\[(\d+)\]: (.*)$/.exec(line);
  if (m === null) throw new Error('not a BSD syslog line');
  return {
    '@timestamp': `2025-03-01T${m[4]}.000Z`,
    message: m[8],
    event: { id: `syslog-${m[4]}`, dataset: 'linux.sshd', original: line },
    host: { name: m[5] },
    process: { name: m[6], pid: Number(m[7]) },
  };
}

describe('rules test on ECS JSON lines with correlation rules', () => {
  const rules = ['--rules', join(corr, 'base_auth.yml'), join(corr, 'mr_bruteforce_then_success.yml'), join(corr, 'mr_password_spraying.yml')];

  it('prints the correlations that fire, with the indexes of their events, and a summary', async () => {
    const r = await run([...rules, '--events', join(testdata, 'auth-ecs.jsonl')]);
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => [l.rule_title, l.event_indexes, l.group, l.value])).toEqual([
      ['Password spraying from one source', [0, 1, 3, 4, 5], { 'source.ip': '203.0.113.7' }, 3],
      ['Login brute force followed by a successful login from the same source', [0, 1, 3, 4, 5, 6], { 'source.ip': '203.0.113.7' }, 2],
    ]);
    expect(r.lines[1]).toMatchObject({ rule_id: '6c1f0b4e-3d0a-4f4e-9a51-1c0d2b7e0102', level: 'high', correlation_type: 'temporal_ordered', organization_id: 'agency-a', event_count: 6 });
    expect((r.lines[1].event as EcsEvent).event.id).toBe('auth-15-203.0.113.7');
    expect(Object.keys(r.lines[0]).slice(0, 4)).toEqual(['rule_id', 'rule_title', 'level', 'event_indexes']);
    expect(r.stderr).toMatch(/^rules test: 8 events \(jsonl: ecs 8\) in [\d.]+ s; 0 rule matches, 2 correlation hits from 2 rules; 2 rules and 3 correlation rules loaded, 0 rejected; 0 invalid records\n$/);
  });

  it('--all also prints the rules and correlations that only feed others', async () => {
    const r = await run([...rules, '--events', join(testdata, 'auth-ecs.jsonl'), '--all']);
    const matches = r.lines.filter((l) => 'event_index' in l);
    expect(matches.map((l) => [l.rule_name, l.event_index, l.standalone])).toEqual([
      ['auth_failure', 0, false],
      ['auth_failure', 1, false],
      ['auth_success', 2, false],
      ['auth_failure', 3, false],
      ['auth_failure', 4, false],
      ['auth_failure', 5, false],
      ['auth_success', 6, false],
      ['auth_failure', 7, false],
    ]);
    expect(r.lines.filter((l) => 'event_indexes' in l).map((l) => l.rule_title)).toEqual([
      'Login brute force from one source',
      'Password spraying from one source',
      'Login brute force followed by a successful login from the same source',
    ]);
  });
});

describe('rules test on Windows events', () => {
  it('reads evtx_dump output (Record headers, pretty-printed objects)', async () => {
    const r = await run(['--rules', WHOAMI, '--events', join(testdata, 'sysmon-evtx-dump.json')]);
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => [l.rule_id, l.rule_title, l.level, l.event_index])).toEqual([
      [WHOAMI_ID, 'Enumerate All Information With Whoami.EXE', 'medium', 0],
      [WHOAMI_ID, 'Enumerate All Information With Whoami.EXE', 'medium', 2],
    ]);
    expect(r.lines[1].event).toMatchObject({ Event: { System: { EventRecordID: 4713 } } });
    expect(r.stderr).toContain('3 events (json: evtx 3)');
  });

  it('reads Winlogbeat JSON lines', async () => {
    const r = await run(['--rules', WHOAMI, '--events', join(testdata, 'sysmon-winlogbeat.jsonl')]);
    expect(r.lines.map((l) => l.event_index)).toEqual([1]);
    expect(r.stderr).toContain('3 events (jsonl: winlogbeat 3)');
  });

  it('reads a JSON array of events, and stdin', async () => {
    const events = readFileSync(join(testdata, 'sysmon-winlogbeat.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
    const r = await run(['--rules', WHOAMI, '--events', '-'], { stdin: Readable.from([Buffer.from(JSON.stringify(events, null, 1))]) });
    expect(r.lines.map((l) => l.event_index)).toEqual([1]);
    expect(r.stderr).toContain('(json: winlogbeat 3)');
  });
});

describe('rules test on syslog lines', () => {
  const args = ['--rules', join(sigmahq, 'lnx_sshd_susp_ssh.yml'), '--events', join(testdata, 'syslog-sshd.log')];

  it('turns each line into an event with the injected converter', async () => {
    const r = await run(args, { syslogLineToEvent: fakeSyslog });
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => [l.rule_id, l.event_index])).toEqual([['e76b413a-83d0-4b94-8e4c-85db4a5b8bdc', 2]]);
    expect((r.lines[0].event as EcsEvent).event.original).toContain('error in libcrypto');
    expect(r.stderr).toContain('4 events (syslog: syslog 4)');
  });

  it('fails clearly when no converter was wired in', async () => {
    const r = await run(args);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('syslog-sshd.log: the input looks like syslog lines, but no syslog line converter was wired in');
  });
});

describe('rules test on invalid input and usage', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-rules-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names each invalid line, goes on with the others, and exits 1', async () => {
    const lines = readFileSync(join(testdata, 'sysmon-winlogbeat.jsonl'), 'utf8').trim().split('\n');
    const file = join(dir, 'broken.jsonl');
    writeFileSync(file, [lines[0], '', '{"@timestamp": "2024-05-02T09:20:01Z", "winlog": ', lines[1], '[1, 2]', lines[2]].join('\n') + '\n');
    const r = await run(['--rules', WHOAMI, '--events', file]);
    expect(r.code).toBe(1);
    expect(r.lines.map((l) => l.event_index)).toEqual([1]);
    expect(r.stderr).toContain(`${file}:3: invalid JSON:`);
    expect(r.stderr).toContain(`${file}:5: an event must be a JSON object`);
    expect(r.stderr).toContain('2 invalid records');
  });

  it('reports matches in input order across several match chunks of 500 events', async () => {
    const lines = readFileSync(join(testdata, 'sysmon-winlogbeat.jsonl'), 'utf8').trim().split('\n');
    const file = join(dir, 'many.jsonl');
    const many: string[] = [];
    for (let i = 0; i < 1203; i++) many.push(lines[i % 3]);
    writeFileSync(file, many.join('\n') + '\n');
    const r = await run(['--rules', WHOAMI, '--events', file]);
    expect(r.code).toBe(0);
    const expected: number[] = [];
    for (let i = 1; i < 1203; i += 3) expected.push(i);
    expect(r.lines.map((l) => l.event_index)).toEqual(expected);
    expect(r.stderr).toContain('1203 events');
  });

  it('reports text between concatenated JSON objects and an unclosed object by line', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, 'Record 1\n{"a": 1}\ngarbage here\n{"b": "}"}\n{"c": [1,\n');
    const r = await run(['--rules', WHOAMI, '--events', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:3: expected a JSON object, found 'garbage here'`);
    expect(r.stderr).toContain(`${file}:5: JSON value not closed at end of input`);
    expect(r.stderr).toContain('2 events (json: ecs 2)');
  });

  it('exits 2 on bad usage and 1 on a missing file', async () => {
    expect((await run(['--events', 'x'])).code).toBe(2);
    expect((await run(['--rules', WHOAMI])).code).toBe(2);
    expect((await run(['--rules', WHOAMI, '--events', 'x', '--format', 'xml'])).stderr).toContain("--format must be auto, jsonl, json or syslog (got 'xml')");
    expect((await run(['--rules', WHOAMI, '--events', 'x', '--bogus'])).code).toBe(2);
    const missing = await run(['--rules', WHOAMI, '--events', join(dir, 'nope.jsonl')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read events file');
  });

  it('--no-routing runs rules on events that carry no logsource fields', async () => {
    const file = join(dir, 'bare.jsonl');
    writeFileSync(file, JSON.stringify({ '@timestamp': '2024-05-02T09:18:00Z', process: { executable: 'C:\\Windows\\System32\\whoami.exe', command_line: 'whoami /all' } }) + '\n');
    expect((await run(['--rules', WHOAMI, '--events', file])).lines).toEqual([]);
    expect((await run(['--rules', WHOAMI, '--events', file, '--no-routing'])).lines.map((l) => l.rule_id)).toEqual([WHOAMI_ID]);
  });

  it('draws progress on stderr only when it is a terminal', async () => {
    const args = ['--rules', WHOAMI, '--events', join(testdata, 'sysmon-winlogbeat.jsonl')];
    const tty = await run(args, {}, true);
    expect(tty.stderr).toMatch(/\r *\d+% +1 events/);
    expect(tty.stdout).not.toContain('\r');
    const plain = await run(args, {}, false);
    expect(plain.stderr).not.toContain('\r');
  });
});
