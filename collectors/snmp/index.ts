/**
 * The SNMP collector: the trap/inform receiver and the poller, built from the `snmp:` section and
 * a device source. app/ builds the whole NOC (inventory, collector, metrics store, discovery,
 * routes) with createSnmpNoc (noc.ts); createSnmpCollector alone polls any DeviceSource.
 */
import { createSnmpPoller } from './poll/poller';
import { createSnmpTrapReceiver } from './traps/receiver';

export { snmpConfigSchema, devicesConfigSchema, checkSnmpConfig } from './config';
export type { SnmpConfig, DeviceConfig } from './config';
export { configDeviceSource } from './poll/device-source';
export type { DeviceSource, PollDevice } from './poll/device-source';
export type { DeviceStatus, InterfaceStatus } from './poll/device-status';
export type { PollReport, SnmpPoller } from './poll/poller';
export type { SnmpTrapReceiver } from './traps/receiver';
export { createSnmpPoller, createSnmpTrapReceiver };
export { createSnmpCollector } from './collector';
export type { SnmpCollector, SnmpCollectorDeps } from './collector';
export { createSnmpNoc } from './noc';
export type { SnmpNoc, SnmpNocDeps } from './noc';
export { loadSecretBox, SecretBox } from './inventory/secret-box';
export { DeviceInventory } from './inventory/store';
export type { InventoryDevice } from './inventory/store';
export { devicesHttpModule } from './http';
export { SnmpMetricsStore } from './metrics-store/store';

