import { createFixture, eventsById, hit, RULES, type Fixture } from './testdata/fixtures';

const BRUTE = eventsById('evt-ssh-001', 'evt-ssh-002', 'evt-ssh-003', 'evt-ssh-004', 'evt-ssh-005');

describe('IncidentGrouper', () => {
  let f: Fixture;
  afterEach(() => f.close());

  it('opens an incident for a high alert and joins alerts that share an entity', () => {
    f = createFixture();
    const [brute] = f.raise(hit(RULES.sshFailures, BRUTE, { 'source.ip': '203.0.113.45' }));
    const list = f.service.list({ limit: 10, offset: 0 });
    expect(list.total).toBe(1);
    const inc = list.incidents[0];
    expect(inc.id).toBe('INC-2026-000001');
    expect(inc.status).toBe('open');
    expect(inc.severity).toBe('high');
    expect(inc.organization.id).toBe('hanoi-doh');
    expect(inc.category).toBe('intrusion');
    expect(inc.alert_ids).toEqual([brute]);
    expect(inc.entities).toEqual(
      expect.arrayContaining([
        { kind: 'host.name', value: 'web01' },
        { kind: 'user.name', value: 'root' },
        { kind: 'source.ip', value: '203.0.113.45' },
        { kind: 'destination.ip', value: '10.10.1.20' },
      ]),
    );

    // The attacker gets in as "deploy" (joins on source.ip), then "deploy" logs in from web01 to
    // db01: that alert shares only user.name "deploy" with the incident, and joins through it.
    f.clock.now += 60_000;
    const [success] = f.raise(hit(RULES.sshSuccessAfterFailures, [...BRUTE, ...eventsById('evt-ssh-006')], { 'source.ip': '203.0.113.45', 'user.name': 'deploy' }));
    f.clock.now += 60_000;
    const [lateral] = f.raise(hit(RULES.sshDeployLogin, eventsById('evt-ssh-007'), { 'user.name': 'deploy' }));

    const after = f.service.get('INC-2026-000001');
    expect(after.alert_ids).toEqual([brute, success, lateral]);
    expect(after.severity).toBe('critical');
    expect(f.service.list({ limit: 10, offset: 0 }).total).toBe(1);
    const timeline = f.service.detail('INC-2026-000001').timeline;
    expect(timeline.map((e) => e.kind)).toEqual(['created', 'alert_added', 'alert_added', 'alert_added']);
    expect(timeline.every((e) => e.actor === 'system:grouping')).toBe(true);
  });

  it('keeps agencies apart even when the attacker address is the same', () => {
    f = createFixture();
    f.raise(hit(RULES.sshFailures, BRUTE, { 'source.ip': '203.0.113.45' }));
    const [dn] = f.raise(hit(RULES.sshFailures, eventsById('evt-ssh-008', 'evt-ssh-009', 'evt-ssh-010'), { 'source.ip': '203.0.113.45' }));
    const page = f.service.list({ limit: 10, offset: 0 });
    expect(page.total).toBe(2);
    const danang = page.incidents.find((i) => i.organization.id === 'danang-dof')!;
    expect(danang.alert_ids).toEqual([dn]);
    expect(f.service.list({ organizations: ['hanoi-doh'], limit: 10, offset: 0 }).incidents.map((i) => i.alert_ids.length)).toEqual([1]);
  });

  it('opens a new incident when the shared entity was last seen outside the window', () => {
    f = createFixture();
    f.raise(hit(RULES.sshFailures, BRUTE, { 'source.ip': '203.0.113.45' }));
    f.clock.now = Date.parse('2026-11-28T03:01:00.000Z');
    const [later] = f.raise(hit(RULES.sshFailures, eventsById('evt-ssh-011'), { 'source.ip': '203.0.113.45' }));
    const page = f.service.list({ limit: 10, offset: 0 });
    expect(page.total).toBe(2);
    expect(page.incidents[0]).toMatchObject({ id: 'INC-2026-000002', alert_ids: [later] });

    // With a 72 h window the same alert joins instead.
    const g = createFixture({ grouping: { windowHours: 72 } });
    try {
      g.raise(hit(RULES.sshFailures, BRUTE, { 'source.ip': '203.0.113.45' }));
      g.raise(hit(RULES.sshFailures, eventsById('evt-ssh-011'), { 'source.ip': '203.0.113.45' }));
      expect(g.service.list({ limit: 10, offset: 0 }).total).toBe(1);
    } finally {
      g.close();
    }
  });

  it('is idempotent: the same changes again never add an alert twice', () => {
    f = createFixture();
    const h = hit(RULES.sshFailures, BRUTE, { 'source.ip': '203.0.113.45' });
    const changes = f.alerts.record([h]);
    const first = f.grouper.onAlerts(changes, (id) => f.alerts.get(id));
    const again = f.grouper.onAlerts(changes, (id) => f.alerts.get(id));
    expect(first.map((o) => o.result)).toEqual(['opened']);
    expect(again.map((o) => o.result)).toEqual(['updated']);
    const detail = f.service.detail('INC-2026-000001');
    expect(detail.alert_ids).toHaveLength(1);
    expect(detail.timeline.filter((e) => e.kind === 'alert_added')).toHaveLength(1);
    // A later fold into the same alert (dedup) is an update, not a second membership.
    f.clock.now += 30_000;
    const fold = f.alerts.record([hit(RULES.sshFailures, eventsById('evt-ssh-005'), { 'source.ip': '203.0.113.45' })]);
    expect(fold[0]).toMatchObject({ id: changes[0].id, created: false });
    expect(f.grouper.onAlerts(fold, (id) => f.alerts.get(id))[0]).toMatchObject({ result: 'updated', incidentId: 'INC-2026-000001' });
  });

  it('leaves a low alert alone unless it shares an entity with an open incident', () => {
    f = createFixture();
    const [scan] = f.raise(hit(RULES.asaDenyTelnet, eventsById('evt-asa-001'), { 'source.ip': '198.51.100.7' }));
    expect(f.service.list({ limit: 10, offset: 0 }).total).toBe(0);
    expect(f.store.incidentOfAlert(scan)).toBeUndefined();

    f.raise(hit(RULES.sshFailures, BRUTE, { 'source.ip': '203.0.113.45' }));
    const lowSameSource = hit(RULES.asaDenyTelnet, BRUTE.slice(0, 1), { 'source.ip': '203.0.113.45' });
    const [low] = f.raise(lowSameSource);
    expect(f.service.get('INC-2026-000001').alert_ids).toContain(low);
    expect(f.service.get('INC-2026-000001').severity).toBe('high');
  });

  it('joins a correlation alert to the incident of an alert it shares events with', () => {
    // Firewall events carry no host or user: with only those kinds configured, the shared event ids link them.
    f = createFixture({ grouping: { entityFields: ['host.name', 'user.name'], minSeverity: 'low' } });
    const deny = eventsById('evt-asa-001');
    const [base] = f.raise(hit(RULES.asaDenyTelnet, deny, { 'source.ip': '198.51.100.7' }));
    const [corr] = f.raise(hit(RULES.asaPortScan, deny, { 'source.ip': '198.51.100.7' }));
    const page = f.service.list({ limit: 10, offset: 0 });
    expect(page.total).toBe(1);
    expect(page.incidents[0].alert_ids).toEqual([base, corr]);
    expect(page.incidents[0].entities).toEqual([]);
  });

  it('does not add alerts to a resolved incident', () => {
    f = createFixture();
    f.raise(hit(RULES.sshFailures, BRUTE, { 'source.ip': '203.0.113.45' }));
    f.service.updateIncident('INC-2026-000001', { status: 'resolved' }, 'analyst.hn');
    f.clock.now += 60_000;
    const [next] = f.raise(hit(RULES.sshSuccessAfterFailures, eventsById('evt-ssh-006'), { 'source.ip': '203.0.113.45', 'user.name': 'deploy' }));
    expect(f.service.get('INC-2026-000002').alert_ids).toEqual([next]);
  });

  it('keeps incidents and the id counter across a restart', () => {
    f = createFixture();
    f.raise(hit(RULES.sshFailures, BRUTE, { 'source.ip': '203.0.113.45' }));
    f = f.reopen();
    expect(f.service.get('INC-2026-000001').entities.length).toBeGreaterThan(0);
    f.raise(hit(RULES.sshFailures, eventsById('evt-ssh-008', 'evt-ssh-009'), { 'source.ip': '203.0.113.45' }));
    expect(f.service.list({ limit: 10, offset: 0 }).incidents.map((i) => i.id)).toEqual(['INC-2026-000002', 'INC-2026-000001']);
  });
});
