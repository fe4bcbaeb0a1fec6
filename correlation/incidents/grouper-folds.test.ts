/**
 * Grouping through AlertStore's cheap reads (heads, event ids since) must leave incidents exactly
 * as reading every alert in full does. Two databases take the same detection batches — one grouper
 * given the store, one given a bare lookup function — and end with the same incidents, timelines
 * and entity index (event-id entities compared without their last_seen, which matching never reads).
 */
import type { EcsEvent } from '../../core/event';
import type { AlertHit } from '../alerts/types';
import { createFixture, eventsById, hit, RULES, START, type Fixture } from './testdata/fixtures';

const MIN = 60_000;

/** The event again `minutes` later, under a new id, optionally from another user. */
function again(e: EcsEvent, n: number, minutes: number, user?: string): EcsEvent {
  const copy = { ...e, '@timestamp': new Date(Date.parse(e['@timestamp']) + minutes * MIN).toISOString(), event: { ...e.event, id: `${e.event.id}-r${n}` } } as EcsEvent;
  if (user !== undefined) copy.user = { name: user };
  return copy;
}

interface EntityRow {
  org: string;
  kind: string;
  value: string;
  incident_seq: number;
  last_seen: number;
}

/** Everything grouping wrote, with alert ids replaced by what identifies them across the two databases. */
function snapshot(f: Fixture): unknown {
  const alertKey = (id: string): string => {
    const a = f.alerts.get(id)!;
    return `${a.rule.id} ${a.organization.id} ${a.group_key} ${a.first_seen}`;
  };
  const incidents = f.service.list({ limit: 100, offset: 0 }).incidents.map((i) => ({
    id: i.id,
    status: i.status,
    severity: i.severity,
    title: i.title,
    alerts: i.alert_ids.map(alertKey),
    entities: i.entities,
    timeline: f.service.detail(i.id).timeline.map((t) => `${t.kind} ${t.actor} ${t.message.replace(/alert [0-9a-f-]{36}/, 'alert')}`),
  }));
  const rows = f.db.prepare('SELECT org, kind, value, incident_seq, last_seen FROM incident_entities ORDER BY org, kind, value, incident_seq').all() as EntityRow[];
  const fields = rows.filter((r) => r.kind !== 'event.id');
  const eventIds = rows.filter((r) => r.kind === 'event.id').map((r) => `${r.org} ${r.value} ${r.incident_seq}`);
  return { incidents, fields, eventIds };
}

