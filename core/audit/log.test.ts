import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENESIS_HASH } from './chain';
import { runAuditVerify } from './cli';
import { AuditLog, openAuditLog } from './log';
import { REDACTED } from './redact';
import type { AuditEntry } from './types';

const T0 = Date.UTC(2025, 2, 1, 8, 0, 0);

/** A morning of a SOC: logins, triage, a playbook, a user change. */
const ENTRIES: AuditEntry[] = [
  { actor: { type: 'user', id: 'analyst.hn' }, action: 'user.login', object: { type: 'user', id: 'analyst.hn' }, result: 'ok', details: { address: '10.10.5.12' } },
  { actor: { type: 'user', id: 'mallory' }, action: 'user.login', object: { type: 'user', id: 'mallory' }, result: 'denied', details: { address: '203.0.113.45', password: 'hunter2' } },
  { actor: { type: 'user', id: 'analyst.hn' }, action: 'alert.update', object: { type: 'alert', id: 'a-1' }, organization: 'hanoi-doh', result: 'ok', details: { from: 'new', to: 'acknowledged' } },
  { actor: { type: 'playbook', id: 'brute-force' }, action: 'playbook.step', object: { type: 'alert', id: 'a-1' }, organization: 'hanoi-doh', result: 'ok', details: { step: 'notify.email', smtp: { host: 'mail.gov.vn', auth: { user: 'soc', pass: 's3cret' } } } },
  { actor: { type: 'token', id: 'svc.grafana' }, action: 'alert.update', object: { type: 'alert', id: 'a-7' }, organization: 'danang-dof', result: 'error' },
  { actor: { type: 'user', id: 'admin' }, action: 'user.create', object: { type: 'user', id: 'auditor2' }, result: 'ok', details: { role: 'auditor', apiToken: 'snc_abc', token_id: 'tok-42' } },
];

