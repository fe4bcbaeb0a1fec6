import { snmpThresholdsSchema } from '../config';
import type { DeviceIdentity } from './state-events';
import { thresholdEvents } from './thresholds';
import type { DeviceSample, InterfaceRates } from './types';

const dev: DeviceIdentity = { id: 'd1', name: 'hn-dist-02', address: '10.10.0.2', organization: { id: 'hanoi-doh' }, tags: [] };
const t = snmpThresholdsSchema.parse({});

function sample(loads: number[], ramUsed: number, cached: number): DeviceSample {
  return {
    at: 0,
    system: {},
    interfaces: new Map([
      [1, { index: 1, name: 'Te1/1', alias: 'Uplink to core', speedBps: 10e9, counters: {} }],
      [2, { index: 2, name: 'Gi1/2', speedBps: 1e9, counters: {} }],
    ]),
    processorLoads: loads,
    storage: [
      { index: 1, type: 'ram', descr: 'Physical memory', sizeBytes: 1000, usedBytes: ramUsed },
      { index: 6, type: 'other', descr: 'Memory buffers', sizeBytes: 1000, usedBytes: 0 },
      { index: 7, type: 'other', descr: 'Cached memory', usedBytes: cached },
    ],
    errors: [],
  };
}

describe('threshold events', () => {
  it('emits one event per kind and interface above its threshold, with the measured values', () => {
    const rates = new Map<number, InterfaceRates>([
      [1, { inUtilizationPct: 93.456, outUtilizationPct: 20, utilizationPct: 93.456, inErrorsPs: 0.5, outDiscardsPs: 25 }],
      [2, { inUtilizationPct: 79.9, outUtilizationPct: 10, utilizationPct: 79.9, inErrorsPs: 3 }],
    ]);
    const events = thresholdEvents(dev, sample([20, 30], 500, 0), rates, t, Date.UTC(2026, 10, 27));
    expect(events.map((e) => `${e.event.action} ${e.interface?.name}`)).toEqual(['interface-utilization-high Te1/1', 'interface-discards-high Te1/1', 'interface-errors-high Gi1/2']);
    expect(events[0]).toMatchObject({ event: { kind: 'metric', dataset: 'snmp.interface' }, interface: { alias: 'Uplink to core' }, snmp: { interface: { in_utilization_pct: 93.46, utilization_pct: 93.46, threshold: 80 } } });
    expect(events[0].message).toBe('interface Te1/1 on hn-dist-02: utilisation 93.46% above 80%');
    expect((events[0].snmp as { interface: Record<string, unknown> }).interface.out_utilization_pct).toBeUndefined();
  });

  it('reads CPU as the mean load and memory without buffers and cache', () => {
    const hot = thresholdEvents(dev, sample([95, 97], 990, 50), new Map(), t, 0);
    expect(hot.map((e) => e.event.action)).toEqual(['device-cpu-high', 'device-memory-high']);
    expect(hot[0]).toMatchObject({ event: { dataset: 'snmp.device' }, snmp: { device: { cpu_load_pct: 96, threshold_pct: 90 } } });
    expect(hot[1]).toMatchObject({ snmp: { device: { memory_used_pct: 94 } } });
    // 99 % "used" of which 60 % is page cache: a healthy Linux box, no event.
    expect(thresholdEvents(dev, sample([10], 990, 600), new Map(), t, 0)).toEqual([]);
  });
});
