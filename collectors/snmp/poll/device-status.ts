/**
 * The read model of a polled device, shaped like issue 4's API contract
 * (`GET /api/v1/devices` and `/devices/{id}/interfaces`), so the routes only serialize it.
 */
import { IF_STATUS_NAMES } from './oids';
import type { DeviceStatusName } from './reachability';
import type { DeviceSample, InterfaceRates, InterfaceSample } from './types';

export interface InterfaceStatus {
  index: number;
  name: string;
  descr?: string;
  alias?: string;
  /** Inventory tags of the interface (uplink, trunk…). */
  tags?: string[];
  type?: number;
  admin_status?: string;
  oper_status?: string;
  speed_bps?: number;
  in_bps?: number;
  out_bps?: number;
  in_pps?: number;
  out_pps?: number;
  in_errors_ps?: number;
  out_errors_ps?: number;
  in_discards_ps?: number;
  out_discards_ps?: number;
  in_utilization_pct?: number;
  out_utilization_pct?: number;
  utilization_pct?: number;
}

export interface StorageStatus {
  index: number;
  type: string;
  descr?: string;
  size_bytes?: number;
  used_bytes?: number;
  used_pct?: number;
}

export interface DeviceStatus {
  id: string;
  name: string;
  address: string;
  status: DeviceStatusName;
  organization: { id: string };
  parent?: string;
  tags: string[];
  sys: { name?: string; descr?: string; uptime_s?: number; object_id?: string; location?: string; contact?: string };
  /** Wall-clock time of the last poll attempt, answered or not. */
  last_poll?: string;
  last_error?: string;
  poll_ms?: number;
  missed_polls: number;
  /** Mean hrProcessorLoad over the processors. */
  cpu_load_pct?: number;
  /** hrStorageRam (physical memory), when the agent has HOST-RESOURCES-MIB. */
  memory?: StorageStatus;
  /** Memory in use without buffers and cache, percent (memoryUsedPct). */
  memory_used_pct?: number;
  storage: StorageStatus[];
  interfaces: InterfaceStatus[];
}

function status(code: number | undefined): string | undefined {
  return code === undefined ? undefined : (IF_STATUS_NAMES[code] ?? String(code));
}

export function interfaceStatus(s: InterfaceSample, r: InterfaceRates | undefined, tags?: readonly string[]): InterfaceStatus {
  const out: InterfaceStatus = { index: s.index, name: s.name ?? s.descr ?? `ifIndex ${s.index}` };
  if (tags !== undefined && tags.length > 0) out.tags = [...tags];
  const put = <K extends keyof InterfaceStatus>(k: K, v: InterfaceStatus[K] | undefined): void => {
    if (v !== undefined) out[k] = v;
  };
  put('descr', s.descr);
  put('alias', s.alias);
  put('type', s.type);
  put('admin_status', status(s.adminStatus));
  put('oper_status', status(s.operStatus));
  put('speed_bps', s.speedBps);
  if (r !== undefined) {
    put('in_bps', r.inBps);
    put('out_bps', r.outBps);
    put('in_pps', r.inPps);
    put('out_pps', r.outPps);
    put('in_errors_ps', r.inErrorsPs);
    put('out_errors_ps', r.outErrorsPs);
    put('in_discards_ps', r.inDiscardsPs);
    put('out_discards_ps', r.outDiscardsPs);
    put('in_utilization_pct', r.inUtilizationPct);
    put('out_utilization_pct', r.outUtilizationPct);
    put('utilization_pct', r.utilizationPct);
  }
  return out;
}

export function storageStatus(sample: DeviceSample): StorageStatus[] {
  return sample.storage.map((s) => {
    const out: StorageStatus = { index: s.index, type: s.type };
    if (s.descr !== undefined) out.descr = s.descr;
    if (s.sizeBytes !== undefined) out.size_bytes = s.sizeBytes;
    if (s.usedBytes !== undefined) out.used_bytes = s.usedBytes;
    if (s.sizeBytes !== undefined && s.usedBytes !== undefined && s.sizeBytes > 0) out.used_pct = (s.usedBytes / s.sizeBytes) * 100;
    return out;
  });
}

export function meanLoad(loads: readonly number[]): number | undefined {
  if (loads.length === 0) return undefined;
  let sum = 0;
  for (const l of loads) sum += l;
  return sum / loads.length;
}

/**
 * Physical memory in use, percent. Net-SNMP's hrStorageRam counts the kernel's buffers and page
 * cache as used (so a healthy Linux box reads ~100 %); where the agent lists "Memory buffers" and
 * "Cached memory" rows (Net-SNMP does), they are subtracted, as LibreNMS does.
 */
export function memoryUsedPct(sample: DeviceSample): number | undefined {
  const ram = sample.storage.find((s) => s.type === 'ram');
  if (ram?.sizeBytes === undefined || ram.usedBytes === undefined || ram.sizeBytes <= 0) return undefined;
  let used = ram.usedBytes;
  for (const s of sample.storage) {
    if (s.type === 'other' && (s.descr === 'Memory buffers' || s.descr === 'Cached memory') && s.usedBytes !== undefined) used -= s.usedBytes;
  }
  return (Math.max(0, used) / ram.sizeBytes) * 100;
}
