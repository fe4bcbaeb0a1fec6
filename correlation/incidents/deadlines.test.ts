import { DeadlineMonitor } from './deadline-monitor';
import type { DeadlineBreach } from './types';
import { createFixture, eventsById, hit, RULES, START, type Fixture } from './testdata/fixtures';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

function criticalIncident(f: Fixture): string {
  f.raise(hit(RULES.sshSuccessAfterFailures, eventsById('evt-ssh-001', 'evt-ssh-006'), { 'source.ip': '203.0.113.45', 'user.name': 'deploy' }));
  return f.service.list({ limit: 1, offset: 0 }).incidents[0].id;
}

describe('SLA deadlines', () => {
  let f: Fixture;
  afterEach(() => f.close());

  it('notifies an acknowledge breach exactly once, across ticks and a restart', () => {
    f = createFixture({ reporting: { regimes: [] } });
    const id = criticalIncident(f);
    const breaches: DeadlineBreach[] = [];
    const monitor = new DeadlineMonitor(f.service, (b) => breaches.push(b));

    expect(monitor.tick(START + 14 * MIN)).toEqual([]);
    monitor.tick(START + 16 * MIN);
    expect(breaches).toEqual([
      expect.objectContaining({ incident_id: id, organization: 'hanoi-doh', severity: 'critical', key: 'sla.acknowledge', due_at: new Date(START + 15 * MIN).toISOString() }),
    ]);
    monitor.tick(START + 17 * MIN);
    monitor.tick(START + 60 * MIN);
    expect(breaches).toHaveLength(1);

    f = f.reopen();
    const afterRestart = new DeadlineMonitor(f.service, (b) => breaches.push(b));
    afterRestart.tick(START + 61 * MIN);
    expect(breaches).toHaveLength(1);
    f.clock.now = START + 61 * MIN;
    const due = f.service.detail(id).due;
    expect(due.find((d) => d.key === 'sla.acknowledge')).toMatchObject({ status: 'overdue' });
    expect(f.service.detail(id).timeline.filter((e) => e.kind === 'deadline_breach')).toHaveLength(1);

    // Acknowledged late: met_late, no new breach; resolve at 4 h + 1 min is the next one.
    f.clock.now = START + 70 * MIN;
    f.service.updateIncident(id, { status: 'investigating' }, 'analyst.hn');
    afterRestart.tick(START + 4 * HOUR - MIN);
    expect(f.service.detail(id, ['hanoi-doh']).due.find((d) => d.key === 'sla.acknowledge')).toMatchObject({ status: 'met_late', done_at: new Date(START + 70 * MIN).toISOString() });
    expect(breaches).toHaveLength(1);
    afterRestart.tick(START + 4 * HOUR + MIN);
    expect(breaches.map((b) => b.key)).toEqual(['sla.acknowledge', 'sla.resolve']);
  });

  it('uses the configured minutes for the severity and raises nothing when met in time', () => {
    f = createFixture({ reporting: { regimes: [] }, sla: { critical: { acknowledgeMinutes: 5, resolveMinutes: 30 } } });
    const id = criticalIncident(f);
    const breaches: DeadlineBreach[] = [];
    const monitor = new DeadlineMonitor(f.service, (b) => breaches.push(b));
    f.clock.now = START + 4 * MIN;
    f.service.updateIncident(id, { status: 'contained' }, 'analyst.hn');
    f.clock.now = START + 20 * MIN;
    f.service.updateIncident(id, { status: 'resolved' }, 'analyst.hn');
    monitor.tick(START + DAY);
    expect(breaches).toEqual([]);
    const due = f.service.detail(id).due;
    expect(due.map((d) => [d.key, d.status, d.due_at])).toEqual([
      ['sla.acknowledge', 'met', new Date(START + 5 * MIN).toISOString()],
      ['sla.resolve', 'met', new Date(START + 30 * MIN).toISOString()],
    ]);
  });

  it('follows a severity override', () => {
    f = createFixture({ reporting: { regimes: [] } });
    const id = criticalIncident(f);
    f.service.updateIncident(id, { severity: 'low' }, 'analyst.hn');
    const ack = f.service.detail(id).due.find((d) => d.key === 'sla.acknowledge')!;
    expect(ack.due_at).toBe(new Date(START + DAY).toISOString());
    f.service.updateIncident(id, { severity: null }, 'analyst.hn');
    expect(f.service.get(id).severity).toBe('critical');
  });
});

