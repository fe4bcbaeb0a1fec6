/**
 * Measurements above the poller's thresholds become events each poll while they stay above
 * (utilisation, errors and discards per interface; CPU and memory per device). How long a level
 * must hold before an alert is decided by the NOC rules (correlation/), not here.
 */
import type { EcsEvent } from '../../../core/event';
import type { SnmpThresholds } from '../config';
import { memoryUsedPct, meanLoad } from './device-status';
import { deviceThresholdEvent, interfaceThresholdEvent, type DeviceIdentity } from './state-events';
import type { DeviceSample, InterfaceRates } from './types';

function bothAbove(a: number | undefined, b: number | undefined, threshold: number, names: [string, string]): Record<string, number> | undefined {
  const out: Record<string, number> = {};
  if (a !== undefined && a > threshold) out[names[0]] = a;
  if (b !== undefined && b > threshold) out[names[1]] = b;
  return names[0] in out || names[1] in out ? out : undefined;
}

export function thresholdEvents(dev: DeviceIdentity, sample: DeviceSample, rates: ReadonlyMap<number, InterfaceRates>, t: SnmpThresholds, at: number): EcsEvent[] {
  const out: EcsEvent[] = [];
  for (const [index, r] of rates) {
    const s = sample.interfaces.get(index);
    if (s === undefined) continue;
    const util = bothAbove(r.inUtilizationPct, r.outUtilizationPct, t.utilizationPct, ['in_utilization_pct', 'out_utilization_pct']);
    if (util !== undefined) out.push(interfaceThresholdEvent(dev, s, 'interface-utilization-high', { ...util, utilization_pct: r.utilizationPct ?? 0 }, t.utilizationPct, at));
    const errors = bothAbove(r.inErrorsPs, r.outErrorsPs, t.errorsPerSecond, ['in_errors_ps', 'out_errors_ps']);
    if (errors !== undefined) out.push(interfaceThresholdEvent(dev, s, 'interface-errors-high', errors, t.errorsPerSecond, at));
    const discards = bothAbove(r.inDiscardsPs, r.outDiscardsPs, t.discardsPerSecond, ['in_discards_ps', 'out_discards_ps']);
    if (discards !== undefined) out.push(interfaceThresholdEvent(dev, s, 'interface-discards-high', discards, t.discardsPerSecond, at));
  }
  const cpu = meanLoad(sample.processorLoads);
  if (cpu !== undefined && cpu > t.cpuPct) out.push(deviceThresholdEvent(dev, 'device-cpu-high', cpu, t.cpuPct, at));
  const mem = memoryUsedPct(sample);
  if (mem !== undefined && mem > t.memoryPct) out.push(deviceThresholdEvent(dev, 'device-memory-high', mem, t.memoryPct, at));
  return out;
}
