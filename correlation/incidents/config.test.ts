import { guessCategory } from './category';
import { defaultIncidentsConfig, incidentsConfigSchema } from './config';
import { AlertEntityExtractor } from './entities';
import { checkTimeZone, formatDateTime, yearIn } from './time-format';
import type { Alert } from '../alerts/types';
import { createFixture, eventsById, hit, RULES } from './testdata/fixtures';

describe('incidents config', () => {
  it('defaults every key so an empty section runs', () => {
    const c = defaultIncidentsConfig();
    expect(c.grouping).toEqual({ windowHours: 24, minSeverity: 'medium', entityFields: ['host.name', 'user.name', 'source.ip', 'destination.ip'], ignoreValues: expect.arrayContaining(['127.0.0.1', '-']) });
    expect(c.sla.critical).toEqual({ acknowledgeMinutes: 15, resolveMinutes: 240 });
    expect(c.sla.informational.resolveMinutes).toBe(30 * 24 * 60);
    expect(c.reporting.regimes).toEqual(['decree85', 'decree331']);
    expect(c.reporting.decree331).toMatchObject({ noticeHours: 24, reportHours: 72 });
    expect(c.reporting.decree85).toMatchObject({ initialReportDays: 5, closingReportDays: 5 });
  });

  it('keeps defaults beside a partial override and rejects unknown keys', () => {
    const c = incidentsConfigSchema.parse({ sla: { high: { resolveMinutes: 600 } }, reporting: { regimes: ['decree331'] } });
    expect(c.sla.high).toEqual({ acknowledgeMinutes: 60, resolveMinutes: 600 });
    expect(c.sla.critical.acknowledgeMinutes).toBe(15);
    const bad = incidentsConfigSchema.safeParse({ grouping: { window: 3 } });
    expect(bad.success).toBe(false);
    expect(incidentsConfigSchema.safeParse({ reporting: { regimes: ['decree72'] } }).success).toBe(false);
  });

  it('formats dates in the configured zone and rejects an unknown zone', () => {
    const t = Date.parse('2026-12-31T18:30:00Z');
    expect(formatDateTime(t, 'Asia/Ho_Chi_Minh')).toBe('01/01/2027 01:30 (GMT+7)');
    expect(yearIn(t, 'Asia/Ho_Chi_Minh')).toBe(2027);
    expect(yearIn(t, 'UTC')).toBe(2026);
    expect(() => checkTimeZone('Asia/Hanoi_City')).toThrow('unknown time zone "Asia/Hanoi_City"');
  });
});

/** A real alert from the AlertStore (its shape follows the alerts module), with fields replaced. */
function alertOf(partial: Partial<Alert>): Alert {
  const f = createFixture();
  try {
    const [change] = f.alerts.record([hit(RULES.sshFailures, eventsById('evt-ssh-001'), {})]);
    return { ...f.alerts.get(change.id)!, ...partial };
  } finally {
    f.close();
  }
}

describe('alert entities and category', () => {
  it('takes configured fields from the group and sample events, skipping placeholders and folding host case', () => {
    const x = new AlertEntityExtractor(['host.name', 'user.name', 'source.ip'], ['-', '127.0.0.1']);
    const events = eventsById('evt-ssh-001', 'evt-ssh-006');
    const upper = { ...events[1], host: { name: 'WEB01' } };
    const alert = alertOf({ group: { 'source.ip': '203.0.113.45', 'user.name': '-' }, events: [events[0], upper], event_ids: ['evt-ssh-001', 'evt-ssh-006'] });
    expect(x.entitiesOf(alert)).toEqual([
      { kind: 'host.name', value: 'web01' },
      { kind: 'user.name', value: 'root' },
      { kind: 'user.name', value: 'deploy' },
      { kind: 'source.ip', value: '203.0.113.45' },
      { kind: 'event.id', value: 'evt-ssh-001' },
      { kind: 'event.id', value: 'evt-ssh-006' },
    ]);
  });

  it('guesses the regulatory category from ATT&CK tags, then the title', () => {
    expect(guessCategory(alertOf({ rule: { ...RULES.sshFailures, name: 'SSH brute force' } }))).toBe('intrusion');
    expect(guessCategory(alertOf({ rule: { id: 'r', name: 'Ransomware note written', tags: ['attack.impact', 'attack.t1486'], level: 'critical', ruleset: 's' } }))).toBe('malware');
    expect(guessCategory(alertOf({ rule: { id: 'r', name: 'UDP flood towards the portal', tags: [], level: 'high', ruleset: 's' } }))).toBe('dos');
    expect(guessCategory(alertOf({ rule: { id: 'r', name: 'Core switch unreachable', tags: [], level: 'high', ruleset: 'noc' } }))).toBe('availability');
    expect(guessCategory(alertOf({ rule: { id: 'r', name: 'Odd thing', tags: ['attack.discovery'], level: 'low', ruleset: 's' } }))).toBe('other');
  });
});
