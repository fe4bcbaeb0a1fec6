/**
 * Where the poller learns which devices to poll. Today the `devices:` list of socnoc.yaml; the
 * device inventory (API and encrypted store) will implement the same interface and call the
 * subscribers when a device is added, edited or deleted.
 */
import type { DeviceConfig, DeviceSnmpConfig } from '../config';

export interface PollDevice {
  /** Stable identity (the inventory's id; the name for config devices). */
  id: string;
  name: string;
  /** IPv4/IPv6 address or host name. */
  address: string;
  port: number;
  /** Agency id; when absent the address's agency CIDR decides. */
  agency?: string;
  intervalSeconds: number;
  /** id of the device this one is reached through. */
  parent?: string;
  tags: string[];
  /** Credentials in clear: sources decrypt them, the poller never logs or returns them. */
  snmp: DeviceSnmpConfig;
}

export interface DeviceSource {
  list(): Promise<PollDevice[]>;
  /** Calls `listener` after the device set changed; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/** The devices of socnoc.yaml (already validated by deviceConfigSchema and checkSnmpConfig). */
export function configDeviceSource(devices: readonly DeviceConfig[], defaultIntervalSeconds: number): DeviceSource {
  const list: PollDevice[] = devices.map((d) => {
    const device: PollDevice = {
      id: d.name,
      name: d.name,
      address: d.address,
      port: d.port,
      intervalSeconds: d.interval_s ?? defaultIntervalSeconds,
      tags: [...d.tags],
      snmp: d.snmp,
    };
    if (d.agency !== undefined) device.agency = d.agency;
    if (d.parent !== undefined) device.parent = d.parent;
    return device;
  });
  return {
    list: async () => list.map((d) => ({ ...d, tags: [...d.tags] })),
    subscribe: () => () => undefined,
  };
}
