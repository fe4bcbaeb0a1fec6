/**
 * Traps from a device the poller knows carry what the inventory and the last poll say about it, so
 * that trap rules can see the same fields as poller events: `snmp.device.{id,name,address,tags,
 * parent}`, the device's agency, and for interface traps (linkDown/linkUp name only the ifIndex on
 * most agents: Cisco adds ifDescr and locIfReason, RFC 2863 ifAdminStatus/ifOperStatus) the
 * interface's name and ifAlias from the last poll and its inventory tags (`snmp.interface.tags`).
 */
import type { EcsEvent } from '../../../core/event';
import type { PolledDevice } from '../poll/poller';

/** The device polled at an address (SnmpPoller.deviceAt). */
export type TrapDeviceLookup = (address: string) => PolledDevice | undefined;

export function addDeviceContext(event: EcsEvent, device: PolledDevice): void {
  const dev = device.identity;
  event.organization = dev.organization.name !== undefined ? { id: dev.organization.id, name: dev.organization.name } : { id: dev.organization.id };
  const observer = (event.observer ??= {});
  observer.name = dev.name;
  const fields: Record<string, unknown> = { id: dev.id, name: dev.name, address: dev.address };
  if (dev.parent !== undefined) fields.parent = dev.parent;
  if (dev.parentName !== undefined) fields.parent_name = dev.parentName;
  if (dev.tags.length > 0) fields.tags = [...dev.tags];
  const snmp = event.snmp as Record<string, unknown>;
  snmp.device = fields;

  const iface = event.interface;
  const ref = iface?.id;
  if (iface === undefined || typeof ref !== 'string' || !/^\d+$/.test(ref)) return;
  const index = Number(ref);
  const sample = device.interfaces.get(index);
  if (sample !== undefined) {
    const name = sample.name ?? sample.descr;
    if (iface.name === undefined && name !== undefined) iface.name = name;
    if (iface.alias === undefined && sample.alias !== undefined && sample.alias !== '') iface.alias = sample.alias;
  }
  const ifFields: Record<string, unknown> = { index };
  const tags = dev.interfaceTags?.[ref];
  if (tags !== undefined && tags.length > 0) ifFields.tags = [...tags];
  snmp.interface = ifFields;
}
