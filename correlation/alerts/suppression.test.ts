import { Metrics } from '../../core/metrics';
import { openSqlite, type SqliteDb } from '../../core/store/sqlite';
import { registerAlertMetrics } from './metrics';
import { AlertStore } from './store';
import { SuppressionInputError } from './suppression';
import { byId, DENY_RULE, hitOf, WEB_RULE } from './testdata/hits';

const MIN = 60_000;

describe('alert suppressions', () => {
  let db: SqliteDb;
  let store: AlertStore;
  let clock: number;
  beforeEach(() => {
    db = openSqlite(':memory:');
    clock = Date.UTC(2025, 2, 1, 2, 0, 0);
    store = new AlertStore(db, { dedupWindowMs: 10 * MIN, maxSampleEvents: 2, maxEventIds: 3, now: () => clock });
  });
  afterEach(() => db.close());

  it('mutes matching hits, counting them per suppression and in the metric, instead of raising alerts', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    registerAlertMetrics(metrics, store);
    const s = store.suppressions.create({
      ruleId: DENY_RULE.rule.id,
      match: { 'source.ip': '203.0.113.45', 'destination.port': ['22', '3389'] },
      reason: 'authorised scan by the Hanoi pentest team, ticket PT-2025-031',
      owner: 'analyst.hn',
      expiresAt: clock + 60 * MIN,
    });
    expect(s).toMatchObject({ rule_id: DENY_RULE.rule.id, organization: null, hits: 0, last_hit: null, created_at: '2025-03-01T02:00:00.000Z', expires_at: '2025-03-01T03:00:00.000Z' });
    // evt-001 (port 22) and evt-002 (3389) are muted; evt-003 (445) and evt-004 (another source) are not.
    const changes = store.record(['evt-001', 'evt-002', 'evt-003', 'evt-004'].map((id) => hitOf(DENY_RULE, byId(id))));
    expect(changes.map((c) => c.added)).toEqual([1, 1]);
    expect(store.search({ limit: 10 }).alerts.flatMap((a) => a.event_ids).sort()).toEqual(['evt-003', 'evt-004']);
    expect(store.suppressions.get(s.id)).toMatchObject({ hits: 2, last_hit: '2025-03-01T02:00:00.000Z' });
    expect(await metrics.registry.getSingleMetricAsString('socnoc_alerts_suppressed_total')).toMatch(/^socnoc_alerts_suppressed_total 2$/m);
    // Other rules are untouched.
    expect(store.record([hitOf(WEB_RULE, byId('evt-008'))])).toHaveLength(1);
  });

  it('stops applying once expired, and the hits stay on record', () => {
    const s = store.suppressions.create({ ruleId: '*', match: { 'source.ip': '203.0.113.45' }, reason: 'noisy during migration', owner: 'admin', expiresAt: clock + 30 * MIN });
    expect(store.record([hitOf(DENY_RULE, byId('evt-001')), hitOf(WEB_RULE, byId('evt-008'))])).toEqual([]);
    clock += 30 * MIN;
    expect(store.record([hitOf(DENY_RULE, byId('evt-002'))])).toHaveLength(1);
    expect(store.suppressions.get(s.id)!.hits).toBe(2);
    expect(store.suppressions.list(undefined, false)).toEqual([]);
    expect(store.suppressions.list().map((x) => x.id)).toEqual([s.id]);
  });

  it('applies an agency-bound suppression to that agency only', () => {
    store.suppressions.create({ ruleId: DENY_RULE.rule.id, organization: 'danang-dof', reason: 'Da Nang edge ACL under review', owner: 'analyst.dn' });
    const changes = store.record([hitOf(DENY_RULE, byId('evt-001')), hitOf(DENY_RULE, byId('evt-005'))]);
    expect(changes.map((c) => store.get(c.id)!.organization.id)).toEqual(['hanoi-doh']);
  });

  it('survives a restart (index rebuilt from the table), and updates and deletes take effect at once', () => {
    const s = store.suppressions.create({ ruleId: DENY_RULE.rule.id, match: { 'source.ip': '198.51.100.23' }, reason: 'monitoring probe', owner: 'admin' });
    store = new AlertStore(db, { dedupWindowMs: 10 * MIN, maxSampleEvents: 2, maxEventIds: 3, now: () => clock });
    expect(store.record([hitOf(DENY_RULE, byId('evt-004'))])).toEqual([]);
    store.suppressions.update(s.id, { match: { 'source.ip': ['203.0.113.45'] }, reason: 'moved to the scanner' });
    expect(store.record([hitOf(DENY_RULE, byId('evt-004'))])).toHaveLength(1);
    expect(store.record([hitOf(DENY_RULE, byId('evt-001'))])).toEqual([]);
    expect(store.suppressions.get(s.id)).toMatchObject({ hits: 2, reason: 'moved to the scanner', match: { 'source.ip': '203.0.113.45' } });
    expect(store.suppressions.delete(s.id)).toBe(true);
    expect(store.suppressions.delete(s.id)).toBe(false);
    expect(store.record([hitOf(DENY_RULE, byId('evt-002'))])).toHaveLength(1);
  });

  it('lists an agency its own and the global suppressions', () => {
    store.suppressions.create({ ruleId: '*', reason: 'global', owner: 'admin' });
    store.suppressions.create({ ruleId: 'x', organization: 'hanoi-doh', reason: 'hanoi', owner: 'analyst.hn' });
    store.suppressions.create({ ruleId: 'x', organization: 'danang-dof', reason: 'danang', owner: 'analyst.dn' });
    expect(store.suppressions.list(['hanoi-doh']).map((s) => s.reason)).toEqual(['global', 'hanoi']);
    expect(store.suppressions.list().length).toBe(3);
  });

  it('rejects bad input naming the field', () => {
    const base = { ruleId: 'r', reason: 'why', owner: 'admin' };
    expect(() => store.suppressions.create({ ...base, reason: '  ' })).toThrow(/suppression reason/);
    expect(() => store.suppressions.create({ ...base, expiresAt: clock - 1 })).toThrow(/suppression expires_at: must be in the future/);
    expect(() => store.suppressions.create({ ...base, match: { 'bad field!': 'x' } })).toThrow(SuppressionInputError);
    expect(() => store.suppressions.create({ ...base, match: { 'source.ip': [] } })).toThrow(/match.source.ip/);
  });
});
