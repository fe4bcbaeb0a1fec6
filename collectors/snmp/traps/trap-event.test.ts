import { builtinOidNames } from '../mib';
import { SnmpType } from '../values';
import { buildTrapEvent, trapAgentAddress, trapIdentity } from './trap-event';
import { readTrapMessage, type DecodedTrap } from './trap-pdu';

const names = builtinOidNames();
const ctx = { receivedAt: Date.UTC(2025, 10, 27, 2, 4, 5), organization: { id: 'hanoi-dc', name: 'Hanoi data center' } };

/** A v2c trap as net-snmp's receiver hands it over: sysUpTime.0 and snmpTrapOID.0 first (RFC 3416 §4.2.6). */
function v2c(trapOid: string, varbinds: DecodedTrap['varbinds'], sender = '10.20.0.1'): DecodedTrap {
  return {
    version: '2c',
    pduType: 'trap',
    sender: { address: sender, port: 51515 },
    community: 'public',
    varbinds: [
      { oid: '1.3.6.1.2.1.1.3.0', type: SnmpType.TimeTicks, value: 123456789 },
      { oid: '1.3.6.1.6.3.1.1.4.1.0', type: SnmpType.OID, value: trapOid },
      ...varbinds,
    ],
  };
}

describe('trap identity (RFC 3584 §3.1)', () => {
  it('maps v1 generic traps to snmpTraps and enterprise traps to enterprise.0.specific', () => {
    const v1 = (generic: number, specific: number): DecodedTrap => ({
      version: '1',
      pduType: 'trap',
      sender: { address: '10.0.0.1', port: 162 },
      v1: { enterprise: '1.3.6.1.4.1.9.1.516', agentAddr: '10.0.0.1', generic, specific, upTime: 100 },
      varbinds: [],
    });
    expect(trapIdentity(v1(0, 0))).toEqual({ oid: '1.3.6.1.6.3.1.1.5.1', enterprise: '1.3.6.1.4.1.9.1.516' });
    expect(trapIdentity(v1(4, 0))?.oid).toBe('1.3.6.1.6.3.1.1.5.5');
    expect(trapIdentity(v1(6, 1))?.oid).toBe('1.3.6.1.4.1.9.1.516.0.1');
  });

  it('reads snmpTrapOID.0 and snmpTrapEnterprise.0 from v2 varbinds', () => {
    const t = v2c('1.3.6.1.6.3.1.1.5.3', [{ oid: '1.3.6.1.6.3.1.1.4.3.0', type: SnmpType.OID, value: '1.3.6.1.4.1.9' }]);
    expect(trapIdentity(t)).toEqual({ oid: '1.3.6.1.6.3.1.1.5.3', enterprise: '1.3.6.1.4.1.9' });
    expect(trapIdentity({ ...t, varbinds: [] })).toBeUndefined();
  });

  it('takes the agent address from agent-addr, then snmpTrapAddress.0, then the sender', () => {
    const proxied = v2c('1.3.6.1.6.3.1.1.5.1', [{ oid: '1.3.6.1.6.3.18.1.3.0', type: SnmpType.IpAddress, value: '172.16.5.9' }]);
    expect(trapAgentAddress(proxied)).toBe('172.16.5.9');
    expect(trapAgentAddress(v2c('1.3.6.1.6.3.1.1.5.1', []))).toBe('10.20.0.1');
    const unknownAgent: DecodedTrap = {
      version: '1',
      pduType: 'trap',
      sender: { address: '10.0.0.9', port: 162 },
      v1: { enterprise: '1.3.6.1.4.1.9', agentAddr: '0.0.0.0', generic: 0, specific: 0, upTime: 1 },
      varbinds: [],
    };
    expect(trapAgentAddress(unknownAgent)).toBe('10.0.0.9');
  });
});

