/**
 * One poll of one device: the system group first (one GET; no answer means unreachable), then the
 * IF-MIB and HOST-RESOURCES tables in parallel. Parsing the tables into samples is pure and
 * separate, so it is tested on recorded rows without a socket.
 */
import type { Session, Varbind } from 'net-snmp';
import { isExceptionType, numericValue, octetStringValue, SnmpType } from '../values';
import { HR_PROCESSOR_LOAD, HR_PROCESSOR_TABLE, HR_STORAGE, HR_STORAGE_TABLE, HR_STORAGE_TYPES, IF, IF_32BIT_TRAFFIC_COLUMNS, IF_TABLE, IFX, IFX_TABLE, SYSTEM, SYSTEM_OIDS } from './oids';
import { interfaceSpeedBps } from './rates';
import { snmpGet, walkColumns, type TableRows } from './session';
import type { CounterValue, DeviceSample, InterfaceCounters, InterfaceSample, StorageSample, SystemInfo } from './types';

export interface PollPlan {
  maxRepetitions: number;
  /** Leave out ifTable's 32-bit traffic counters: the last poll found HC counters on every interface. */
  skip32BitTraffic: boolean;
}

function text(v: unknown): string | undefined {
  if (Buffer.isBuffer(v)) return octetStringValue(v);
  return typeof v === 'string' ? v : undefined;
}

function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function parseSystem(varbinds: readonly Varbind[]): SystemInfo {
  const info: SystemInfo = {};
  for (const vb of varbinds) {
    if (isExceptionType(vb.type)) continue;
    switch (vb.oid) {
      case SYSTEM.descr:
        info.descr = text(vb.value);
        break;
      case SYSTEM.objectId:
        if (vb.type === SnmpType.OID && typeof vb.value === 'string') info.objectId = vb.value;
        break;
      case SYSTEM.uptime:
        info.uptimeTicks = int(vb.value);
        break;
      case SYSTEM.contact:
        info.contact = text(vb.value);
        break;
      case SYSTEM.name:
        info.name = text(vb.value);
        break;
      case SYSTEM.location:
        info.location = text(vb.value);
        break;
    }
  }
  for (const k of Object.keys(info) as (keyof SystemInfo)[]) if (info[k] === undefined) delete info[k];
  return info;
}

/** The HC (64-bit) column when the agent has it, else the 32-bit one. */
function counter(hc: unknown, c32: unknown): CounterValue | undefined {
  if (hc !== undefined) {
    const v = numericValue(hc);
    if (v !== undefined) return { value: v, bits: 64 };
  }
  const v = numericValue(c32);
  return v !== undefined ? { value: v, bits: 32 } : undefined;
}

/** ifTable and ifXTable rows → one sample per ifIndex. */
export function parseInterfaces(ifRows: TableRows, ifxRows: TableRows): Map<number, InterfaceSample> {
  const out = new Map<number, InterfaceSample>();
  const indexes = new Set<number>([...ifRows.keys(), ...ifxRows.keys()]);
  for (const index of [...indexes].sort((a, b) => a - b)) {
    const r = ifRows.get(index) ?? new Map<number, unknown>();
    const x = ifxRows.get(index) ?? new Map<number, unknown>();
    const counters: InterfaceCounters = {};
    const set = (name: keyof InterfaceCounters, value: CounterValue | undefined): void => {
      if (value !== undefined) counters[name] = value;
    };
    set('inOctets', counter(x.get(IFX.hcInOctets), r.get(IF.inOctets)));
    set('outOctets', counter(x.get(IFX.hcOutOctets), r.get(IF.outOctets)));
    set('inUcastPkts', counter(x.get(IFX.hcInUcastPkts), r.get(IF.inUcastPkts)));
    set('outUcastPkts', counter(x.get(IFX.hcOutUcastPkts), r.get(IF.outUcastPkts)));
    set('inMulticastPkts', counter(x.get(IFX.hcInMulticastPkts), x.get(IFX.inMulticastPkts)));
    set('outMulticastPkts', counter(x.get(IFX.hcOutMulticastPkts), x.get(IFX.outMulticastPkts)));
    set('inBroadcastPkts', counter(x.get(IFX.hcInBroadcastPkts), x.get(IFX.inBroadcastPkts)));
    set('outBroadcastPkts', counter(x.get(IFX.hcOutBroadcastPkts), x.get(IFX.outBroadcastPkts)));
    set('inNUcastPkts', counter(undefined, r.get(IF.inNUcastPkts)));
    set('outNUcastPkts', counter(undefined, r.get(IF.outNUcastPkts)));
    set('inErrors', counter(undefined, r.get(IF.inErrors)));
    set('outErrors', counter(undefined, r.get(IF.outErrors)));
    set('inDiscards', counter(undefined, r.get(IF.inDiscards)));
    set('outDiscards', counter(undefined, r.get(IF.outDiscards)));
    const sample: InterfaceSample = { index, counters };
    const name = text(x.get(IFX.name));
    const descr = text(r.get(IF.descr));
    const alias = text(x.get(IFX.alias));
    if (name !== undefined && name.length > 0) sample.name = name;
    if (descr !== undefined && descr.length > 0) sample.descr = descr;
    if (alias !== undefined && alias.length > 0) sample.alias = alias;
    const type = int(r.get(IF.type));
    if (type !== undefined) sample.type = type;
    const speed = interfaceSpeedBps(numericValue(r.get(IF.speed)), numericValue(x.get(IFX.highSpeed)));
    if (speed !== undefined) sample.speedBps = speed;
    const admin = int(r.get(IF.adminStatus));
    const oper = int(r.get(IF.operStatus));
    if (admin !== undefined) sample.adminStatus = admin;
    if (oper !== undefined) sample.operStatus = oper;
    const lastChange = numericValue(r.get(IF.lastChange));
    if (lastChange !== undefined) sample.lastChangeTicks = lastChange;
    const disc = numericValue(x.get(IFX.counterDiscontinuityTime));
    if (disc !== undefined) sample.discontinuityTicks = disc;
    out.set(index, sample);
  }
  return out;
}

