import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EcsEvent } from '../../core/event';
import { parseQuery } from '../../core/query/parse';
import { openSqlite, type SqliteDb } from '../../core/store/sqlite';
import { entityGroup } from './dedup';
import { ruleAlertInfo, type RuleAlertInfo } from './rule-info';
import { AlertStore } from './store';
import type { AlertHit } from './types';

const EVENTS: EcsEvent[] = readFileSync(join(__dirname, '..', 'testdata', 'events.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as EcsEvent);
const byId = (id: string): EcsEvent => EVENTS.find((e) => e.event.id === id)!;

const MIN = 60_000;

const DENY_RULE: RuleAlertInfo = ruleAlertInfo(
  {
    id: '5b0e3c55-3f1c-4f55-9a43-2a43e0b0f001',
    title: 'Inbound connection denied to an administrative port',
    level: 'low',
    tags: ['attack.discovery', 'attack.t1046', 'attack.reconnaissance', 'attack.t1595.001'],
    raw: { socnoc: { nist_csf: ['DE.CM-01'], iso27001: ['A.8.20', 'A.8.16'], decree85: ['TCVN11930-7.2.4'] } },
  },
  'socnoc',
);

function hit(info: RuleAlertInfo, event: EcsEvent, group = entityGroup(event, ['source.ip', 'user.name', 'host.name'], false)): AlertHit {
  return { rule: info.rule, mappings: info.mappings, organization: event.organization!, time: Date.parse(event['@timestamp']), group, events: [event] };
}

describe('AlertStore', () => {
  let db: SqliteDb;
  let store: AlertStore;
  let clock: number;
  beforeEach(() => {
    db = openSqlite(':memory:');
    clock = Date.UTC(2025, 2, 1, 2, 0, 0);
    store = new AlertStore(db, { dedupWindowMs: 10 * MIN, maxSampleEvents: 2, maxEventIds: 3, now: () => clock });
  });
  afterEach(() => db.close());

  it('creates an alert carrying the rule, its mappings, the agency, the key entity and the event', () => {
    const e = byId('evt-001');
    const changes = store.record([hit(DENY_RULE, e)]);
    expect(changes).toEqual([{ id: expect.any(String), created: true, added: 1 }]);
    const alert = store.get(changes[0].id)!;
    expect(alert).toEqual({
      id: changes[0].id,
      status: 'new',
      severity: 'low',
      rule: { id: '5b0e3c55-3f1c-4f55-9a43-2a43e0b0f001', name: 'Inbound connection denied to an administrative port', tags: DENY_RULE.rule.tags, level: 'low', ruleset: 'socnoc' },
      mappings: {
        attack: { techniques: ['T1046', 'T1595.001'], tactics: ['discovery', 'reconnaissance'] },
        compliance: { nist_csf: ['DE.CM-01'], iso27001: ['A.8.20', 'A.8.16'], decree85: ['TCVN11930-7.2.4'] },
      },
      organization: { id: 'hanoi-doh', name: 'Hanoi Department of Health' },
      first_seen: '2025-03-01T01:05:12.000Z',
      last_seen: '2025-03-01T01:05:12.000Z',
      count: 1,
      group_key: 'source.ip="203.0.113.45"',
      group: { 'source.ip': '203.0.113.45' },
      event_ids: ['evt-001'],
      events: [e],
      assignee: null,
      updated_by: null,
      created_at: '2025-03-01T02:00:00.000Z',
      updated_at: '2025-03-01T02:00:00.000Z',
    });
  });

  it('folds matches of the same rule, agency and key within the window; others get their own alert', () => {
    // evt-001..003: 203.0.113.45 in Hanoi; evt-004: another source; evt-005: same source, Da Nang.
    const first = store.record(['evt-001', 'evt-002', 'evt-003', 'evt-004', 'evt-005'].map((id) => hit(DENY_RULE, byId(id))));
    expect(first.map((c) => [c.created, c.added])).toEqual([
      [true, 3],
      [true, 1],
      [true, 1],
    ]);
    const page = store.search({ limit: 10 });
    expect(page.total).toBe(3);
    const hanoi = page.alerts.find((a) => a.organization.id === 'hanoi-doh' && a.group['source.ip'] === '203.0.113.45')!;
    expect(hanoi.count).toBe(3);
    expect(hanoi.first_seen).toBe('2025-03-01T01:05:12.000Z');
    expect(hanoi.last_seen).toBe('2025-03-01T01:05:14.000Z');
    // Sample bounded at 2 events, ids at 3.
    expect(hanoi.events.map((e) => e.event.id)).toEqual(['evt-001', 'evt-002']);
    expect(hanoi.event_ids).toEqual(['evt-001', 'evt-002', 'evt-003']);

    // A later batch inside the window updates the same alert, reading it back from the database.
    clock += 5 * MIN;
    const later = { ...byId('evt-003'), '@timestamp': '2025-03-01T01:12:00.000Z', event: { ...byId('evt-003').event, id: 'evt-103' } };
    expect(store.record([hit(DENY_RULE, later)])).toEqual([{ id: hanoi.id, created: false, added: 1 }]);
    const updated = store.get(hanoi.id)!;
    expect(updated.count).toBe(4);
    expect(updated.last_seen).toBe('2025-03-01T01:12:00.000Z');
    expect(updated.updated_at).toBe('2025-03-01T02:05:00.000Z');
    expect(updated.created_at).toBe('2025-03-01T02:00:00.000Z');
    expect(updated.event_ids).toEqual(['evt-001', 'evt-002', 'evt-003']);

    // evt-011 is 30 minutes after evt-003: outside the window, a new alert.
    const gap = store.record([hit(DENY_RULE, byId('evt-011'))]);
    expect(gap[0].created).toBe(true);
    expect(store.search({ limit: 10 }).total).toBe(4);
  });

  it('splits one batch spanning more than a window into separate alerts, in event-time order', () => {
    const late = hit(DENY_RULE, byId('evt-011'));
    const early = hit(DENY_RULE, byId('evt-001'));
    const changes = store.record([late, early]);
    expect(changes.map((c) => c.created)).toEqual([true, true]);
    const alerts = store.search({ limit: 10 }).alerts;
    expect(alerts.map((a) => a.event_ids)).toEqual([['evt-011'], ['evt-001']]);
  });

  it('does not fold the same event twice into the sample', () => {
    const e = byId('evt-001');
    const [c] = store.record([hit(DENY_RULE, e), hit(DENY_RULE, e)]);
    const alert = store.get(c.id)!;
    expect(alert.count).toBe(2);
    expect(alert.event_ids).toEqual(['evt-001']);
    expect(alert.events).toHaveLength(1);
  });

  it('never reopens a closed alert: a new match after resolution starts a new one', () => {
    const [c] = store.record([hit(DENY_RULE, byId('evt-001'))]);
    db.prepare("UPDATE alerts SET status = 'resolved' WHERE id = ?").run(c.id);
    const [d] = store.record([hit(DENY_RULE, byId('evt-002'))]);
    expect(d.created).toBe(true);
    expect(d.id).not.toBe(c.id);
  });

  it('keys correlations by their group-by values', () => {
    const corr = ruleAlertInfo({ id: 'corr-1', title: 'Port scan', level: 'high', tags: [], raw: {} }, 'socnoc');
    const events = ['evt-001', 'evt-002', 'evt-003'].map(byId);
    const group = { 'source.ip': '203.0.113.45', 'observer.product': 'ASA' };
    const [c] = store.record([{ rule: corr.rule, mappings: corr.mappings, organization: { id: 'hanoi-doh' }, time: Date.parse(events[2]['@timestamp']), group, events }]);
    const alert = store.get(c.id)!;
    expect(alert.group_key).toBe('observer.product="ASA" source.ip="203.0.113.45"');
    expect(alert.severity).toBe('high');
    expect(alert.events.map((e) => e.event.id)).toEqual(['evt-001', 'evt-002']);
    expect(alert.event_ids).toEqual(['evt-001', 'evt-002', 'evt-003']);
  });

  describe('search', () => {
    beforeEach(() => {
      const web = ruleAlertInfo({ id: 'web-1', title: 'Path traversal in a web request', level: 'high', tags: ['attack.initial-access', 'attack.t1190'], raw: {} }, 'socnoc');
      store.record(EVENTS.filter((e) => e.event.code === '106023').map((e) => hit(DENY_RULE, e)));
      store.record(['evt-008', 'evt-009'].map((id) => hit(web, byId(id))));
    });

    it('scopes by agency, status, severity and time overlap', () => {
      expect(store.search({ limit: 10 }).total).toBe(5);
      expect(store.search({ limit: 10, organizations: ['danang-dof'] }).alerts.map((a) => a.organization.id)).toEqual(['danang-dof']);
      expect(store.search({ limit: 10, organizations: [] }).total).toBe(0);
      expect(store.search({ limit: 10, severities: ['high'] }).alerts.map((a) => a.rule.id)).toEqual(['web-1']);
      expect(store.search({ limit: 10, statuses: ['resolved'] }).total).toBe(0);
      expect(store.search({ limit: 10, statuses: ['new', 'resolved'] }).total).toBe(5);
      const from = Date.parse('2025-03-01T01:10:00Z');
      expect(store.search({ limit: 10, from }).alerts.map((a) => a.rule.id).sort()).toEqual(['5b0e3c55-3f1c-4f55-9a43-2a43e0b0f001', 'web-1']);
      expect(store.search({ limit: 10, to: Date.parse('2025-03-01T01:05:13Z') }).total).toBe(1);
    });

    it('runs the query language over the alert and its first event', () => {
      const ids = (q: string): string[] => store.search({ limit: 10, query: parseQuery(q) }).alerts.map((a) => a.group_key).sort();
      expect(ids('source.ip:198.51.100.23')).toEqual(['source.ip="198.51.100.23"']);
      expect(ids('rule.name:*traversal* and url.path:"/index.php"')).toEqual(['source.ip="203.0.113.45"']);
      expect(ids('destination.port:445')).toEqual([]);
      expect(ids('destination.port:22 and not organization.id:danang-dof')).toEqual(['source.ip="203.0.113.45"']);
      expect(ids('mappings.attack.techniques:T1190')).toHaveLength(1);
      expect(ids('mappings.compliance.iso27001:"A.8.20" and count >= 3')).toEqual(['source.ip="203.0.113.45"']);
      expect(ids('traversal')).toHaveLength(1);
      expect(ids('status:new and severity:low')).toHaveLength(4);
      expect(store.search({ limit: 10, eventId: 'evt-009' }).alerts.map((a) => a.rule.id)).toEqual(['web-1']);
      expect(store.search({ limit: 10, eventId: 'evt-009', organizations: ['danang-dof'] }).total).toBe(0);
    });

    it('pages newest last_seen first with a cursor, without repeats', () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let lastSeen = Infinity;
      do {
        const page = store.search({ limit: 2, cursor });
        expect(page.total).toBe(5);
        for (const a of page.alerts) {
          expect(Date.parse(a.last_seen)).toBeLessThanOrEqual(lastSeen);
          lastSeen = Date.parse(a.last_seen);
          seen.push(a.id);
        }
        cursor = page.next ?? undefined;
      } while (cursor !== undefined);
      expect(new Set(seen).size).toBe(5);
      expect(() => store.search({ limit: 2, cursor: 'bm90IGEgY3Vyc29y' })).toThrow(/invalid cursor/);
    });

    it('hides an alert of another agency from get', () => {
      const dn = store.search({ limit: 10, organizations: ['danang-dof'] }).alerts[0];
      expect(store.get(dn.id, ['hanoi-doh'])).toBeUndefined();
      expect(store.get(dn.id, ['danang-dof'])?.id).toBe(dn.id);
      expect(store.get('no-such-id')).toBeUndefined();
    });
  });

  it('writes a batch of 20,000 matches quickly', () => {
    const base = byId('evt-001');
    const hits: AlertHit[] = [];
    for (let i = 0; i < 20_000; i++) {
      const e = { ...base, event: { ...base.event, id: `bulk-${i}` }, source: { ip: `203.0.113.${i % 200}` } } as EcsEvent;
      hits.push(hit(DENY_RULE, e));
    }
    // Speed is measured by benchmarks, not here: this checks that one large batch folds correctly.
    const changes = store.record(hits);
    expect(changes).toHaveLength(200);
    expect(changes.reduce((n, c) => n + c.added, 0)).toBe(20_000);
  });
});
