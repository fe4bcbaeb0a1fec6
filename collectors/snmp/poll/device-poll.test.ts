import { SnmpType } from '../values';
import { allInterfacesHaveHcCounters, parseInterfaces, parseProcessorLoads, parseStorage, parseSystem } from './device-poll';
import { Reachability } from './reachability';
import type { TableRows } from './session';
import { deviceRestartEvent, deviceStateEvent, interfaceStateEvent, type DeviceIdentity } from './state-events';

function rows(entries: Array<[number, Record<number, unknown>]>): TableRows {
  return new Map(entries.map(([i, cols]) => [i, new Map(Object.entries(cols).map(([c, v]) => [Number(c), v]))]));
}
const u64 = (n: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
};

describe('parsing polled tables', () => {
  it('reads the system group as snmpd answered it, skipping exceptions', () => {
    const info = parseSystem([
      { oid: '1.3.6.1.2.1.1.1.0', type: SnmpType.OctetString, value: Buffer.from('Linux vm 6.18.44-fc-v669 #1 SMP PREEMPT_DYNAMIC x86_64') },
      { oid: '1.3.6.1.2.1.1.2.0', type: SnmpType.OID, value: '1.3.6.1.4.1.8072.3.2.10' },
      { oid: '1.3.6.1.2.1.1.3.0', type: SnmpType.TimeTicks, value: 119 },
      { oid: '1.3.6.1.2.1.1.4.0', type: SnmpType.NoSuchObject, value: null },
      { oid: '1.3.6.1.2.1.1.5.0', type: SnmpType.OctetString, value: Buffer.from('snmpd-test') },
      { oid: '1.3.6.1.2.1.1.6.0', type: SnmpType.OctetString, value: Buffer.from('Unknown') },
    ]);
    expect(info).toEqual({ descr: 'Linux vm 6.18.44-fc-v669 #1 SMP PREEMPT_DYNAMIC x86_64', objectId: '1.3.6.1.4.1.8072.3.2.10', uptimeTicks: 119, name: 'snmpd-test', location: 'Unknown' });
  });

  it('joins ifTable and ifXTable, preferring HC counters and ifHighSpeed above 4.29 Gb/s', () => {
    // A Catalyst uplink (10G, HC counters) and an old serial line (ifTable only).
    const ifRows = rows([
      [10101, { 2: Buffer.from('TenGigabitEthernet1/1/1'), 3: 6, 5: 4294967295, 7: 1, 8: 1, 9: 4_512_300, 10: 3_000_000_000, 13: 0, 14: 12, 16: 100, 19: 3, 20: 0 }],
      [5, { 2: Buffer.from('Serial0/0/0'), 3: 22, 5: 1_544_000, 7: 1, 8: 2, 10: 77, 11: 5, 12: 1, 16: 88, 17: 6, 18: 2, 14: 0, 20: 0, 13: 0, 19: 0 }],
    ]);
    const ifxRows = rows([
      [10101, { 1: Buffer.from('Te1/1/1'), 6: u64(123_456_789_012_345n), 10: u64(98_765_432_109n), 7: u64(1000n), 8: u64(20n), 9: u64(3n), 11: u64(900n), 12: u64(0n), 13: u64(0n), 15: 10000, 18: Buffer.from('uplink to core-01'), 19: 0 }],
    ]);
    const parsed = parseInterfaces(ifRows, ifxRows);
    expect([...parsed.keys()]).toEqual([5, 10101]);
    expect(parsed.get(10101)).toEqual({
      index: 10101,
      name: 'Te1/1/1',
      descr: 'TenGigabitEthernet1/1/1',
      alias: 'uplink to core-01',
      type: 6,
      speedBps: 10_000_000_000,
      adminStatus: 1,
      operStatus: 1,
      lastChangeTicks: 4_512_300,
      discontinuityTicks: 0,
      counters: {
        inOctets: { value: 123_456_789_012_345, bits: 64 },
        outOctets: { value: 98_765_432_109, bits: 64 },
        inUcastPkts: { value: 1000, bits: 64 },
        inMulticastPkts: { value: 20, bits: 64 },
        inBroadcastPkts: { value: 3, bits: 64 },
        outUcastPkts: { value: 900, bits: 64 },
        outMulticastPkts: { value: 0, bits: 64 },
        outBroadcastPkts: { value: 0, bits: 64 },
        inErrors: { value: 12, bits: 32 },
        outErrors: { value: 0, bits: 32 },
        inDiscards: { value: 0, bits: 32 },
        outDiscards: { value: 3, bits: 32 },
      },
    });
    const serial = parsed.get(5);
    expect(serial).toMatchObject({ descr: 'Serial0/0/0', speedBps: 1_544_000, operStatus: 2 });
    expect(serial?.name).toBeUndefined();
    expect(serial?.counters.inOctets).toEqual({ value: 77, bits: 32 });
    expect(serial?.counters.inNUcastPkts).toEqual({ value: 1, bits: 32 });
    expect(allInterfacesHaveHcCounters({ at: 0, system: {}, interfaces: parsed, processorLoads: [], storage: [], errors: [] })).toBe(false);
    parsed.delete(5);
    expect(allInterfacesHaveHcCounters({ at: 0, system: {}, interfaces: parsed, processorLoads: [], storage: [], errors: [] })).toBe(true);
  });

  it('reads hrStorage in bytes and hrProcessorLoad per processor', () => {
    const storage = parseStorage(
      rows([
        [1, { 2: '1.3.6.1.2.1.25.2.1.2', 3: Buffer.from('Physical memory'), 4: 1024, 5: 24_684_084, 6: 3_642_468 }],
        [31, { 2: '1.3.6.1.2.1.25.2.1.4', 3: Buffer.from('/'), 4: 4096, 5: 2_000_000, 6: 500_000 }],
        [40, { 2: '1.3.6.1.4.1.99.1', 3: Buffer.from('vendor pool') }],
      ]),
    );
    expect(storage).toEqual([
      { index: 1, type: 'ram', descr: 'Physical memory', sizeBytes: 24_684_084 * 1024, usedBytes: 3_642_468 * 1024 },
      { index: 31, type: 'fixedDisk', descr: '/', sizeBytes: 8_192_000_000, usedBytes: 2_048_000_000 },
      { index: 40, type: '1.3.6.1.4.1.99.1', descr: 'vendor pool' },
    ]);
    expect(parseProcessorLoads(rows([[196609, { 2: 80 }], [196608, { 2: 83 }]]))).toEqual([83, 80]);
  });
});

