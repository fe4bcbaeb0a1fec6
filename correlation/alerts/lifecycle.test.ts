import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite, type SqliteDb } from '../../core/store/sqlite';
import { AlertNotFoundError, AlertTransitionError, ALERT_TRANSITIONS } from './lifecycle';
import { AlertStore } from './store';
import { byId, DENY_RULE, hitOf, WEB_RULE } from './testdata/hits';
import { ALERT_STATUSES, type AlertStatus } from './types';

const MIN = 60_000;

describe('alert lifecycle', () => {
  let dir: string;
  let db: SqliteDb;
  let store: AlertStore;
  let clock: number;
  let hanoi: string;
  let danang: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-alerts-'));
    db = openSqlite(join(dir, 'alerts.db'));
    clock = Date.UTC(2025, 2, 1, 2, 0, 0);
    store = new AlertStore(db, { dedupWindowMs: 10 * MIN, maxSampleEvents: 2, maxEventIds: 3, now: () => clock });
    const changes = store.record([hitOf(DENY_RULE, byId('evt-001')), hitOf(DENY_RULE, byId('evt-005'))]);
    hanoi = changes[0].id;
    danang = changes[1].id;
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('walks new → acknowledged → in_progress → resolved, stamping who and when, with a history in order', () => {
    clock += MIN;
    expect(store.update(hanoi, { status: 'acknowledged' }, 'analyst.hn').changed).toEqual(['status']);
    clock += MIN;
    const { alert, changed } = store.update(hanoi, { status: 'in_progress', assignee: 'analyst.hn', comment: 'Scanning from a known VPS range; checking the targets.' }, 'lead.hn');
    expect(changed).toEqual(['status', 'assignee', 'comment']);
    expect(alert).toMatchObject({ status: 'in_progress', assignee: 'analyst.hn', updated_by: 'lead.hn', updated_at: '2025-03-01T02:02:00.000Z' });
    clock += MIN;
    store.update(hanoi, { status: 'resolved', severity: 'medium', comment: 'Blocked 203.0.113.45 at the edge.' }, 'analyst.hn');
    const closed = store.get(hanoi)!;
    expect(closed).toMatchObject({ status: 'resolved', severity: 'medium', rule: { level: 'low' }, updated_by: 'analyst.hn' });

    const history = store.alertHistory(hanoi)!;
    expect(history.map((h) => [h.time.slice(11, 16), h.actor, h.kind, h.from, h.to, h.text])).toEqual([
      ['02:01', 'analyst.hn', 'status', 'new', 'acknowledged', null],
      ['02:02', 'lead.hn', 'status', 'acknowledged', 'in_progress', null],
      ['02:02', 'lead.hn', 'assignee', null, 'analyst.hn', null],
      ['02:02', 'lead.hn', 'comment', null, null, 'Scanning from a known VPS range; checking the targets.'],
      ['02:03', 'analyst.hn', 'status', 'in_progress', 'resolved', null],
      ['02:03', 'analyst.hn', 'severity', 'low', 'medium', null],
      ['02:03', 'analyst.hn', 'comment', null, null, 'Blocked 203.0.113.45 at the edge.'],
    ]);
    expect(new Set(history.map((h) => h.id)).size).toBe(history.length);
    // The history survives reopening the database file.
    db.close();
    db = openSqlite(join(dir, 'alerts.db'));
    store = new AlertStore(db, { dedupWindowMs: 10 * MIN, maxSampleEvents: 2, maxEventIds: 3, now: () => clock });
    expect(store.alertHistory(hanoi)).toEqual(history);
  });

  it('allows skipping forward but refuses going back, except reopening a closed alert to in_progress', () => {
    store.update(hanoi, { status: 'false_positive' }, 'analyst.hn');
    for (const to of ['new', 'acknowledged', 'resolved'] as const) {
      expect(() => store.update(hanoi, { status: to }, 'analyst.hn')).toThrow(AlertTransitionError);
    }
    expect(() => store.update(hanoi, { status: 'new' }, 'analyst.hn')).toThrow(/cannot change status from false_positive to new; from false_positive it may go to in_progress/);
    store.update(hanoi, { status: 'in_progress', comment: 'reopened: the address came back' }, 'analyst.hn');
    expect(store.get(hanoi)!.status).toBe('in_progress');
    expect(() => store.update(hanoi, { status: 'acknowledged' }, 'analyst.hn')).toThrow(AlertTransitionError);
    expect(() => store.update(hanoi, { status: 'new' }, 'analyst.hn')).toThrow(AlertTransitionError);

    // The table: every status reachable forward from new, closed ones only to in_progress.
    const closed: AlertStatus[] = ['resolved', 'false_positive'];
    for (const from of ALERT_STATUSES) {
      for (const to of ALERT_TRANSITIONS[from]) {
        expect(ALERT_STATUSES.indexOf(to) > ALERT_STATUSES.indexOf(from) || (closed.includes(from) && to === 'in_progress')).toBe(true);
      }
    }
  });

  it('writes nothing when a change is refused or sets what is already set', () => {
    store.update(hanoi, { status: 'resolved' }, 'analyst.hn');
    const before = store.alertHistory(hanoi)!;
    expect(() => store.update(hanoi, { status: 'acknowledged', assignee: 'someone', comment: 'should not land' }, 'analyst.hn')).toThrow(AlertTransitionError);
    expect(store.alertHistory(hanoi)).toEqual(before);
    expect(store.get(hanoi)!.assignee).toBeNull();
    expect(store.update(hanoi, { status: 'resolved' }, 'other').changed).toEqual([]);
    expect(store.get(hanoi)!.updated_by).toBe('analyst.hn');
    // Unassigning is a change from someone to nobody.
    store.update(danang, { assignee: 'analyst.dn' }, 'analyst.dn');
    store.update(danang, { assignee: null }, 'analyst.dn');
    expect(store.alertHistory(danang)!.map((h) => [h.from, h.to])).toEqual([
      [null, 'analyst.dn'],
      ['analyst.dn', null],
    ]);
  });

  it('hides other agencies: updates and history answer not found', () => {
    expect(() => store.update(danang, { status: 'acknowledged' }, 'analyst.hn', ['hanoi-doh'])).toThrow(AlertNotFoundError);
    expect(() => store.update('no-such-alert', { status: 'acknowledged' }, 'admin')).toThrow(AlertNotFoundError);
    expect(store.alertHistory(danang, ['hanoi-doh'])).toBeUndefined();
    expect(store.alertHistory(danang, ['danang-dof'])).toEqual([]);
    expect(store.get(danang)!.status).toBe('new');
  });

  it('updates many alerts, judging each alone', () => {
    store.update(danang, { status: 'resolved' }, 'analyst.dn');
    const results = store.updateMany([hanoi, danang, 'missing'], { status: 'acknowledged', assignee: 'analyst.hn' }, 'admin');
    expect(results[0]).toEqual({ id: hanoi, changed: ['status', 'assignee'] });
    expect(results[1]).toBeInstanceOf(AlertTransitionError);
    expect(results[2]).toBeInstanceOf(AlertNotFoundError);
    expect(store.get(danang)!.assignee).toBeNull();
  });

  it('keeps folding matches into an alert under triage, and a manual severity survives folding', () => {
    store.update(hanoi, { status: 'in_progress', severity: 'high' }, 'analyst.hn');
    const [c] = store.record([hitOf(DENY_RULE, byId('evt-002'))]);
    expect(c).toEqual({ id: hanoi, created: false, added: 1 });
    expect(store.get(hanoi)).toMatchObject({ count: 2, severity: 'high', status: 'in_progress' });
  });

  it('filters by assignee, rule, agency, tactic and technique, and sorts by severity and count', () => {
    store.record(['evt-002', 'evt-003', 'evt-004'].map((id) => hitOf(DENY_RULE, byId(id))));
    store.record(['evt-008', 'evt-009'].map((id) => hitOf(WEB_RULE, byId(id))));
    store.update(hanoi, { assignee: 'analyst.hn' }, 'analyst.hn');
    const ids = (p: Parameters<AlertStore['search']>[0]): string[] => store.search(p).alerts.map((a) => a.group_key + '@' + a.organization.id);
    expect(ids({ limit: 10, assignees: ['analyst.hn'] })).toEqual(['source.ip="203.0.113.45"@hanoi-doh']);
    expect(store.search({ limit: 10, assignees: [null] }).total).toBe(3);
    expect(store.search({ limit: 10, assignees: [null, 'analyst.hn'] }).total).toBe(4);
    expect(store.search({ limit: 10, ruleIds: ['web-1'] }).total).toBe(1);
    expect(store.search({ limit: 10, agencies: ['danang-dof'] }).total).toBe(1);
    // A filter never widens the scope.
    expect(store.search({ limit: 10, agencies: ['danang-dof'], organizations: ['hanoi-doh'] }).total).toBe(0);
    expect(store.search({ limit: 10, tactics: ['initial-access'] }).alerts.map((a) => a.rule.id)).toEqual(['web-1']);
    expect(store.search({ limit: 10, techniques: ['T1595'] }).total).toBe(3);
    expect(store.search({ limit: 10, techniques: ['T1595.001', 'T1190'] }).total).toBe(4);
    expect(store.search({ limit: 10, techniques: ['T1595.002'] }).total).toBe(0);

    const bySeverity = store.search({ limit: 10, sort: 'severity' }).alerts;
    expect(bySeverity[0].rule.id).toBe('web-1');
    const byCount = store.search({ limit: 10, sort: 'count' }).alerts.map((a) => a.count);
    expect(byCount).toEqual([3, 2, 1, 1]);
    expect(store.search({ limit: 10, sort: 'count', order: 'asc' }).alerts.map((a) => a.count)).toEqual([1, 1, 2, 3]);

    // Keyset paging in every sort visits each alert once, in order.
    for (const sort of ['last_seen', 'first_seen', 'severity', 'count'] as const) {
      for (const order of ['desc', 'asc'] as const) {
        const all = store.search({ limit: 10, sort, order }).alerts.map((a) => a.id);
        const paged: string[] = [];
        let cursor: string | undefined;
        do {
          const page = store.search({ limit: 1, sort, order, cursor });
          paged.push(...page.alerts.map((a) => a.id));
          cursor = page.next ?? undefined;
        } while (cursor !== undefined);
        expect({ sort, order, paged }).toEqual({ sort, order, paged: all });
      }
    }
    const next = store.search({ limit: 1, sort: 'count' }).next!;
    expect(() => store.search({ limit: 1, cursor: next })).toThrow(/sorted by count desc, not last_seen desc/);
  });

  it("uses a rule's own dedup window", () => {
    // WEB_RULE sets dedup_window: 1h; evt-008 and a repeat 50 minutes later fold; DENY_RULE's 10 minutes would not.
    const later = { ...byId('evt-009'), '@timestamp': '2025-03-01T02:00:00.000Z', event: { ...byId('evt-009').event, id: 'evt-209' } };
    const changes = store.record([hitOf(WEB_RULE, byId('evt-008')), hitOf(WEB_RULE, later)]);
    expect(changes).toEqual([{ id: expect.any(String), created: true, added: 2 }]);
    const withoutOwnWindow = store.record([hitOf(DENY_RULE, byId('evt-011'))]);
    expect(withoutOwnWindow[0].created).toBe(true);
  });
});
