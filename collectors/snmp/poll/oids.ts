/** The OIDs the poller reads (SNMPv2-MIB, IF-MIB, HOST-RESOURCES-MIB), numeric because no MIB files are loaded. */

export const SYSTEM = {
  descr: '1.3.6.1.2.1.1.1.0',
  objectId: '1.3.6.1.2.1.1.2.0',
  uptime: '1.3.6.1.2.1.1.3.0',
  contact: '1.3.6.1.2.1.1.4.0',
  name: '1.3.6.1.2.1.1.5.0',
  location: '1.3.6.1.2.1.1.6.0',
} as const;
export const SYSTEM_OIDS: readonly string[] = Object.values(SYSTEM);

/** IF-MIB ifTable (RFC 2863), indexed by ifIndex. */
export const IF_TABLE = '1.3.6.1.2.1.2.2';
export const IF = {
  descr: 2,
  type: 3,
  speed: 5,
  adminStatus: 7,
  operStatus: 8,
  /** sysUpTime when the interface entered its current oper status: changes between polls (interface-changes.ts). */
  lastChange: 9,
  inOctets: 10,
  inUcastPkts: 11,
  inNUcastPkts: 12,
  inDiscards: 13,
  inErrors: 14,
  outOctets: 16,
  outUcastPkts: 17,
  outNUcastPkts: 18,
  outDiscards: 19,
  outErrors: 20,
} as const;

/** IF-MIB ifXTable: names, 64-bit (HC) counters, ifHighSpeed in Mb/s. */
export const IFX_TABLE = '1.3.6.1.2.1.31.1.1';
export const IFX = {
  name: 1,
  inMulticastPkts: 2,
  inBroadcastPkts: 3,
  outMulticastPkts: 4,
  outBroadcastPkts: 5,
  hcInOctets: 6,
  hcInUcastPkts: 7,
  hcInMulticastPkts: 8,
  hcInBroadcastPkts: 9,
  hcOutOctets: 10,
  hcOutUcastPkts: 11,
  hcOutMulticastPkts: 12,
  hcOutBroadcastPkts: 13,
  highSpeed: 15,
  alias: 18,
  counterDiscontinuityTime: 19,
} as const;

/** ifTable columns whose ifXTable HC twins make them redundant once a device is known to have them. */
export const IF_32BIT_TRAFFIC_COLUMNS: readonly number[] = [IF.inOctets, IF.inUcastPkts, IF.inNUcastPkts, IF.outOctets, IF.outUcastPkts, IF.outNUcastPkts];

/** HOST-RESOURCES-MIB (RFC 2790). */
export const HR_PROCESSOR_TABLE = '1.3.6.1.2.1.25.3.3';
export const HR_PROCESSOR_LOAD = 2;
export const HR_STORAGE_TABLE = '1.3.6.1.2.1.25.2.3';
export const HR_STORAGE = { type: 2, descr: 3, allocationUnits: 4, size: 5, used: 6 } as const;
/** hrStorageTypes: the OID arc after 1.3.6.1.2.1.25.2.1. */
export const HR_STORAGE_TYPES: Readonly<Record<string, string>> = {
  '1.3.6.1.2.1.25.2.1.1': 'other',
  '1.3.6.1.2.1.25.2.1.2': 'ram',
  '1.3.6.1.2.1.25.2.1.3': 'virtualMemory',
  '1.3.6.1.2.1.25.2.1.4': 'fixedDisk',
  '1.3.6.1.2.1.25.2.1.5': 'removableDisk',
  '1.3.6.1.2.1.25.2.1.6': 'floppyDisk',
  '1.3.6.1.2.1.25.2.1.7': 'compactDisc',
  '1.3.6.1.2.1.25.2.1.8': 'ramDisk',
  '1.3.6.1.2.1.25.2.1.9': 'flashMemory',
  '1.3.6.1.2.1.25.2.1.10': 'networkDisk',
};

export const IF_STATUS_NAMES: Readonly<Record<number, string>> = { 1: 'up', 2: 'down', 3: 'testing', 4: 'unknown', 5: 'dormant', 6: 'notPresent', 7: 'lowerLayerDown' };
