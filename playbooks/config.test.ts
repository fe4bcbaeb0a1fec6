import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { playbooksConfig, playbooksConfigSchema, smtpConfigSchema, socEmailSchema } from './config';
import { formatDuration, parseDuration } from './duration';

describe('playbooks configuration', () => {
  test('defaults: email off, blocking in dry-run, durations in milliseconds', () => {
    const c = playbooksConfig({});
    expect(c.blockIp.mode).toBe('dry_run');
    expect(c.blockIp.defaultDuration).toBe(3_600_000);
    expect(c.defaultStepTimeout).toBe(60_000);
    expect(c.blockIp.nftables).toMatchObject({ family: 'inet', table: 'socnoc', set4: 'blocklist', set6: 'blocklist6', netns: '' });
    expect(smtpConfigSchema.parse(undefined)).toMatchObject({ host: '', port: 587, secure: false });
    expect(socEmailSchema.parse(undefined)).toEqual([]);
    expect(playbooksConfigSchema.parse(undefined).concurrency).toBe(4);
  });

  test('durations as text or seconds', () => {
    expect(playbooksConfig({ defaultStepTimeout: '5m', blockIp: { defaultDuration: 90 } })).toMatchObject({ defaultStepTimeout: 300_000, blockIp: { defaultDuration: 90_000 } });
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('soon')).toBeUndefined();
    expect(formatDuration(86_400_000)).toBe('1d');
    expect(formatDuration(5_400_000)).toBe('90m');
  });

  test('unknown keys and bad values are rejected with their path', () => {
    const bad = playbooksConfigSchema.safeParse({ blockIp: { mode: 'yolo' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].path).toEqual(['blockIp', 'mode']);
    expect(smtpConfigSchema.safeParse({ hots: 'x' }).success).toBe(false);
    expect(socEmailSchema.safeParse(['not-an-address']).success).toBe(false);
    expect(playbooksConfigSchema.safeParse({ defaultStepTimeout: 'forever' }).error?.issues[0].message).toMatch(/"forever" is not a duration/);
    expect(playbooksConfigSchema.safeParse({ blockIp: { nftables: { ssh: { options: ['ProxyCommand sh -c x'] } } } }).success).toBe(false);
  });

  test('docs/playbooks.md documents every key', () => {
    const doc = readFileSync(join(__dirname, '..', 'docs', 'playbooks.md'), 'utf8');
    const schema = z.object({ smtp: smtpConfigSchema, soc_email: socEmailSchema, playbooks: playbooksConfigSchema });
    type Js = { properties?: Record<string, Js>; anyOf?: Js[] };
    const paths: string[] = [];
    const walk = (s: Js, prefix: string): void => {
      for (const alt of s.anyOf ?? []) walk(alt, prefix);
      for (const [k, child] of Object.entries(s.properties ?? {})) {
        const p = prefix ? `${prefix}.${k}` : k;
        if (child.properties === undefined) paths.push(p);
        walk(child, p);
      }
    };
    walk(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Js, '');
    expect(paths.length).toBeGreaterThan(40);
    expect(paths.filter((p) => !doc.includes(`| \`${p}\` |`))).toEqual([]);
  });
});
