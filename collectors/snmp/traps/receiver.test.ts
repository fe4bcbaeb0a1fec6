import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createV3Session, SecurityLevel, TrapType } from 'net-snmp';
import { Metrics } from '../../../core/metrics';
import { AgencyResolver } from '../../../core/tenancy';
import { snmpTrapConfigSchema, type SnmpTrapConfig } from '../config';
import { runNetSnmpTool, snmptrap } from '../testing/peers';
import { RecordingSink, silentLogger } from '../testing/recording-sink';
import { desSupported } from '../usm';
import { createSnmpTrapReceiver, type SnmpTrapReceiver } from './receiver';

const TESTDATA = join(__dirname, 'testdata');
const MIBS = join(__dirname, '..', 'mib', 'testdata', 'mibs');

interface Harness {
  receiver: SnmpTrapReceiver;
  sink: RecordingSink;
  metrics: Metrics;
  port: number;
  target: string;
}

const running: SnmpTrapReceiver[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

const agencies = new AgencyResolver([
  { id: 'hanoi-dc', name: 'Hanoi data center', cidrs: ['192.0.2.0/24'] },
  { id: 'loopback-lab', name: 'Loopback lab', cidrs: ['127.0.0.0/8'] },
]);

async function start(overrides: Partial<SnmpTrapConfig> = {}, resolver = agencies): Promise<Harness> {
  const config = snmpTrapConfigSchema.parse({
    host: '127.0.0.1',
    port: 0,
    communities: ['public'],
    users: [
      { name: 'trapUser', authProtocol: 'sha', authKey: 'authpass123', privProtocol: 'aes', privKey: 'privpass123' },
      { name: 'blumenthal', authProtocol: 'sha', authKey: 'authpass123', privProtocol: 'aes256', privKey: 'privpass123' },
      { name: 'reeder', authProtocol: 'sha', authKey: 'authpass123', privProtocol: 'aes256c', privKey: 'privpass123' },
      { name: 'sha512', authProtocol: 'sha512', authKey: 'authpass123', privProtocol: 'aes', privKey: 'privpass123' },
      { name: 'desUser', authProtocol: 'sha', authKey: 'authpass123', privProtocol: 'des', privKey: 'privpass123' },
      { name: 'authOnly', authProtocol: 'md5', authKey: 'authpass123' },
    ],
    ...overrides,
  });
  const sink = new RecordingSink();
  const metrics = new Metrics({ defaultMetrics: false });
  const receiver = createSnmpTrapReceiver({ sink, agencies: resolver, metrics, logger: silentLogger }, config);
  await receiver.start();
  running.push(receiver);
  const { address, port } = receiver.address();
  return { receiver, sink, metrics, port, target: address.includes(':') ? `udp6:[${address}]:${port}` : `127.0.0.1:${port}` };
}

function stats(h: Harness) {
  return h.metrics.input('snmp/traps');
}

function sendRaw(port: number, payload: Buffer, host = '127.0.0.1'): Promise<void> {
  const s = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) =>
    s.send(payload, port, host, (err) => {
      s.close();
      if (err) reject(err);
      else resolve();
    }),
  );
}

