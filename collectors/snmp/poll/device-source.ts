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
  /** Tags of interfaces by ifIndex (`{"10101": ["uplink"]}`), which NOC rules read (uplinks, trunks). */
  interfaceTags?: Readonly<Record<string, readonly string[]>>;
  /** Credentials in clear: sources decrypt them, the poller never logs or returns them. */
  snmp: DeviceSnmpConfig;
}

export interface DeviceSource {
  list(): Promise<PollDevice[]>;
  /** Calls `listener` after the device set changed; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

/** `{ifIndex: {tags}}` (config and API shape) → ifIndex → tags, without untagged interfaces; undefined when none. */
export function interfaceTagsOf(interfaces: Readonly<Record<string, { tags: readonly string[] }>> | undefined): Record<string, readonly string[]> | undefined {
  if (interfaces === undefined) return undefined;
  let out: Record<string, readonly string[]> | undefined;
  for (const [index, i] of Object.entries(interfaces)) {
    if (i.tags.length === 0) continue;
    out ??= {};
    out[index] = [...i.tags];
  }
  return out;
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
    const ifTags = interfaceTagsOf(d.interfaces);
    if (ifTags !== undefined) device.interfaceTags = ifTags;
    return device;
  });
  return {
    list: async () => list.map((d) => ({ ...d, tags: [...d.tags] })),
    subscribe: () => () => undefined,
  };
}