export function parseProcessorLoads(rows: TableRows): number[] {
  const loads: number[] = [];
  for (const [, row] of [...rows].sort((a, b) => a[0] - b[0])) {
    const load = int(row.get(HR_PROCESSOR_LOAD));
    if (load !== undefined) loads.push(load);
  }
  return loads;
}

export function parseStorage(rows: TableRows): StorageSample[] {
  const out: StorageSample[] = [];
  for (const [index, row] of [...rows].sort((a, b) => a[0] - b[0])) {
    const typeOid = row.get(HR_STORAGE.type);
    const s: StorageSample = { index, type: typeof typeOid === 'string' ? (HR_STORAGE_TYPES[typeOid] ?? typeOid) : 'other' };
    const descr = text(row.get(HR_STORAGE.descr));
    if (descr !== undefined) s.descr = descr;
    const unit = int(row.get(HR_STORAGE.allocationUnits));
    const size = numericValue(row.get(HR_STORAGE.size));
    const used = numericValue(row.get(HR_STORAGE.used));
    if (unit !== undefined && unit > 0) {
      if (size !== undefined) s.sizeBytes = size * unit;
      if (used !== undefined) s.usedBytes = used * unit;
    }
    out.push(s);
  }
  return out;
}

const IF_COLUMNS = Object.values(IF);
const IFX_COLUMNS = Object.values(IFX);
const STORAGE_COLUMNS = Object.values(HR_STORAGE);

/**
 * Polls a device. Rejects when the system GET gets no answer (the device is unreachable); a table
 * walk that fails afterwards is recorded in `errors` and the rest of the sample kept.
 */
export async function pollDevice(session: Session, plan: PollPlan, clock: () => number = () => performance.now()): Promise<DeviceSample> {
  const system = parseSystem(await snmpGet(session, SYSTEM_OIDS));
  const ifColumns = plan.skip32BitTraffic ? IF_COLUMNS.filter((c) => !IF_32BIT_TRAFFIC_COLUMNS.includes(c)) : IF_COLUMNS;
  const errors: string[] = [];
  const settle = async (what: string, p: Promise<TableRows>): Promise<TableRows> => {
    try {
      return await p;
    } catch (err) {
      errors.push(`${what}: ${(err as Error).message}`);
      return new Map();
    }
  };
  const [ifRows, ifxRows, cpuRows, storageRows] = await Promise.all([
    settle('ifTable', walkColumns(session, IF_TABLE, ifColumns, plan.maxRepetitions)),
    settle('ifXTable', walkColumns(session, IFX_TABLE, IFX_COLUMNS, plan.maxRepetitions)),
    settle('hrProcessorTable', walkColumns(session, HR_PROCESSOR_TABLE, [HR_PROCESSOR_LOAD], plan.maxRepetitions)),
    settle('hrStorageTable', walkColumns(session, HR_STORAGE_TABLE, STORAGE_COLUMNS, plan.maxRepetitions)),
  ]);
  return {
    at: clock(),
    system,
    interfaces: parseInterfaces(ifRows, ifxRows),
    processorLoads: parseProcessorLoads(cpuRows),
    storage: parseStorage(storageRows),
    errors,
  };
}

/** True when every interface reported 64-bit octet counters (so the next poll can skip ifTable's 32-bit ones). */
export function allInterfacesHaveHcCounters(sample: DeviceSample): boolean {
  if (sample.interfaces.size === 0) return false;
  for (const i of sample.interfaces.values()) if (i.counters.inOctets?.bits !== 64 || i.counters.outOctets?.bits !== 64) return false;
  return true;
}