describe('reachability', () => {
  it('goes down after N consecutive misses, once, and up on the next answer', () => {
    const r = new Reachability(3);
    expect(r.answered()).toEqual({ from: 'unknown', to: 'up', missed: 0 });
    expect(r.missedPoll()).toBeUndefined();
    expect(r.missedPoll()).toBeUndefined();
    expect(r.missedPoll()).toEqual({ from: 'up', to: 'down', missed: 3 });
    expect(r.missedPoll()).toBeUndefined();
    expect(r.status).toBe('down');
    expect(r.answered()).toEqual({ from: 'down', to: 'up', missed: 4 });
    expect(r.answered()).toBeUndefined();
  });

  it('a miss between answers does not count toward down', () => {
    const r = new Reachability(2);
    r.answered();
    r.missedPoll();
    r.answered();
    expect(r.missedPoll()).toBeUndefined();
    expect(r.status).toBe('up');
  });

  it('a device never reached goes from unknown to down', () => {
    const r = new Reachability(1);
    expect(r.missedPoll()).toEqual({ from: 'unknown', to: 'down', missed: 1 });
  });

  it('is unreachable instead of down while the parent fails, and down once the parent answers again', () => {
    const r = new Reachability(2);
    r.answered();
    expect(r.atThreshold).toBe(false);
    expect(r.missedPoll(true)).toBeUndefined();
    expect(r.atThreshold).toBe(true);
    expect(r.missedPoll(true)).toEqual({ from: 'up', to: 'unreachable', missed: 2 });
    expect(r.failing).toBe(true);
    expect(r.missedPoll(true)).toBeUndefined();
    expect(r.missedPoll(false)).toEqual({ from: 'unreachable', to: 'down', missed: 4 });
    // Already down on its own: a parent failing later does not turn it into unreachable.
    expect(r.missedPoll(true)).toBeUndefined();
    expect(r.status).toBe('down');
    expect(r.answered()).toEqual({ from: 'down', to: 'up', missed: 5 });
  });

});

