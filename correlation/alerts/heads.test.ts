import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EcsEvent } from '../../core/event';
import { openSqlite, type SqliteDb } from '../../core/store/sqlite';
import { AlertStore } from './store';
import type { AlertHit } from './types';

const EVENTS: EcsEvent[] = readFileSync(join(__dirname, '..', 'testdata', 'events.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => JSON.parse(l) as EcsEvent);
const byId = (id: string): EcsEvent => EVENTS.find((e) => e.event.id === id)!;

const DENY = { id: 'asa-deny-admin-port', name: 'Inbound connection denied to an administrative port', tags: ['attack.discovery'], level: 'low' as const, ruleset: 'socnoc' };
const MAPPINGS = { attack: { techniques: ['T1046'], tactics: ['discovery'] }, compliance: { nist_csf: [], iso27001: [], decree85: [] } };

function hit(events: EcsEvent[], group: Record<string, string>): AlertHit {
  const last = events[events.length - 1];
  return { rule: DENY, mappings: MAPPINGS, organization: last.organization!, time: Date.parse(last['@timestamp']), group, events };
}

/** The event without its id: stored in the sample, absent from event_ids. */
function withoutId(e: EcsEvent): EcsEvent {
  const { id: _id, ...rest } = e.event;
  return { ...e, event: rest } as EcsEvent;
}

describe('AlertStore cheap reads (triage path)', () => {
  let db: SqliteDb;
  let store: AlertStore;
  beforeEach(() => {
    db = openSqlite(':memory:');
    store = new AlertStore(db, { dedupWindowMs: 600_000, maxSampleEvents: 2, maxEventIds: 4, now: () => Date.UTC(2025, 2, 1, 2) });
  });
  afterEach(() => db.close());

  it('reads heads of many alerts in one call, matching what get returns', () => {
    const [hanoi, other] = store.record([hit([byId('evt-001'), byId('evt-002'), byId('evt-003')], { 'source.ip': '203.0.113.45' }), hit([byId('evt-004')], { 'source.ip': '198.51.100.23' })]);
    store.update(other.id, { status: 'acknowledged', severity: 'high' }, 'analyst.hn');
    const heads = store.heads([hanoi.id, other.id, 'no-such-alert']);
    expect([...heads.keys()].sort()).toEqual([hanoi.id, other.id].sort());
    for (const id of [hanoi.id, other.id]) {
      const alert = store.get(id)!;
      const head = heads.get(id)!;
      expect(head).toMatchObject({
        id,
        status: alert.status,
        severity: alert.severity,
        organizationId: alert.organization.id,
        firstSeen: Date.parse(alert.first_seen),
        lastSeen: Date.parse(alert.last_seen),
        nEvents: alert.events.length,
        nEventIds: alert.event_ids.length,
      });
    }
    expect(heads.get(other.id)).toMatchObject({ status: 'acknowledged', severity: 'high' });
    expect(heads.get(hanoi.id)).toMatchObject({ nEvents: 2, nEventIds: 3 });
    expect(store.heads([]).size).toBe(0);
  });

  it('lists event ids stored from a position on, skipping events without an id', () => {
    const [c] = store.record([hit([byId('evt-001'), withoutId(byId('evt-002')), byId('evt-003')], { 'source.ip': '203.0.113.45' })]);
    const head = store.heads([c.id]).get(c.id)!;
    // Three rows (the middle one without an id); the first two are the sample.
    expect(head).toMatchObject({ nEvents: 2, nEventIds: 3 });
    expect(store.eventIdsFrom(head.seq, 0)).toEqual(['evt-001', 'evt-003']);
    expect(store.eventIdsFrom(head.seq, 1)).toEqual(['evt-003']);
    expect(store.eventIdsFrom(head.seq, 3)).toEqual([]);
    const alert = store.get(c.id)!;
    expect(alert.event_ids).toEqual(['evt-001', 'evt-003']);
    expect(alert.events).toEqual([byId('evt-001'), withoutId(byId('evt-002'))]);

    // A later fold appends at the next position.
    const [d] = store.record([hit([{ ...byId('evt-003'), event: { ...byId('evt-003').event, id: 'evt-103' } }], { 'source.ip': '203.0.113.45' })]);
    expect(d.id).toBe(c.id);
    expect(store.eventIdsFrom(head.seq, 3)).toEqual(['evt-103']);
    expect(store.heads([c.id]).get(c.id)).toMatchObject({ nEvents: 2, nEventIds: 4 });
  });

  it('reads many alerts at once exactly as one by one, scoped by agency', () => {
    const changes = store.record([
      hit([byId('evt-001'), byId('evt-002'), byId('evt-003')], { 'source.ip': '203.0.113.45' }),
      hit([byId('evt-004')], { 'source.ip': '198.51.100.23' }),
      hit([byId('evt-005')], { 'source.ip': '203.0.113.45' }),
      // No events at all (a correlation reporting only counts): empty lists, not a missing alert.
      { ...hit([byId('evt-001')], { 'source.ip': '192.0.2.1' }), events: [] },
    ]);
    const ids = changes.map((c) => c.id);
    const many = store.getMany([...ids, 'no-such-alert']);
    expect(many.size).toBe(4);
    for (const id of ids) expect(many.get(id)).toEqual(store.get(id));
    const empty = [...many.values()].find((a) => a.group['source.ip'] === '192.0.2.1')!;
    expect(empty.events).toEqual([]);
    expect(empty.event_ids).toEqual([]);
    const danang = [...many.values()].filter((a) => a.organization.id === 'danang-dof').map((a) => a.id);
    expect(danang).toHaveLength(1);
    expect([...store.getMany(ids, ['danang-dof']).keys()]).toEqual(danang);
    expect(store.getMany([]).size).toBe(0);
  });
});
