/**
 * Interface names for flows from the NOC: the flow collector asks, for every flow, the name of ifIndex N
 * on the exporter at address A (collectors/netflow InterfaceNameResolver). The answers come from the SNMP
 * poller's last answered poll of the inventory device at that address (ifName, else ifDescr; ifAlias as
 * the alias), kept in memory per address. A device's table is refreshed by each of its polls; the
 * address → device mapping is rebuilt when the inventory signals a change (device added, moved, deleted).
 * Lives in app/ because it joins two collectors, which never import each other.
 *
 * An exporter is matched by its SNMP address: a router exporting flows from another address (a loopback
 * used as the NetFlow source interface) is found only if the inventory lists it at that address.
 */
import type { InterfaceNameResolver } from '../collectors/netflow';
import type { DeviceInventory, SnmpPoller } from '../collectors/snmp';

/** What one poll tells about an interface (collectors/snmp InterfaceSample). */
interface PolledInterface {
  index: number;
  name?: string;
  descr?: string;
  alias?: string;
}

interface InterfaceLabel {
  name: string;
  alias: string | undefined;
}

type InterfaceTable = Map<number, InterfaceLabel>;

export interface FlowInterfaceNamesDeps {
  /** The device inventory: addresses of devices and a signal when they change. */
  inventory: Pick<DeviceInventory, 'list' | 'deviceSource'>;
  /** The SNMP poller: each answered poll's interface table, and the last one at start. */
  poller: Pick<SnmpPoller, 'onPoll' | 'deviceAt'>;
}

export interface FlowInterfaceNames extends InterfaceNameResolver {
  interfaceName(exporter: string, ifIndex: number): string | undefined;
  interfaceAlias(exporter: string, ifIndex: number): string | undefined;
  /** Devices (addresses) whose interface table is known. */
  knownExporters(): number;
  /** Unsubscribes from the inventory and the poller. */
  stop(): void;
}

/** IPv4-mapped IPv6 (::ffff:a.b.c.d) as the flow listeners report exporters: unwrapped. */
function addressKey(address: string): string {
  const a = address.toLowerCase();
  return a.startsWith('::ffff:') && a.indexOf('.') > 0 ? a.slice(7) : a;
}

function tableOf(interfaces: Iterable<PolledInterface>): InterfaceTable {
  const table: InterfaceTable = new Map();
  for (const i of interfaces) {
    const name = i.name !== undefined && i.name.length > 0 ? i.name : i.descr;
    if (name === undefined || name.length === 0) continue;
    table.set(i.index, { name, alias: i.alias !== undefined && i.alias.length > 0 ? i.alias : undefined });
  }
  return table;
}

/**
 * The resolver the lead passes to createFlowCollector as `interfaceNames`. Lookups are two Map reads;
 * refreshes happen on poll and inventory signals, never in a lookup.
 */
export function createFlowInterfaceNames(deps: FlowInterfaceNamesDeps): FlowInterfaceNames {
  /** Inventory device id → its address key. */
  let addressById = new Map<string, string>();
  /** Device id → interface table of its last answered poll. */
  const tablesById = new Map<string, InterfaceTable>();
  /** What lookups read: address key → table. Rebuilt from the two maps above. */
  let byAddress = new Map<string, InterfaceTable>();

  function rebuildAddresses(): void {
    const next = new Map<string, string>();
    for (const d of deps.inventory.list()) next.set(d.id, addressKey(d.address));
    for (const id of tablesById.keys()) if (!next.has(id)) tablesById.delete(id);
    // Devices polled before this resolver existed (or before their address changed): their last poll.
    for (const [id, address] of next) {
      if (tablesById.has(id) && addressById.get(id) === address) continue;
      const polled = deps.poller.deviceAt(address);
      if (polled !== undefined && polled.identity.id === id && polled.interfaces.size > 0) tablesById.set(id, tableOf(polled.interfaces.values()));
      else tablesById.delete(id);
    }
    addressById = next;
    const lookup = new Map<string, InterfaceTable>();
    for (const [id, table] of tablesById) {
      const address = addressById.get(id);
      if (address !== undefined) lookup.set(address, table);
    }
    byAddress = lookup;
  }

  rebuildAddresses();
  const unsubscribeInventory = deps.inventory.deviceSource().subscribe(rebuildAddresses);
  const unsubscribePolls = deps.poller.onPoll((report) => {
    const interfaces = report.sample?.interfaces;
    if (!report.ok || interfaces === undefined || interfaces.size === 0) return;
    const address = addressById.get(report.deviceId);
    // Not (yet) in our view of the inventory: the inventory's change signal will bring it.
    if (address === undefined) return;
    const table = tableOf(interfaces.values());
    tablesById.set(report.deviceId, table);
    byAddress.set(address, table);
  });

  return {
    interfaceName(exporter, ifIndex) {
      return byAddress.get(exporter)?.get(ifIndex)?.name;
    },
    interfaceAlias(exporter, ifIndex) {
      return byAddress.get(exporter)?.get(ifIndex)?.alias;
    },
    knownExporters: () => byAddress.size,
    stop() {
      unsubscribeInventory();
      unsubscribePolls();
    },
  };
}