describe('AuditLog', () => {
  let dir: string;
  let file: string;
  let log: AuditLog;
  let clock: number;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-audit-'));
    file = join(dir, 'audit.db');
    clock = T0;
    log = openAuditLog(file, { now: () => (clock += 1000) });
    for (const e of ENTRIES) log.append(e);
  });
  afterEach(() => {
    log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Another connection to the file, with the append-only triggers dropped, as an attacker would. */
  function tamper(sql: string, ...params: unknown[]): void {
    log.close();
    const raw = new Database(file);
    raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    raw.prepare(sql).run(...params);
    raw.close();
    log = openAuditLog(file);
  }

  it('appends chained records and verifies them', () => {
    const page = log.list({ limit: 100 });
    expect(page.records.map((r) => r.seq)).toEqual([6, 5, 4, 3, 2, 1]);
    const first = page.records[5];
    expect(first).toMatchObject({ seq: 1, time: '2025-03-01T08:00:01.000Z', actor: { type: 'user', id: 'analyst.hn' }, action: 'user.login', object: { type: 'user', id: 'analyst.hn' }, organization: null, result: 'ok', prev_hash: GENESIS_HASH });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    for (let i = 0; i < 5; i++) expect(page.records[i].prev_hash).toBe(page.records[i + 1].hash);
    expect(log.verify()).toEqual({ ok: true, checked: 6, head: page.records[0].hash });
  });

  it('never stores secrets in details', () => {
    const records = log.list({ limit: 100 }).records;
    expect(records.find((r) => r.seq === 2)!.details).toEqual({ address: '203.0.113.45', password: REDACTED });
    expect(records.find((r) => r.seq === 4)!.details).toEqual({ smtp: { auth: { pass: REDACTED, user: 'soc' }, host: 'mail.gov.vn' }, step: 'notify.email' });
    expect(records.find((r) => r.seq === 6)!.details).toEqual({ apiToken: REDACTED, role: 'auditor', token_id: 'tok-42' });
    const raw = new Database(file, { readonly: true });
    const text = (raw.prepare('SELECT group_concat(details) AS t FROM audit_log').get() as { t: string }).t;
    raw.close();
    expect(text).not.toMatch(/hunter2|s3cret|snc_abc/);
  });

  it('refuses UPDATE and DELETE through SQL while the triggers stand', () => {
    expect(() => log.db.prepare("UPDATE audit_log SET result = 'ok' WHERE seq = 2").run()).toThrow(/append-only: UPDATE refused/);
    expect(() => log.db.prepare('DELETE FROM audit_log WHERE seq = 2').run()).toThrow(/append-only: DELETE refused/);
  });

  it.each([
    ['the result', "UPDATE audit_log SET result = 'ok' WHERE seq = 2", 2, /hash does not match the record/],
    ['the actor', "UPDATE audit_log SET actor_id = 'admin' WHERE seq = 3", 3, /hash does not match/],
    ['the time', 'UPDATE audit_log SET time = time - 3600000 WHERE seq = 4', 4, /hash does not match/],
    ['the details', `UPDATE audit_log SET details = '{"from":"new","to":"resolved"}' WHERE seq = 3`, 3, /hash does not match/],
    ['the organization', "UPDATE audit_log SET org = NULL WHERE seq = 5", 5, /hash does not match/],
    ['a hash, recomputed by someone who knows the scheme but not the later links', "UPDATE audit_log SET hash = '" + 'f'.repeat(64) + "' WHERE seq = 3", 3, /hash does not match/],
    ['a middle record deleted', 'DELETE FROM audit_log WHERE seq = 3', 4, /sequence gap: expected 3, found 4/],
    ['the newest records deleted', 'DELETE FROM audit_log WHERE seq >= 5', 5, /records 5 to 6 removed from the end/],
  ])('detects tampering with %s', (_what, sql, badSeq, reason) => {
    tamper(sql);
    const result = log.verify();
    expect(result.ok).toBe(false);
    expect(result.firstBad).toEqual({ seq: badSeq, reason: expect.stringMatching(reason) });
  });

  it('detects reordering: two records swapped, renumbered to keep the sequence', () => {
    log.close();
    const raw = new Database(file);
    raw.exec('DROP TRIGGER audit_log_no_update;');
    // Swap records 2 and 3 (their content and hashes), keeping seq 2 before 3.
    raw.exec(`UPDATE audit_log SET seq = -2 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = -2;`);
    raw.close();
    log = openAuditLog(file);
    expect(log.verify().firstBad).toEqual({ seq: 2, reason: expect.stringMatching(/prev_hash does not match the hash of record 1/) });
  });

  it('detects a forged record inserted in the middle with a correct-looking hash', () => {
    log.close();
    const raw = new Database(file);
    raw.exec('DROP TRIGGER audit_log_no_update;');
    // Shift 4..6 up by one and put a forged record at 4 linked to record 3.
    raw.exec('UPDATE audit_log SET seq = seq + 100 WHERE seq >= 4; UPDATE audit_log SET seq = seq - 99 WHERE seq >= 100;');
    const prev = (raw.prepare('SELECT hash FROM audit_log WHERE seq = 3').get() as { hash: string }).hash;
    raw.prepare("INSERT INTO audit_log (seq, time, actor_type, actor_id, action, org, result, details, prev_hash, hash) VALUES (4, ?, 'user', 'admin', 'user.delete', NULL, 'ok', '{}', ?, ?)").run(T0, prev, 'a'.repeat(64));
    raw.close();
    log = openAuditLog(file);
    expect(log.verify().firstBad?.seq).toBe(4);
  });

  it('continues one chain across reopening, and across two writers on the same file', () => {
    log.close();
    const a = openAuditLog(file);
    const b = openAuditLog(file);
    a.append({ actor: { type: 'system', id: 'socnoc' }, action: 'system.start', result: 'ok' });
    b.append({ actor: { type: 'user', id: 'admin' }, action: 'audit.verify', result: 'ok' });
    a.append({ actor: { type: 'system', id: 'socnoc' }, action: 'system.stop', result: 'ok' });
    expect(b.verify()).toMatchObject({ ok: true, checked: 9 });
    b.close();
    log = a;
  });

  it('filters and pages', () => {
    expect(log.list({ limit: 100, organizations: ['hanoi-doh'] }).records.map((r) => r.seq)).toEqual([4, 3]);
    expect(log.list({ limit: 100, organizations: [] }).records).toEqual([]);
    expect(log.list({ limit: 100, action: 'user.' }).records.map((r) => r.seq)).toEqual([6, 2, 1]);
    expect(log.list({ limit: 100, action: 'alert.update', result: 'error' }).records.map((r) => r.actor.id)).toEqual(['svc.grafana']);
    expect(log.list({ limit: 100, objectType: 'alert', objectId: 'a-1' }).records).toHaveLength(2);
    expect(log.list({ limit: 100, actor: 'analyst.hn' }).records).toHaveLength(2);
    expect(log.list({ limit: 100, from: T0 + 3000, to: T0 + 5000 }).records.map((r) => r.seq)).toEqual([4, 3]);
    const first = log.list({ limit: 4 });
    expect(first.next).toBe(3);
    expect(log.list({ limit: 4, before: first.next! }).records.map((r) => r.seq)).toEqual([2, 1]);
  });

  it('socnoc audit verify: exit 0 with the count when intact, 1 naming the first bad record, 2 without a log', () => {
    log.close();
    const lines: string[] = [];
    const out = { write: (t: string) => lines.push(t) };
    expect(runAuditVerify(dir, out)).toBe(0);
    expect(lines.pop()).toMatch(/^audit verify: 6 records checked, chain intact/);
    // While the server holds the file open and writes (WAL not yet checkpointed).
    const running = openAuditLog(file);
    running.append({ actor: { type: 'system', id: 'socnoc' }, action: 'system.start', result: 'ok' });
    expect(runAuditVerify(dir, out)).toBe(0);
    expect(lines.pop()).toMatch(/^audit verify: 7 records checked/);
    running.close();
    const raw = new Database(file);
    raw.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET action = 'user.read' WHERE seq = 5;");
    raw.close();
    expect(runAuditVerify(dir, out)).toBe(1);
    expect(lines.pop()).toMatch(/^audit verify: record 5 is bad: hash does not match/);
    expect(lines.join('')).not.toMatch(/undefined/);
    expect(runAuditVerify(join(dir, 'elsewhere'), out)).toBe(2);
    expect(lines.pop()).toMatch(/no audit log at/);
    log = openAuditLog(file);
  });
});