describe('state events', () => {
  const dev: DeviceIdentity = { id: 'core-sw-01', name: 'core-sw-01', address: '10.10.0.1', organization: { id: 'metronet', name: 'Metronet core' }, tags: ['core'], parent: 'core-rt-01', sysName: 'CORE-SW-01' };
  const at = Date.UTC(2025, 10, 27, 3, 0, 0);

  it('device-down names the misses and the last error', () => {
    const e = deviceStateEvent(dev, { from: 'up', to: 'down', missed: 3 }, at, 'Request timed out');
    expect(e).toMatchObject({
      '@timestamp': '2025-11-27T03:00:00.000Z',
      message: 'device core-sw-01 (10.10.0.1) is down: 3 polls missed (Request timed out)',
      event: { kind: 'state', dataset: 'snmp.device', action: 'device-down', category: ['network', 'host'], type: ['change'], outcome: 'failure', reason: 'Request timed out' },
      organization: { id: 'metronet', name: 'Metronet core' },
      observer: { name: 'core-sw-01', ip: ['10.10.0.1'], hostname: 'CORE-SW-01' },
      host: { name: 'CORE-SW-01', ip: ['10.10.0.1'] },
      snmp: { device: { id: 'core-sw-01', status: 'down', previous_status: 'up', missed_polls: 3, parent: 'core-rt-01', tags: ['core'] } },
    });
    expect(deviceStateEvent(dev, { from: 'down', to: 'up', missed: 5 }, at).event).toMatchObject({ action: 'device-up', outcome: 'success' });
  });

  it('device-restarted carries both uptimes', () => {
    const e = deviceRestartEvent(dev, 8_640_000, 1_200, at);
    expect(e.event).toMatchObject({ action: 'device-restarted', type: ['change', 'start'] });
    expect(e.message).toBe('device core-sw-01 (10.10.0.1) restarted: SNMP agent up 0m 12s, was 1d 0h 0m');
    expect(e.snmp).toMatchObject({ device: { uptime_s: 12, previous_uptime_s: 86400 } });
  });

  it('interface events: down, up, and other transitions', () => {
    const sample = { index: 10101, name: 'Te1/1/1', alias: 'uplink to core-01', adminStatus: 1, operStatus: 2, speedBps: 1e10, counters: {} };
    const down = interfaceStateEvent(dev, { sample, from: 1, to: 2, changes: 1 }, at);
    expect(down).toMatchObject({
      message: 'interface Te1/1/1 on core-sw-01 is down (was up, admin up)',
      event: { kind: 'state', dataset: 'snmp.interface', action: 'interface-down', category: ['network'] },
      interface: { id: '10101', name: 'Te1/1/1', alias: 'uplink to core-01' },
      snmp: { interface: { index: 10101, oper_status: 'down', previous_oper_status: 'up', admin_status: 'up', speed_bps: 1e10, changes: 1 } },
    });
    expect(interfaceStateEvent(dev, { sample, from: 2, to: 1, changes: 1 }, at).event.action).toBe('interface-up');
    expect(interfaceStateEvent(dev, { sample, from: 2, to: 7, changes: 1 }, at).event.action).toBe('interface-state-change');
  });

  it('interface-flapped: same status at both polls, ifLastChange moved in between', () => {
    const sample = { index: 10012, name: 'Gi1/0/12', adminStatus: 1, operStatus: 1, lastChangeTicks: 25_924_000, counters: {} };
    const e = interfaceStateEvent({ ...dev, interfaceTags: { '10012': ['access'] } }, { sample, from: 1, to: 1, changes: 2 }, at);
    expect(e).toMatchObject({
      message: 'interface Gi1/0/12 on core-sw-01 changed state at least 2 times since the last poll and is up again (admin up)',
      event: { kind: 'state', dataset: 'snmp.interface', action: 'interface-flapped', type: ['change'] },
      interface: { id: '10012', name: 'Gi1/0/12' },
      snmp: { interface: { index: 10012, oper_status: 'up', previous_oper_status: 'up', admin_status: 'up', changes: 2, last_change_uptime_s: 259_240, tags: ['access'] } },
    });
  });
});
