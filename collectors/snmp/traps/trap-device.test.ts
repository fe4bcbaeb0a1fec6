import { builtinOidNames } from '../mib';
import type { PolledDevice } from '../poll/poller';
import type { InterfaceSample } from '../poll/types';
import { SnmpType } from '../values';
import { addDeviceContext } from './trap-device';
import { buildTrapEvent } from './trap-event';
import type { DecodedTrap } from './trap-pdu';

const names = builtinOidNames();

/** A Cisco IOS linkDown as its receiver decodes it: ifIndex, ifDescr, ifType, locIfReason (no ifAlias). */
const ciscoLinkDown: DecodedTrap = {
  version: '2c',
  pduType: 'trap',
  sender: { address: '10.10.12.3', port: 57313 },
  community: 'public',
  varbinds: [
    { oid: '1.3.6.1.2.1.1.3.0', type: SnmpType.TimeTicks, value: 861234567 },
    { oid: '1.3.6.1.6.3.1.1.4.1.0', type: SnmpType.OID, value: '1.3.6.1.6.3.1.1.5.3' },
    { oid: '1.3.6.1.2.1.2.2.1.1.10101', type: SnmpType.Integer, value: 10101 },
    { oid: '1.3.6.1.2.1.2.2.1.2.10101', type: SnmpType.OctetString, value: Buffer.from('GigabitEthernet1/0/49') },
    { oid: '1.3.6.1.2.1.2.2.1.3.10101', type: SnmpType.Integer, value: 6 },
    { oid: '1.3.6.1.4.1.9.2.2.1.1.20.10101', type: SnmpType.OctetString, value: Buffer.from('down') },
  ],
};

const uplink: InterfaceSample = { index: 10101, name: 'Gi1/0/49', descr: 'GigabitEthernet1/0/49', alias: 'HN-CORE-RTR-01 Gi0/0/3', operStatus: 2, adminStatus: 1, counters: {} };

const device: PolledDevice = {
  identity: {
    id: '5d2f9e81-0c3b-4a6f-8e7d-2b1a0c9f8e7d',
    name: 'hn-sotttt-sw-03',
    address: '10.10.12.3',
    organization: { id: 'so-tttt-hanoi', name: 'Sở TT&TT Hà Nội' },
    parent: 'b7c3e0a2-5f41-4d7e-9a0c-1f2e3d4c5b6a',
    parentName: 'hn-core-rtr-01',
    tags: ['access'],
    interfaceTags: { '10101': ['uplink'] },
  },
  interfaces: new Map([[10101, uplink]]),
};

describe('addDeviceContext', () => {
  it("gives a known device's trap its identity, agency, and the interface's poll name, ifAlias and tags", () => {
    const e = buildTrapEvent(ciscoLinkDown, names, { receivedAt: Date.UTC(2026, 10, 27, 2, 0, 0), organization: { id: 'unassigned' } });
    expect(e.interface).toEqual({ id: '10101', name: 'GigabitEthernet1/0/49' });
    addDeviceContext(e, device);
    expect(e.organization).toEqual({ id: 'so-tttt-hanoi', name: 'Sở TT&TT Hà Nội' });
    expect(e.observer).toMatchObject({ name: 'hn-sotttt-sw-03', ip: ['10.10.12.3'] });
    expect((e.snmp as Record<string, unknown>).device).toEqual({
      id: '5d2f9e81-0c3b-4a6f-8e7d-2b1a0c9f8e7d',
      name: 'hn-sotttt-sw-03',
      address: '10.10.12.3',
      parent: 'b7c3e0a2-5f41-4d7e-9a0c-1f2e3d4c5b6a',
      parent_name: 'hn-core-rtr-01',
      tags: ['access'],
    });
    // The trap's own ifDescr stays; the alias comes from the last poll.
    expect(e.interface).toEqual({ id: '10101', name: 'GigabitEthernet1/0/49', alias: 'HN-CORE-RTR-01 Gi0/0/3' });
    expect((e.snmp as Record<string, unknown>).interface).toEqual({ index: 10101, tags: ['uplink'] });
  });

  it('adds only the device for traps about no interface, and no tags for untagged interfaces', () => {
    const cold: DecodedTrap = { ...ciscoLinkDown, varbinds: ciscoLinkDown.varbinds.slice(0, 1).concat([{ oid: '1.3.6.1.6.3.1.1.4.1.0', type: SnmpType.OID, value: '1.3.6.1.6.3.1.1.5.1' }]) };
    const e = buildTrapEvent(cold, names, { receivedAt: 0, organization: { id: 'unassigned' } });
    addDeviceContext(e, device);
    expect(e.interface).toBeUndefined();
    expect((e.snmp as Record<string, unknown>).interface).toBeUndefined();
    const other = buildTrapEvent(
      { ...ciscoLinkDown, varbinds: [ciscoLinkDown.varbinds[0], ciscoLinkDown.varbinds[1], { oid: '1.3.6.1.2.1.2.2.1.1.10012', type: SnmpType.Integer, value: 10012 }] },
      names,
      { receivedAt: 0, organization: { id: 'unassigned' } },
    );
    addDeviceContext(other, device);
    expect((other.snmp as Record<string, unknown>).interface).toEqual({ index: 10012 });
  });
});
