import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../core/config';
import { checkSnmpConfig, devicesConfigSchema, snmpConfigSchema } from './config';

describe('snmp: section', () => {
  it('defaults everything: traps on [::]:10162 with community public, poller with no devices', () => {
    const c = snmpConfigSchema.parse(undefined);
    expect(c.traps).toMatchObject({ enabled: true, host: '::', port: 10162, communities: ['public'], users: [], mibDirs: [] });
    expect(c.poller).toMatchObject({ enabled: true, concurrency: 64, downConcurrency: 8, timeoutMs: 2000, retries: 1, defaultIntervalSeconds: 60, downAfterMisses: 3 });
    expect(snmpConfigSchema.parse({ traps: { port: 162 } }).traps).toMatchObject({ port: 162, host: '::', communities: ['public'] });
  });

  it('reads v3 trap users from YAML and refuses incomplete or unsupported ones', () => {
    const yaml = `
traps:
  communities: [noc-traps]
  users:
    - { name: trapUser, authProtocol: sha256, authKey: authpass123, privProtocol: aes256c, privKey: privpass123 }
    - { name: monitor, authProtocol: sha, authKey: authpass123 }
  engineId: "0x80001f8880c71100000000000000"
  mibDirs: [/etc/socnoc/mibs]
`;
    const c = snmpConfigSchema.parse(parseYaml(yaml));
    expect(c.traps.users).toHaveLength(2);
    expect(c.traps.communities).toEqual(['noc-traps']);
    const issues = (raw: unknown): string[] => {
      const r = snmpConfigSchema.safeParse(raw);
      return r.success ? [] : r.error.issues.map((i) => i.message);
    };
    expect(issues({ traps: { users: [{ name: 'u', authProtocol: 'sha', authKey: 'authpass123', privProtocol: 'aes192', privKey: 'privpass123' }] } })).toEqual([]);
    expect(issues({ traps: { users: [{ name: 'u', authProtocol: 'sha', authKey: 'authpass123', privProtocol: 'aes192c', privKey: 'privpass123' }] } })).toEqual([]);
    expect(issues({ traps: { users: [{ name: 'u', authProtocol: 'sha', authKey: 'authpass123', privProtocol: '3des', privKey: 'privpass123' }] } })[0]).toMatch(
      /privacy protocol must be one of des, aes, aes128, aes192, aes192c, aes256, aes256c/,
    );
    expect(issues({ traps: { users: [{ name: 'u', authProtocol: 'sha', authKey: 'short' }] } })[0]).toMatch(/at least 8 characters/);
    expect(issues({ traps: { users: [{ name: 'u', privProtocol: 'aes', privKey: 'privpass123' }] } })).toEqual(
      expect.arrayContaining(['user u: privacy needs authentication (USM has no noAuthPriv)']),
    );
    expect(issues({ traps: { users: [{ name: 'u', authKey: 'authpass123' }] } })).toEqual(['user u: set authProtocol and authKey together']);
    expect(issues({ traps: { users: [{ name: 'u' }, { name: 'u' }] } })).toEqual(['duplicate v3 user "u"']);
    expect(issues({ traps: { engineId: 'xyz' } })).toEqual(['engineId must be 5 to 32 bytes of hex']);
    expect(issues({ traps: { port: 70000 } })).toHaveLength(1);
    expect(issues({ traps: { bogus: 1 } })).toHaveLength(1);
  });
});

describe('devices: list', () => {
  const yaml = `
- name: core-sw-01
  address: 10.10.0.1
  agency: metronet
  interval_s: 30
  tags: [core]
  snmp: { version: 2c, community: s3cret }
- name: agency-fw-07
  address: "2001:db8::7"
  port: 1161
  parent: core-sw-01
  snmp:
    version: 3
    user: socnoc
    auth: { protocol: sha256, password: authpass123 }
    priv: { protocol: aes, password: privpass123 }
- name: old-router
  address: old-router.agency.local
  snmp: { version: 1, community: public }
`;

  it('reads the issue 4 contract shape, with YAML numbers for versions 1 and 3', () => {
    const devices = devicesConfigSchema.parse(parseYaml(yaml));
    expect(devices.map((d) => [d.name, d.snmp.version, d.port])).toEqual([
      ['core-sw-01', '2c', 161],
      ['agency-fw-07', '3', 1161],
      ['old-router', '1', 161],
    ]);
    expect(devices[1].snmp).toEqual({ version: '3', user: 'socnoc', auth: { protocol: 'sha256', password: 'authpass123' }, priv: { protocol: 'aes', password: 'privpass123' }, context: '' });
    expect(devicesConfigSchema.parse(undefined)).toEqual([]);
    expect(devicesConfigSchema.safeParse([{ name: 'x', address: 'a', snmp: { version: 3, user: 'u', priv: { protocol: 'aes', password: 'privpass123' } } }]).success).toBe(false);
    expect(devicesConfigSchema.safeParse([{ name: 'x', address: 'a', snmp: { version: '2c' } }]).success).toBe(false);
  });

  it('checks names, parents, loops and agencies across sections', () => {
    const snmp = snmpConfigSchema.parse({ traps: { agency: 'nowhere' } });
    const devices = devicesConfigSchema.parse([
      ...parseYaml(yaml),
      { name: 'core-sw-01', address: '10.0.0.9', snmp: { version: '2c', community: 'c' } },
      { name: 'a', address: '10.0.0.1', parent: 'b', snmp: { version: '2c', community: 'c' } },
      { name: 'b', address: '10.0.0.2', parent: 'a', snmp: { version: '2c', community: 'c' } },
      { name: 'c', address: '10.0.0.3', parent: 'ghost', agency: 'ghost-agency', snmp: { version: '2c', community: 'c' } },
    ]);
    let message = '';
    try {
      checkSnmpConfig(snmp, devices, new Set(['metronet']), 'socnoc.yaml');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'invalid configuration in socnoc.yaml:',
      '  snmp.traps.agency: unknown agency "nowhere"',
      '  devices: duplicate device name "core-sw-01"',
      '  devices.c.agency: unknown agency "ghost-agency"',
      '  devices.a.parent: parent chain loops through "a"',
      '  devices.b.parent: parent chain loops through "b"',
      '  devices.c.parent: unknown device "ghost"',
    ]);
    expect(() => checkSnmpConfig(snmpConfigSchema.parse({}), devicesConfigSchema.parse(parseYaml(yaml)), new Set(['metronet']), 'x')).not.toThrow();
  });
});