describe('SNMP trap receiver with Net-SNMP snmptrap and snmpinform', () => {
  it('turns a v2c linkDown into an ECS event with named varbinds and the interface', async () => {
    const h = await start();
    await snmptrap([
      '-v2c', '-c', 'public', h.target, '', '1.3.6.1.6.3.1.1.5.3',
      '1.3.6.1.2.1.2.2.1.1.4', 'i', '4', '1.3.6.1.2.1.2.2.1.7.4', 'i', '1', '1.3.6.1.2.1.2.2.1.8.4', 'i', '2',
      '1.3.6.1.2.1.2.2.1.2.4', 's', 'GigabitEthernet0/4', '1.3.6.1.4.1.9.2.2.1.1.20.4', 's', 'Link down',
      '1.3.6.1.2.1.31.1.1.1.6.4', 'C', '12345678901234',
    ]);
    await h.sink.waitFor('the linkDown event', () => h.sink.events.length === 1);
    const e = h.sink.events[0];
    expect(e.event).toMatchObject({ kind: 'event', dataset: 'snmp.trap', module: 'snmp', action: 'linkDown', category: ['network'], type: ['end'] });
    expect(e.source).toEqual({ ip: '127.0.0.1' });
    expect(e.observer).toEqual({ ip: ['127.0.0.1'] });
    expect(e.organization).toEqual({ id: 'loopback-lab', name: 'Loopback lab' });
    expect(e.interface).toEqual({ id: '4', name: 'GigabitEthernet0/4' });
    expect(e.snmp).toMatchObject({
      version: '2c',
      pdu_type: 'trap',
      trap: {
        oid: '1.3.6.1.6.3.1.1.5.3',
        name: 'linkDown',
        mib: 'IF-MIB',
        varbinds: { ifIndex: 4, ifAdminStatus: 'up', ifOperStatus: 'down', ifDescr: 'GigabitEthernet0/4', locIfReason: 'Link down', ifHCInOctets: 12345678901234 },
      },
    });
    expect((e.snmp as { trap: { uptime_s: number } }).trap.uptime_s).toBeGreaterThan(0);
    expect(e.message).toBe('linkDown from 127.0.0.1: ifIndex.4=4, ifAdminStatus.4=up, ifOperStatus.4=down, ifDescr.4=GigabitEthernet0/4, locIfReason.4="Link down", ifHCInOctets.4=12345678901234');
    expect(JSON.stringify(e)).not.toContain('public');
    expect(stats(h)).toMatchObject({ received: 1, parsed: 1 });
  });

  it('acknowledges a v2c inform (snmpinform exits 0) and records it as an inform', async () => {
    const h = await start();
    const r = await runNetSnmpTool('snmpinform', ['-v2c', '-c', 'public', '-t', '2', '-r', '0', h.target, '', '1.3.6.1.6.3.1.1.5.4', '1.3.6.1.2.1.2.2.1.1.7', 'i', '7']);
    expect(r).toMatchObject({ code: 0 });
    expect(h.sink.events).toHaveLength(1);
    expect(h.sink.events[0].event).toMatchObject({ action: 'linkUp', type: ['start'] });
    expect(h.sink.events[0].snmp).toMatchObject({ version: '2c', pdu_type: 'inform' });
    expect(h.sink.events[0].interface).toEqual({ id: '7' });
  });

  it('gives v1 traps their SNMPv2 identity and takes the agent address from the PDU', async () => {
    const h = await start();
    await snmptrap(['-v1', '-c', 'public', h.target, '1.3.6.1.4.1.8072.2.3', '192.0.2.10', '6', '17', '', '1.3.6.1.2.1.2.2.1.1.4', 'i', '4']);
    await snmptrap(['-v1', '-c', 'public', h.target, '1.3.6.1.4.1.9.1.1208', '192.0.2.11', '2', '0', '', '1.3.6.1.2.1.2.2.1.1.9', 'i', '9']);
    await h.sink.waitFor('two v1 traps', () => h.sink.events.length === 2);
    const [enterprise, linkDown] = h.sink.events;
    expect(enterprise.event.action).toBe('netSnmp.2.3.0.17');
    expect(enterprise.snmp).toMatchObject({ version: '1', trap: { oid: '1.3.6.1.4.1.8072.2.3.0.17', enterprise: '1.3.6.1.4.1.8072.2.3', generic: 6, specific: 17 } });
    expect(enterprise.source).toEqual({ ip: '192.0.2.10' });
    expect(enterprise.log).toEqual({ source: { address: '127.0.0.1' } });
    // The sender (127.0.0.1) maps to an agency first; the agent address only when the sender maps to none.
    expect(enterprise.organization?.id).toBe('loopback-lab');
    expect(linkDown.event).toMatchObject({ action: 'linkDown', type: ['end'] });
    expect(linkDown.snmp).toMatchObject({ trap: { oid: '1.3.6.1.6.3.1.1.5.3', enterprise: '1.3.6.1.4.1.9.1.1208', generic: 2 } });
    expect(linkDown.interface).toEqual({ id: '9' });
  });

  it('maps a relayed trap to the agency of its agent address when the sender maps to none', async () => {
    const h = await start({}, new AgencyResolver([{ id: 'hanoi-dc', name: 'Hanoi data center', cidrs: ['192.0.2.0/24'] }]));
    await snmptrap(['-v1', '-c', 'public', h.target, '1.3.6.1.4.1.12356.101.1', '192.0.2.20', '0', '0', '']);
    await h.sink.waitFor('the coldStart', () => h.sink.events.length === 1);
    expect(h.sink.events[0].organization?.id).toBe('hanoi-dc');
    expect(h.sink.events[0].event).toMatchObject({ action: 'coldStart', category: ['network', 'host'], type: ['start'] });
  });

  it('accepts SNMPv3 authPriv traps and informs from configured users (SHA/AES, AES-256 both key extensions, SHA-512)', async () => {
    const h = await start();
    const v3 = (user: string, a: string, x: string): string[] => ['-v3', '-e', '0x8000000001020304', '-u', user, '-l', 'authPriv', '-a', a, '-A', 'authpass123', '-x', x, '-X', 'privpass123'];
    await snmptrap([...v3('trapUser', 'SHA', 'AES'), h.target, '', '1.3.6.1.6.3.1.1.5.3', '1.3.6.1.2.1.2.2.1.1.2', 'i', '2']);
    await snmptrap([...v3('blumenthal', 'SHA', 'AES-256'), h.target, '', '1.3.6.1.4.1.12356.101.2.0.302', '1.3.6.1.4.1.12356.100.1.1.1.0', 's', 'FG100F3G19000123']);
    await snmptrap([...v3('reeder', 'SHA', 'AES-256-C'), h.target, '', '1.3.6.1.4.1.9.9.43.2.0.1', '1.3.6.1.4.1.9.9.43.1.1.6.1.5.27', 'i', '3']);
    await snmptrap([...v3('sha512', 'SHA-512', 'AES'), h.target, '', '1.3.6.1.6.3.1.1.5.5']);
    await snmptrap(['-v3', '-e', '0x8000000001020304', '-u', 'authOnly', '-l', 'authNoPriv', '-a', 'MD5', '-A', 'authpass123', h.target, '', '1.3.6.1.6.3.1.1.5.2']);
    const inform = await runNetSnmpTool('snmpinform', [...v3('trapUser', 'SHA', 'AES'), '-t', '2', '-r', '0', h.target, '', '1.3.6.1.6.3.1.1.5.4', '1.3.6.1.2.1.2.2.1.1.2', 'i', '2']);
    expect(inform.code).toBe(0);
    await h.sink.waitFor('six v3 notifications', () => h.sink.events.length === 6);
    const byAction = Object.fromEntries(h.sink.events.map((e) => [e.event.action, e]));
    expect(byAction.linkDown.snmp).toMatchObject({ version: '3', user: 'trapUser', pdu_type: 'trap' });
    expect(byAction.linkDown.interface).toEqual({ id: '2' });
    expect(byAction.fgTrapVpnTunDown.snmp).toMatchObject({ user: 'blumenthal', trap: { mib: 'FORTINET-FORTIGATE-MIB', varbinds: { fnSysSerial: 'FG100F3G19000123' } } });
    expect(byAction.ciscoConfigManEvent.snmp).toMatchObject({ user: 'reeder', trap: { varbinds: { ccmHistoryEventConfigDestination: 'running' } } });
    expect(byAction.authenticationFailure.event).toMatchObject({ category: ['network', 'authentication'], outcome: 'failure' });
    expect(byAction.warmStart.snmp).toMatchObject({ user: 'authOnly' });
    expect(byAction.linkUp.snmp).toMatchObject({ user: 'trapUser', pdu_type: 'inform' });
    expect(stats(h).totalFailed()).toBe(0);
  });

  it('accepts AES-192 traps and informs under both key extensions (Net-SNMP AES-192 and AES-192-C), with MD5, SHA and SHA-256 keys', async () => {
    const aes192Users = [
      { name: 'b192', authProtocol: 'sha', authKey: 'authpass123', privProtocol: 'aes192', privKey: 'privpass192' },
      { name: 'r192', authProtocol: 'sha', authKey: 'authpass123', privProtocol: 'aes192c', privKey: 'privpass192' },
      // MD5 keys (16 bytes) need two extension rounds for 24 bytes, SHA-256 keys (32) none.
      { name: 'b192md5', authProtocol: 'md5', authKey: 'authpass123', privProtocol: 'aes192', privKey: 'privpass192' },
      { name: 'r192md5', authProtocol: 'md5', authKey: 'authpass123', privProtocol: 'aes192c', privKey: 'privpass192' },
      { name: 'b192sha256', authProtocol: 'sha256', authKey: 'authpass123', privProtocol: 'aes192', privKey: 'privpass192' },
    ] as const;
    const h = await start({ users: [...aes192Users] });
    const v3 = (user: string, a: string, x: string, X = 'privpass192'): string[] => ['-v3', '-e', '0x8000000001020304', '-u', user, '-l', 'authPriv', '-a', a, '-A', 'authpass123', '-x', x, '-X', X];
    const linkDown = (ifIndex: number): string[] => [h.target, '', '1.3.6.1.6.3.1.1.5.3', '1.3.6.1.2.1.2.2.1.1.' + ifIndex, 'i', String(ifIndex)];
    await snmptrap([...v3('b192', 'SHA', 'AES-192'), ...linkDown(1)]);
    await snmptrap([...v3('r192', 'SHA', 'AES-192-C'), ...linkDown(2)]);
    await snmptrap([...v3('b192md5', 'MD5', 'AES-192'), ...linkDown(3)]);
    await snmptrap([...v3('r192md5', 'MD5', 'AES-192-C'), ...linkDown(4)]);
    await snmptrap([...v3('b192sha256', 'SHA-256', 'AES-192'), ...linkDown(5)]);
    // An inform: the receiver's encrypted acknowledgement must decrypt at the sender too.
    const inform = await runNetSnmpTool('snmpinform', [...v3('r192', 'SHA', 'AES-192-C'), '-t', '2', '-r', '0', h.target, '', '1.3.6.1.6.3.1.1.5.4', '1.3.6.1.2.1.2.2.1.1.6', 'i', '6']);
    expect(inform.code).toBe(0);
    await h.sink.waitFor('six AES-192 notifications', () => h.sink.events.length === 6);
    expect(h.sink.events.map((e) => [e.snmp && (e.snmp as { user?: string }).user, e.event.action, e.interface?.id]).sort()).toEqual([
      ['b192', 'linkDown', '1'],
      ['b192md5', 'linkDown', '3'],
      ['b192sha256', 'linkDown', '5'],
      ['r192', 'linkDown', '2'],
      ['r192', 'linkUp', '6'],
      ['r192md5', 'linkDown', '4'],
    ]);
    // The other key extension, or another pass phrase, does not decrypt: the keys really differ.
    await snmptrap([...v3('b192', 'SHA', 'AES-192-C'), ...linkDown(7)]);
    await snmptrap([...v3('r192', 'SHA', 'AES-192', 'privpass193'), ...linkDown(8)]);
    await h.sink.waitFor('two refusals', () => stats(h).totalFailed() === 2);
    expect(Object.fromEntries(stats(h).failed)).toEqual({ decrypt_failed: 2 });
    expect(h.sink.events).toHaveLength(6);
  });

  it('handles DES users as far as the OpenSSL of this Node.js allows, and says so', async () => {
    const h = await start();
    await snmptrap(['-v3', '-e', '0x8000000001020304', '-u', 'desUser', '-l', 'authPriv', '-a', 'SHA', '-A', 'authpass123', '-x', 'DES', '-X', 'privpass123', h.target, '', '1.3.6.1.6.3.1.1.5.1']);
    await h.sink.waitFor('the DES trap accounted for', () => stats(h).received === 1);
    if (desSupported()) expect(h.sink.events.map((e) => e.snmp)).toEqual([expect.objectContaining({ user: 'desUser' })]);
    else expect(Object.fromEntries(stats(h).failed)).toEqual({ decrypt_failed: 1 });
  });

  it('refuses and counts wrong communities, unknown users, bad passwords, missing authentication and the empty v3 user', async () => {
    const h = await start();
    const emptyUser = createV3Session('127.0.0.1', { name: '', level: SecurityLevel.noAuthNoPriv }, { trapPort: h.port, engineID: '8000000001020304' });
    const noAuth = createV3Session('127.0.0.1', { name: 'authOnly', level: SecurityLevel.noAuthNoPriv }, { trapPort: h.port, engineID: '8000000001020304' });
    await new Promise<void>((resolve, reject) => emptyUser.trap(TrapType.LinkDown, (err) => (err ? reject(err) : resolve())));
    await new Promise<void>((resolve, reject) => noAuth.trap(TrapType.LinkDown, (err) => (err ? reject(err) : resolve())));
    emptyUser.close();
    noAuth.close();
    await snmptrap(['-v2c', '-c', 'private', h.target, '', '1.3.6.1.6.3.1.1.5.3']);
    await snmptrap(['-v3', '-e', '0x8000000001020304', '-u', 'intruder', '-l', 'authPriv', '-a', 'SHA', '-A', 'authpass123', '-x', 'AES', '-X', 'privpass123', h.target, '', '1.3.6.1.6.3.1.1.5.3']);
    await snmptrap(['-v3', '-e', '0x8000000001020304', '-u', 'trapUser', '-l', 'authPriv', '-a', 'SHA', '-A', 'wrongpass99', '-x', 'AES', '-X', 'privpass123', h.target, '', '1.3.6.1.6.3.1.1.5.3']);
    await h.sink.waitFor('five refusals', () => stats(h).totalFailed() === 5);
    expect(Object.fromEntries(stats(h).failed)).toEqual({ unknown_community: 1, unknown_user: 2, auth_failed: 1, security_level: 1 });
    expect(h.sink.events).toHaveLength(0);
    expect(stats(h)).toMatchObject({ received: 5, parsed: 0 });
  });

  it('refuses all v1/v2c when no community is configured, and reports an unacknowledged inform as failed to the sender', async () => {
    const h = await start({ communities: [] });
    const r = await runNetSnmpTool('snmpinform', ['-v2c', '-c', 'public', '-t', '0.5', '-r', '0', h.target, '', '1.3.6.1.6.3.1.1.5.4']);
    expect(r.code).not.toBe(0);
    expect(Object.fromEntries(stats(h).failed)).toEqual({ unknown_community: 1 });
  });

  it('does not acknowledge an inform it cannot queue, and counts the drop', async () => {
    const h = await start();
    h.sink.full = true;
    const refused = await runNetSnmpTool('snmpinform', ['-v2c', '-c', 'public', '-t', '0.5', '-r', '0', h.target, '', '1.3.6.1.6.3.1.1.5.4']);
    expect(refused.code).not.toBe(0);
    expect(Object.fromEntries(stats(h).dropped)).toEqual({ queue_full: 1 });
    h.sink.full = false;
    const accepted = await runNetSnmpTool('snmpinform', ['-v2c', '-c', 'public', '-t', '2', '-r', '0', h.target, '', '1.3.6.1.6.3.1.1.5.4']);
    expect(accepted.code).toBe(0);
    expect(h.sink.events).toHaveLength(1);
  });

  it('receives IPv4 and IPv6 on the dual-stack default host', async () => {
    const h = await start({ host: '::' });
    await snmptrap(['-v2c', '-c', 'public', `udp6:[::1]:${h.port}`, '', '1.3.6.1.6.3.1.1.5.1']);
    await snmptrap(['-v2c', '-c', 'public', `127.0.0.1:${h.port}`, '', '1.3.6.1.6.3.1.1.5.2']);
    await h.sink.waitFor('both traps', () => h.sink.events.length === 2);
    const sources = h.sink.events.map((e) => e.source?.ip).sort();
    expect(sources).toEqual(['127.0.0.1', '::1']);
  });

  it('names traps and varbinds from MIB files in mibDirs', async () => {
    const h = await start({ mibDirs: [MIBS] });
    await snmptrap(['-v2c', '-c', 'public', h.target, '', '1.3.6.1.4.1.8072.2.3.0.1', '1.3.6.1.4.1.8072.2.3.2.1.0', 'i', '30', '1.3.6.1.4.1.8072.2.3.2.2.0', 's', 'core-sw-01']);
    await snmptrap(['-v1', '-c', 'public', h.target, '1.3.6.1.4.1.9', '192.0.2.1', '6', '0', '', '1.3.6.1.2.1.1.3.0', 't', '12345']);
    await h.sink.waitFor('two traps', () => h.sink.events.length === 2);
    const [heartbeat, reload] = h.sink.events;
    expect(heartbeat.event.action).toBe('netSnmpExampleHeartbeatNotification');
    expect(heartbeat.snmp).toMatchObject({ trap: { mib: 'NET-SNMP-EXAMPLES-MIB', varbinds: { netSnmpExampleHeartbeatRate: 30, netSnmpExampleHeartbeatName: 'core-sw-01' } } });
    expect(reload.event).toMatchObject({ action: 'reload', category: ['network', 'host'], type: ['start'] });
  });

  it('counts garbage and truncated datagrams as malformed and keeps receiving', async () => {
    const h = await start();
    const captured = ['v2c-linkdown.bin', 'v1-enterprise.bin', 'v2c-cisco-config.bin'].map((f) => readFileSync(join(TESTDATA, f)));
    await sendRaw(h.port, Buffer.from('<34>Oct 11 22:14:15 mymachine su: not snmp'));
    await sendRaw(h.port, Buffer.from([0x30, 0x82, 0xff, 0xff, 0x02, 0x01]));
    for (const c of captured) await sendRaw(h.port, c.subarray(0, c.length - 7));
    await h.sink.waitFor('five malformed datagrams', () => stats(h).totalFailed() === 5);
    for (const c of captured) await sendRaw(h.port, c);
    await h.sink.waitFor('the three intact captures', () => h.sink.events.length === 3);
    expect(h.sink.events.map((e) => e.event.action)).toEqual(['linkDown', 'netSnmp.2.3.0.17', 'ciscoConfigManEvent']);
    expect(Object.fromEntries(stats(h).failed)).toEqual({ malformed: 5 });
  });

  it('survives thousands of mutated real datagrams', async () => {
    const h = await start();
    const seeds = ['v2c-linkdown.bin', 'v1-enterprise.bin', 'v3-authpriv-sha-aes.bin', 'v2c-cisco-config.bin'].map((f) => readFileSync(join(TESTDATA, f)));
    let state = 0x9e3779b9;
    const rand = (n: number): number => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) % n;
    };
    const total = 3000;
    for (let i = 0; i < total; i++) {
      const seed = seeds[i % seeds.length];
      const m = Buffer.from(seed);
      const flips = 1 + rand(4);
      for (let f = 0; f < flips; f++) m[rand(m.length)] = rand(256);
      await sendRaw(h.port, i % 7 === 0 ? m.subarray(0, rand(m.length)) : m);
    }
    await h.sink.waitFor('every mutated datagram accounted for', () => stats(h).received >= total - 50, 20_000);
    await snmptrap(['-v2c', '-c', 'public', h.target, '', '1.3.6.1.6.3.1.1.5.1']);
    await h.sink.waitFor('a coldStart after the storm', () => h.sink.events.some((e) => e.event.action === 'coldStart'));
    expect(stats(h).failed.get('handler_error') ?? 0).toBe(0);
  }, 60_000);
});