describe('trap → ECS event', () => {
  it('Cisco IOS linkDown: enum labels, interface fields, message with instances', () => {
    const e = buildTrapEvent(
      v2c('1.3.6.1.6.3.1.1.5.3', [
        { oid: '1.3.6.1.2.1.2.2.1.1.10101', type: SnmpType.Integer, value: 10101 },
        { oid: '1.3.6.1.2.1.2.2.1.2.10101', type: SnmpType.OctetString, value: Buffer.from('GigabitEthernet1/0/1') },
        { oid: '1.3.6.1.2.1.2.2.1.3.10101', type: SnmpType.Integer, value: 6 },
        { oid: '1.3.6.1.4.1.9.2.2.1.1.20.10101', type: SnmpType.OctetString, value: Buffer.from('administratively down') },
        { oid: '1.3.6.1.2.1.31.1.1.1.18.10101', type: SnmpType.OctetString, value: Buffer.from('uplink to dist-sw-2') },
      ]),
      names,
      ctx,
    );
    expect(e['@timestamp']).toBe('2025-11-27T02:04:05.000Z');
    expect(e.event).toMatchObject({ kind: 'event', dataset: 'snmp.trap', action: 'linkDown', category: ['network'], type: ['end'], created: '2025-11-27T02:04:05.000Z' });
    expect(e.interface).toEqual({ id: '10101', name: 'GigabitEthernet1/0/1', alias: 'uplink to dist-sw-2' });
    expect(e.organization).toEqual({ id: 'hanoi-dc', name: 'Hanoi data center' });
    expect(e.snmp).toEqual({
      version: '2c',
      pdu_type: 'trap',
      trap: {
        oid: '1.3.6.1.6.3.1.1.5.3',
        name: 'linkDown',
        mib: 'IF-MIB',
        uptime_s: 1234567.89,
        varbinds: { ifIndex: 10101, ifDescr: 'GigabitEthernet1/0/1', ifType: 'ethernetCsmacd', locIfReason: 'administratively down', ifAlias: 'uplink to dist-sw-2' },
      },
    });
    expect(e.message).toBe(
      'linkDown from 10.20.0.1: ifIndex.10101=10101, ifDescr.10101=GigabitEthernet1/0/1, ifType.10101=ethernetCsmacd, locIfReason.10101="administratively down", ifAlias.10101="uplink to dist-sw-2"',
    );
  });

  it('FortiGate VPN tunnel down with serial and sysName: host and observer name from sysName.0', () => {
    const e = buildTrapEvent(
      v2c('1.3.6.1.4.1.12356.101.2.0.302', [
        { oid: '1.3.6.1.4.1.12356.100.1.1.1.0', type: SnmpType.OctetString, value: Buffer.from('FG100FTK20012345') },
        { oid: '1.3.6.1.2.1.1.5.0', type: SnmpType.OctetString, value: Buffer.from('FGT-HN-EDGE-01') },
      ]),
      names,
      ctx,
    );
    expect(e.event.action).toBe('fgTrapVpnTunDown');
    expect(e.host).toEqual({ name: 'FGT-HN-EDGE-01', hostname: 'FGT-HN-EDGE-01' });
    expect(e.observer).toEqual({ ip: ['10.20.0.1'], hostname: 'FGT-HN-EDGE-01' });
    expect((e.snmp as { trap: unknown }).trap).toMatchObject({ mib: 'FORTINET-FORTIGATE-MIB', varbinds: { fnSysSerial: 'FG100FTK20012345', sysName: 'FGT-HN-EDGE-01' } });
  });

  it('Cisco syslog-as-trap: severity label and text', () => {
    const e = buildTrapEvent(
      v2c('1.3.6.1.4.1.9.9.41.2.0.1', [
        { oid: '1.3.6.1.4.1.9.9.41.1.2.3.1.2.1804', type: SnmpType.OctetString, value: Buffer.from('SYS') },
        { oid: '1.3.6.1.4.1.9.9.41.1.2.3.1.3.1804', type: SnmpType.Integer, value: 6 },
        { oid: '1.3.6.1.4.1.9.9.41.1.2.3.1.4.1804', type: SnmpType.OctetString, value: Buffer.from('CONFIG_I') },
        { oid: '1.3.6.1.4.1.9.9.41.1.2.3.1.5.1804', type: SnmpType.OctetString, value: Buffer.from('Configured from console by admin on vty0 (10.1.1.5)') },
        { oid: '1.3.6.1.4.1.9.9.41.1.2.3.1.6.1804', type: SnmpType.TimeTicks, value: 123450000 },
      ]),
      names,
      ctx,
    );
    expect(e.event.action).toBe('clogMessageGenerated');
    expect((e.snmp as { trap: { varbinds: unknown } }).trap.varbinds).toEqual({
      clogHistFacility: 'SYS',
      clogHistSeverity: 'notice',
      clogHistMsgName: 'CONFIG_I',
      clogHistMsgText: 'Configured from console by admin on vty0 (10.1.1.5)',
      clogHistTimestamp: 123450000,
    });
    expect(e.interface).toBeUndefined();
  });

  it('unknown enterprise traps keep numeric OIDs; binary strings become hex; OID values are named; repeated objects keep instances', () => {
    const e = buildTrapEvent(
      v2c('1.3.6.1.4.1.99999.0.7', [
        { oid: '1.3.6.1.4.1.99999.1.1.0', type: SnmpType.OctetString, value: Buffer.from([0x00, 0x1b, 0x54, 0xaa, 0x10, 0xff]) },
        { oid: '1.3.6.1.2.1.1.2.0', type: SnmpType.OID, value: '1.3.6.1.4.1.8072.3.2.10' },
        { oid: '1.3.6.1.2.1.2.2.1.8.3', type: SnmpType.Integer, value: 2 },
        { oid: '1.3.6.1.2.1.2.2.1.8.4', type: SnmpType.Integer, value: 1 },
        { oid: '1.3.6.1.2.1.31.1.1.1.10.3', type: SnmpType.Counter64, value: Buffer.from('ffffffffffffffff', 'hex') },
        { oid: '1.3.6.1.2.1.2.2.1.7.9', type: SnmpType.Integer, value: 99 },
      ]),
      names,
      ctx,
    );
    expect(e.event).toMatchObject({ action: 'enterprises.99999.0.7', category: ['network'], type: ['info'] });
    expect((e.snmp as { trap: unknown }).trap).toEqual({
      oid: '1.3.6.1.4.1.99999.0.7',
      name: 'enterprises.99999.0.7',
      uptime_s: 1234567.89,
      varbinds: {
        '1.3.6.1.4.1.99999.1.1.0': '00:1b:54:aa:10:ff',
        sysObjectID: 'linux',
        ifOperStatus: 'down',
        'ifOperStatus.4': 'up',
        ifHCOutOctets: '18446744073709551615',
        ifAdminStatus: 99,
      },
    });
    expect(e.interface).toEqual({ id: '3' });
  });

  it('a trap without snmpTrapOID.0 still becomes an event', () => {
    const t = v2c('x', []);
    t.varbinds = [{ oid: '1.3.6.1.2.1.1.5.0', type: SnmpType.OctetString, value: Buffer.from('sw1') }];
    const e = buildTrapEvent(t, names, ctx);
    expect(e.event.action).toBe('unknown');
    expect(e.message).toBe('unknown from 10.20.0.1: sysName.0=sw1');
  });
});

