import { triggerSchema } from './definition';
import { sshAlert } from './testdata/fixtures';
import { compileTrigger, globMatcher } from './trigger';

const trigger = (t: Record<string, unknown>) => compileTrigger(triggerSchema.parse(t));

describe('triggers', () => {
  test('glob patterns are case-insensitive with * anywhere', () => {
    expect(globMatcher('*brute force*')('SSH Brute Force From One Address')).toBe(true);
    expect(globMatcher('intel:*')('intel:abuse-ch')).toBe(true);
    expect(globMatcher('a*b*c')('abc')).toBe(true);
    expect(globMatcher('a*b*c')('acb')).toBe(false);
    expect(globMatcher('ab*ba')('aba')).toBe(false);
    expect(globMatcher('exact')('exactly')).toBe(false);
  });

  test('every given criterion must hold; any entry of a list suffices', () => {
    const alert = sshAlert();
    expect(trigger({ rules: ['nope', '*repeated failures*'] }).matches(alert, 'created')).toBe(true);
    expect(trigger({ tags: ['attack.t1110*'], min_severity: 'high' }).matches(alert, 'created')).toBe(true);
    expect(trigger({ tags: ['attack.t1110*'], min_severity: 'critical' }).matches(alert, 'created')).toBe(false);
    expect(trigger({ agencies: ['danang-dof'] }).matches(alert, 'created')).toBe(false);
    expect(trigger({ datasets: ['syslog.linux_*'], event_types: ['authentication'] }).matches(alert, 'created')).toBe(true);
    expect(trigger({ datasets: ['snmp.*'] }).matches(alert, 'created')).toBe(false);
  });

  test('updates start runs only when asked for, and count thresholds hold back early ones', () => {
    const alert = sshAlert({ count: 3 });
    expect(trigger({}).matches(alert, 'updated')).toBe(false);
    expect(trigger({ on: ['created', 'updated'], min_count: 5 }).matches(alert, 'updated')).toBe(false);
    expect(trigger({ on: ['created', 'updated'], min_count: 5 }).matches({ ...alert, count: 5 }, 'updated')).toBe(true);
  });
});