describe('regulatory reporting clock', () => {
  let f: Fixture;
  afterEach(() => f.close());

  it('decree85: Form 03 within 5 days of detection, Form 04 within 5 days after the response ends', () => {
    f = createFixture({ reporting: { regimes: ['decree85'], decree85: { recipient: 'VNCERT/CC' } } });
    const id = criticalIncident(f);
    const detected = Date.parse(f.service.get(id).detected_at);
    expect(detected).toBe(START);
    let reports = f.service.detail(id).due.filter((d) => d.kind === 'report');
    expect(reports.map((r) => [r.key, r.due_at, r.status, r.recipient, r.regime])).toEqual([
      ['report.form03', new Date(START + 5 * DAY).toISOString(), 'pending', 'VNCERT/CC', 'decree85'],
      ['report.form04', null, 'pending', 'VNCERT/CC', 'decree85'],
    ]);
    f.clock.now = START + 2 * DAY;
    f.service.updateIncident(id, { status: 'resolved' }, 'analyst.hn');
    reports = f.service.detail(id).due.filter((d) => d.kind === 'report');
    expect(reports[1].due_at).toBe(new Date(START + 7 * DAY).toISOString());
    expect(f.service.detail(id).due.some((d) => d.key.startsWith('report.nd331'))).toBe(false);
  });

  it('decree331: a serious incident owes a 24 h notice and a 72 h report; a non-serious one nothing', () => {
    f = createFixture({ reporting: { regimes: ['decree331'] } });
    const id = criticalIncident(f);
    expect(f.service.detail(id).due.filter((d) => d.kind === 'report')).toEqual([]);
    f.service.updateIncident(id, { serious: true }, 'analyst.hn');
    const reports = f.service.detail(id).due.filter((d) => d.kind === 'report');
    expect(reports.map((r) => [r.key, r.due_at])).toEqual([
      ['report.nd331-notice', new Date(START + 24 * HOUR).toISOString()],
      ['report.nd331-report', new Date(START + 72 * HOUR).toISOString()],
    ]);
    expect(reports[0].basis).toContain('[uncertain]');
  });

  it('records submissions (on time and late) and notifies an overdue report once', () => {
    f = createFixture();
    const id = criticalIncident(f);
    f.service.updateIncident(id, { serious: true, status: 'investigating' }, 'analyst.hn');
    const breaches: DeadlineBreach[] = [];
    const monitor = new DeadlineMonitor(f.service, (b) => breaches.push(b));

    f.clock.now = START + 20 * HOUR;
    f.service.submitReport(id, 'nd331-notice', { reference: 'CV-123/SYT-CNTT' }, 'analyst.hn');
    expect(() => f.service.submitReport(id, 'nd331-notice', { reference: 'again' }, 'analyst.hn')).toThrow(/already recorded/);
    monitor.tick(START + 73 * HOUR);
    expect(breaches.filter((b) => b.key.startsWith('report.')).map((b) => b.key)).toEqual(['report.nd331-report']);
    monitor.tick(START + 80 * HOUR);
    expect(breaches.filter((b) => b.key === 'report.nd331-report')).toHaveLength(1);

    f.clock.now = START + 90 * HOUR;
    f.service.submitReport(id, 'nd331-report', { reference: 'CV-130/SYT-CNTT', note: 'sent by email to A05' }, 'analyst.hn');
    const due = f.service.detail(id).due;
    expect(due.find((d) => d.key === 'report.nd331-notice')).toMatchObject({ status: 'submitted', submitted_by: 'analyst.hn', reference: 'CV-123/SYT-CNTT' });
    expect(due.find((d) => d.key === 'report.nd331-report')).toMatchObject({ status: 'submitted_late', done_at: new Date(START + 90 * HOUR).toISOString() });
    expect(due.find((d) => d.key === 'report.form03')).toMatchObject({ status: 'pending' });
    const timeline = f.service.detail(id).timeline.filter((e) => e.kind === 'report_status');
    expect(timeline.map((e) => e.data.report)).toEqual(['nd331-notice', 'nd331-report']);
  });
});