describe('IncidentGrouper folds through cheap reads', () => {
  const open: Fixture[] = [];
  afterEach(() => {
    for (const f of open.splice(0)) f.close();
  });

  it('ends as full reads do, across growing samples, severity edits, resolution, reopening, false positives and a restart', () => {
    // Samples hold 10 events and id lists 100 (the fixture's store): folds grow both, then only the ids.
    let fast = createFixture({ grouping: { minSeverity: 'medium' } });
    let full = createFixture({ grouping: { minSeverity: 'medium' } });
    open.push(fast, full);
    const raiseFull = (hits: AlertHit[]): string[] => {
      const changes = full.alerts.record(hits);
      full.grouper.onAlerts(changes, (id) => full.alerts.get(id));
      return changes.map((c) => c.id);
    };
    const both = (hits: AlertHit[]): [string[], string[]] => [fast.raise(...hits), raiseFull(hits)];
    const tick = (): void => {
      fast.clock.now += MIN;
      full.clock.now += MIN;
    };
    const brute = eventsById('evt-ssh-001', 'evt-ssh-002', 'evt-ssh-003', 'evt-ssh-004', 'evt-ssh-005');
    const scan = eventsById('evt-asa-001');
    const [[fastBrute], [fullBrute]] = both([hit(RULES.sshFailures, brute, { 'source.ip': '203.0.113.45' })]);
    // A low alert with its own address stays alone; its folds keep looking for an incident.
    const [[fastScan], [fullScan]] = both([hit(RULES.asaDenyTelnet, scan, { 'source.ip': '198.51.100.7' })]);

    let n = 0;
    const users = ['root', 'admin', 'oracle', 'deploy', 'git', 'ubuntu'];
    for (let round = 1; round <= 14; round++) {
      tick();
      // The last rounds re-fire over events already stored (a correlation does): no new id, a later last_seen.
      const events =
        round >= 13
          ? [{ ...brute[0], '@timestamp': new Date(Date.parse(brute[0]['@timestamp']) + (round + 5) * MIN).toISOString() }]
          : [again(brute[round % 5], n++, round, users[round % users.length]), again(brute[(round + 1) % 5], n++, round)];
      both([hit(RULES.sshFailures, events, { 'source.ip': '203.0.113.45' }), hit(RULES.asaDenyTelnet, [again(scan[0], n++, round)], { 'source.ip': '198.51.100.7' })]);
      if (round === 4) {
        fast.alerts.update(fastBrute, { severity: 'critical' }, 'analyst.hn');
        full.alerts.update(fullBrute, { severity: 'critical' }, 'analyst.hn');
      }
      if (round === 6) {
        fast.service.updateIncident('INC-2026-000001', { status: 'resolved' }, 'analyst.hn');
        full.service.updateIncident('INC-2026-000001', { status: 'resolved' }, 'analyst.hn');
      }
      if (round === 9) {
        fast.service.updateIncident('INC-2026-000001', { status: 'investigating' }, 'analyst.hn');
        full.service.updateIncident('INC-2026-000001', { status: 'investigating' }, 'analyst.hn');
      }
      if (round === 10) {
        fast.alerts.update(fastScan, { status: 'false_positive' }, 'analyst.hn');
        full.alerts.update(fullScan, { status: 'false_positive' }, 'analyst.hn');
      }
      if (round === 12) {
        // A restart forgets what the grouper had learned; the next fold reads the alert in full.
        open.length = 0;
        fast = fast.reopen();
        full = full.reopen();
        open.push(fast, full);
      }
      expect(snapshot(fast)).toEqual(snapshot(full));
    }
    const final = snapshot(fast) as { incidents: Array<{ entities: Array<{ kind: string; value: string }> }>; eventIds: string[] };
    // The users of the first 10 events (the sample) are entities; later ones are only event ids.
    expect(final.incidents[0].entities).toEqual(expect.arrayContaining([{ kind: 'user.name', value: 'admin' }, { kind: 'user.name', value: 'oracle' }]));
    expect(final.eventIds.length).toBeGreaterThan(25);
    expect(fast.store.head(1)).toMatchObject({ status: 'investigating' });
    expect(fast.service.get('INC-2026-000001').severity).toBe('critical');
    expect(START).toBeLessThan(fast.clock.now);
  });

  it('indexes event ids of a fold so a correlation sharing them joins the incident', () => {
    const f = createFixture({ grouping: { entityFields: ['host.name'], minSeverity: 'low' } });
    open.push(f);
    const deny = eventsById('evt-asa-001');
    // Ten events fill the sample (the fixture keeps 10): later folds add ids only.
    f.raise(hit(RULES.asaDenyTelnet, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => again(deny[0], 100 + i, 0)), { 'source.ip': '198.51.100.7' }));
    f.clock.now += MIN;
    // The fold adds evt-asa-001-r1 to the alert; the incident learns it from the id list alone.
    const later = again(deny[0], 1, 1);
    const [[fold]] = [f.raise(hit(RULES.asaDenyTelnet, [later], { 'source.ip': '198.51.100.7' }))];
    expect(f.store.incidentOfAlert(fold)).toBe(1);
    f.clock.now += MIN;
    const [corr] = f.raise(hit(RULES.asaPortScan, [later], { 'source.ip': '198.51.100.7', 'observer.product': 'ASA' }));
    expect(f.service.get('INC-2026-000001').alert_ids).toEqual([fold, corr]);
  });
});
