import { checkNetflowConfig, DEFAULT_FLOW_LISTENERS, netflowConfigSchema } from './config';

describe('netflow configuration', () => {
  test('no section at all: the standard ports, 8 MiB receive buffers, raw flows off', () => {
    const c = netflowConfigSchema.parse(undefined);
    expect(c.enabled).toBe(true);
    expect(c.listeners.map((l) => `${l.name} ${l.transport} ${l.host} ${l.port}`)).toEqual([
      'udp-2055 udp :: 2055',
      'udp-4739 udp :: 4739',
      'tcp-4739 tcp :: 4739',
      'udp-6343 udp :: 6343',
    ]);
    expect(c.udpReceiveBufferBytes).toBe(8 * 1024 * 1024);
    expect(c.templateTimeoutSeconds).toBe(5400);
    expect(c.rawFlows).toEqual({ enabled: false, retentionDays: 7 });
    expect(c.internalNetworks).toEqual(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7']);
    expect(checkNetflowConfig(c, new Set())).toEqual([]);
    expect(c.toCorrelation).toBe(true);
    expect(c.aggregate).toMatchObject({ enabled: true, retentionDays: 90, maxKeysPerMinute: 200_000, maxKeysPerHour: 500_000, graceSeconds: 60, maxLatenessSeconds: 3600 });
    expect(c.aggregate.servicePorts).toContain(3389);
    expect(c.summary).toEqual({ enabled: true, topN: 20, maxTracked: 50_000, maxDistinct: 1024, timezone: 'Asia/Ho_Chi_Minh' });
    expect(c.geoip).toEqual({ enabled: true, countryDatabase: '', asnDatabase: '', cacheSize: 65_536 });
    expect(c.correlation).toMatchObject({ flows: 'matching', udpPorts: [161, 162], anyPorts: [853], maxProbePackets: 3, minBytes: 1_000_000 });
    expect(c.correlation.tcpPorts).toEqual(expect.arrayContaining([23, 445, 3389, 4444, 31337]));
    expect(c.baseline.hourly).toEqual({ enabled: true, halfLifeDays: 7, warmupDays: 3, maxKeys: 20_000 });
  });

  test('correlation selection and hourly baselines: partial sections keep their defaults, unknown keys are refused', () => {
    const c = netflowConfigSchema.parse({ correlation: { flows: 'all' }, baseline: { hourly: { warmupDays: 7 } } });
    expect(c.correlation.flows).toBe('all');
    expect(c.correlation.udpPorts).toEqual([161, 162]);
    expect(c.baseline.hourly).toMatchObject({ enabled: true, warmupDays: 7, halfLifeDays: 7 });
    expect(c.baseline.warmupMinutes).toBe(120);
    expect(() => netflowConfigSchema.parse({ correlation: { flows: 'some' } })).toThrow();
    expect(() => netflowConfigSchema.parse({ correlation: { ports: [22] } })).toThrow();
    expect(() => netflowConfigSchema.parse({ baseline: { hourly: { halfLifeDays: 0 } } })).toThrow();
  });

  test('partial sections keep the other defaults; a listener host defaults to ::', () => {
    const c = netflowConfigSchema.parse({ listeners: [{ name: 'edge', transport: 'udp', port: 9995, agency: 'so-yte' }], rawFlows: { enabled: true } });
    expect(c.listeners).toEqual([{ name: 'edge', transport: 'udp', host: '::', port: 9995, agency: 'so-yte' }]);
    expect(c.rawFlows).toEqual({ enabled: true, retentionDays: 7 });
    expect(c.maxConnections).toBe(1000);
  });

  test.each([
    [{ listners: [] }, /Unrecognized key/],
    [{ listeners: [{ name: 'x', transport: 'sctp', port: 1 }] }, /transport/],
    [{ listeners: [{ name: 'x', transport: 'udp', port: 70000 }] }, /port/],
    [{ listeners: [{ name: 'has space', transport: 'udp', port: 1 }] }, /listener name/],
    [{ internalNetworks: ['10.0.0.0/33'] }, /not an IPv4 or IPv6 CIDR/],
    [{ rawFlows: { enabled: true, keep: 3 } }, /Unrecognized key/],
    [{ udpReceiveBufferBytes: 0 }, /"path":\["udpReceiveBufferBytes"\]/],
    [{ aggregate: { maxLatenessSeconds: 90_000 } }, /maxLatenessSeconds/],
    [{ aggregate: { servicePorts: [70_000] } }, /servicePorts/],
    [{ geoip: { asn: 'x.mmdb' } }, /Unrecognized key/],
    [{ summary: { timezone: 'Asia/Saigon City' } }, /not an IANA timezone/],
  ])('rejects %j', (raw, message) => {
    const r = netflowConfigSchema.safeParse(raw);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(message);
  });

  test('cross-checks: duplicate names, one socket twice, unknown agency', () => {
    const c = netflowConfigSchema.parse({
      listeners: [
        ...DEFAULT_FLOW_LISTENERS,
        { name: 'udp-2055', transport: 'udp', port: 9996 },
        { name: 'again', transport: 'udp', port: 4739 },
        { name: 'tcp-too', transport: 'tcp', port: 4739, host: '127.0.0.1' },
        { name: 'agency', transport: 'udp', port: 9997, agency: 'nobody' },
      ],
    });
    expect(checkNetflowConfig(c, new Set(['so-yte']))).toEqual([
      'netflow.listeners: duplicate listener name "udp-2055"',
      'netflow.listeners.again: udp :: port 4739 is already used by another listener',
      'netflow.listeners.agency.agency: unknown agency "nobody"',
    ]);
  });
});
