import { correlationConfigSchema } from './config';

describe('correlation config', () => {
  it('defaults every key, so no section at all runs the built-in pack', () => {
    expect(correlationConfigSchema.parse(undefined)).toEqual({
      enabled: true,
      sigma: { paths: [], includeBuiltin: true, placeholders: {}, unresolvedPlaceholders: 'empty', disabled: [], watch: true, reloadDebounceMs: 500 },
      dedupWindowMinutes: 10,
      dedupFields: ['source.ip', 'user.name', 'host.name'],
      maxSampleEvents: 10,
      maxEventIds: 100,
    });
    expect(correlationConfigSchema.parse({ sigma: { paths: ['/opt/sigma/rules'] } }).sigma.watch).toBe(true);
  });

  it('accepts rule folders as paths or with a ruleset name, and placeholder lists', () => {
    const c = correlationConfigSchema.parse({
      sigma: { paths: ['/opt/sigma/rules', { path: '/srv/tuning', ruleset: 'hanoi-tuning' }], placeholders: { admin_users: ['root', 'admin'] } },
    });
    expect(c.sigma.paths).toEqual(['/opt/sigma/rules', { path: '/srv/tuning', ruleset: 'hanoi-tuning' }]);
    expect(c.sigma.placeholders).toEqual({ admin_users: ['root', 'admin'] });
  });

  it.each([
    [{ sigma: { pathz: [] } }, 'sigma'],
    [{ dedupWindow: 5 }, ''],
    [{ dedupWindowMinutes: 0 }, 'dedupWindowMinutes'],
    [{ sigma: { paths: [{ path: '/x', ruleset: 'has space' }] } }, 'sigma.paths.0.ruleset'],
    [{ dedupFields: ['source ip'] }, 'dedupFields.0'],
    [{ maxSampleEvents: 1000 }, 'maxSampleEvents'],
  ])('rejects %j naming the key', (raw, path) => {
    const result = correlationConfigSchema.safeParse(raw);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].path.join('.')).toBe(path);
  });
});