describe('reading net-snmp callback data', () => {
  it('accepts what the receiver produces and rejects odd shapes', () => {
    const ok = readTrapMessage({
      pdu: { type: 167, id: 1, varbinds: [{ oid: '1.3.6.1.2.1.1.3.0', type: 67, value: 5 }], scoped: true, user: 'trapUser', contextName: '' },
      rinfo: { address: '::ffff:10.1.2.3', family: 'IPv6', port: 40000, size: 100 },
    });
    expect(ok).toEqual({ version: '3', pduType: 'trap', sender: { address: '10.1.2.3', port: 40000 }, user: 'trapUser', varbinds: [{ oid: '1.3.6.1.2.1.1.3.0', type: 67, value: 5 }] });
    expect(readTrapMessage({ pdu: { type: 166, varbinds: [], scoped: false, community: 'c' }, rinfo: { address: '10.0.0.1', port: 1 } })).toMatchObject({ version: '2c', pduType: 'inform', community: 'c' });
    expect(readTrapMessage(null)).toBe('callback data without pdu and rinfo');
    expect(readTrapMessage({ pdu: { type: 162, varbinds: [] }, rinfo: { address: '10.0.0.1', port: 1 } })).toBe('unexpected PDU type 162');
    expect(readTrapMessage({ pdu: { type: 167, varbinds: [{ oid: 5 }] }, rinfo: { address: '10.0.0.1', port: 1 } })).toBe('malformed varbind');
    expect(readTrapMessage({ pdu: { type: 164, varbinds: [] }, rinfo: { address: '10.0.0.1', port: 1 } })).toMatch(/^SNMPv1 trap without/);
  });
});
