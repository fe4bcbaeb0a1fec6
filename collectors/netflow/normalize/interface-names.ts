/**
 * Interface indexes in flows (ingress/egress ifIndex) turned into names. The NOC inventory implements this
 * (app/flow-interface-names.ts: SNMP ifName and ifAlias per polled device); without it the collector uses
 * NO_INTERFACE_NAMES.
 */

export interface InterfaceNameResolver {
  /**
   * The name of interface `ifIndex` on the device that exported from `exporter`, or undefined when unknown.
   * Called for every flow: answer from memory, never do I/O here.
   */
  interfaceName(exporter: string, ifIndex: number): string | undefined;
  /**
   * The interface's description (SNMP ifAlias, e.g. "Uplink to VNPT"), ECS `interface.alias`; asked only
   * when a name was found. Same rules as interfaceName.
   */
  interfaceAlias?(exporter: string, ifIndex: number): string | undefined;
}

/** ECS `interface` of an observer side or counter event (`alias` is ECS too; core's type lists only id and name). */
export interface EcsInterfaceFields {
  id: string;
  name?: string;
  alias?: string;
}

/** The interface `ifIndex` of `device`: id, with name and alias when the resolver knows them. */
export function interfaceOf(names: InterfaceNameResolver, device: string, ifIndex: number): EcsInterfaceFields {
  const id = String(ifIndex);
  const name = names.interfaceName(device, ifIndex);
  if (name === undefined) return { id };
  const alias = names.interfaceAlias === undefined ? undefined : names.interfaceAlias(device, ifIndex);
  return alias === undefined ? { id, name } : { id, name, alias };
}

/** Knows no names: events carry the interface id only. */
export const NO_INTERFACE_NAMES: InterfaceNameResolver = {
  interfaceName(): string | undefined {
    return undefined;
  },
};

/** A table filled by whoever knows the devices (inventory sync, static configuration, tests). */
export class InterfaceNameTable implements InterfaceNameResolver {
  private readonly byExporter = new Map<string, Map<number, string>>();
  private readonly aliasesByExporter = new Map<string, Map<number, string>>();

  set(exporter: string, ifIndex: number, name: string, alias?: string): void {
    let names = this.byExporter.get(exporter);
    if (names === undefined) {
      names = new Map();
      this.byExporter.set(exporter, names);
    }
    names.set(ifIndex, name);
    let aliases = this.aliasesByExporter.get(exporter);
    if (alias === undefined || alias.length === 0) aliases?.delete(ifIndex);
    else {
      if (aliases === undefined) {
        aliases = new Map();
        this.aliasesByExporter.set(exporter, aliases);
      }
      aliases.set(ifIndex, alias);
    }
  }

  /** Forgets a device's interfaces (it was removed from the inventory). */
  forget(exporter: string): void {
    this.byExporter.delete(exporter);
    this.aliasesByExporter.delete(exporter);
  }

  interfaceName(exporter: string, ifIndex: number): string | undefined {
    return this.byExporter.get(exporter)?.get(ifIndex);
  }

  interfaceAlias(exporter: string, ifIndex: number): string | undefined {
    return this.aliasesByExporter.get(exporter)?.get(ifIndex);
  }
}
