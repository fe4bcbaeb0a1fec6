/** What one poll of one device reads, before any rate is derived. */

/** A counter reading and its width: Counter32 wraps at 2^32, Counter64 (the ifXTable HC columns) does not in practice. */
export interface CounterValue {
  value: number;
  bits: 32 | 64;
}

export type InterfaceCounterName =
  | 'inOctets'
  | 'outOctets'
  | 'inUcastPkts'
  | 'inMulticastPkts'
  | 'inBroadcastPkts'
  | 'inNUcastPkts'
  | 'outUcastPkts'
  | 'outMulticastPkts'
  | 'outBroadcastPkts'
  | 'outNUcastPkts'
  | 'inErrors'
  | 'outErrors'
  | 'inDiscards'
  | 'outDiscards';

export type InterfaceCounters = Partial<Record<InterfaceCounterName, CounterValue>>;

export interface InterfaceSample {
  index: number;
  name?: string;
  descr?: string;
  alias?: string;
  type?: number;
  /** ifSpeed, or ifHighSpeed × 10^6 where ifSpeed saturates (interfaceSpeedBps). */
  speedBps?: number;
  adminStatus?: number;
  operStatus?: number;
  /** ifLastChange: sysUpTime (hundredths of a second) when ifOperStatus last changed; 0 = before the agent started. */
  lastChangeTicks?: number;
  /** ifCounterDiscontinuityTime: a change means the counters restarted (RFC 2863 §3.1.5). */
  discontinuityTicks?: number;
  counters: InterfaceCounters;
}

export interface SystemInfo {
  descr?: string;
  objectId?: string;
  /** sysUpTime in hundredths of a second (the SNMP agent's uptime). */
  uptimeTicks?: number;
  contact?: string;
  name?: string;
  location?: string;
}

export interface StorageSample {
  index: number;
  type: string;
  descr?: string;
  sizeBytes?: number;
  usedBytes?: number;
}

/** One poll: when it completed (monotonic ms), and what it read. */
export interface DeviceSample {
  at: number;
  system: SystemInfo;
  interfaces: Map<number, InterfaceSample>;
  /** hrProcessorLoad per processor (percent over the last minute). */
  processorLoads: number[];
  storage: StorageSample[];
  /** Walks that failed while the device answered (the rest of the sample is still used). */
  errors: string[];
}

export interface InterfaceRates {
  inBps?: number;
  outBps?: number;
  inPps?: number;
  outPps?: number;
  inErrorsPs?: number;
  outErrorsPs?: number;
  inDiscardsPs?: number;
  outDiscardsPs?: number;
  inUtilizationPct?: number;
  outUtilizationPct?: number;
  /** The busier direction (links are full duplex). */
  utilizationPct?: number;
}
