/**
 * Interface indexes in flows (ingress/egress ifIndex) turned into names. The NOC inventory (SNMP ifName per
 * device) will implement this; until it is wired in, the collector uses NO_INTERFACE_NAMES.
 */

export interface InterfaceNameResolver {
  /**
   * The name of interface `ifIndex` on the device that exported from `exporter`, or undefined when unknown.
   * Called for every flow: answer from memory, never do I/O here.
   */
  interfaceName(exporter: string, ifIndex: number): string | undefined;
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

  set(exporter: string, ifIndex: number, name: string): void {
    let names = this.byExporter.get(exporter);
    if (names === undefined) {
      names = new Map();
      this.byExporter.set(exporter, names);
    }
    names.set(ifIndex, name);
  }

  /** Forgets a device's interfaces (it was removed from the inventory). */
  forget(exporter: string): void {
    this.byExporter.delete(exporter);
  }

  interfaceName(exporter: string, ifIndex: number): string | undefined {
    return this.byExporter.get(exporter)?.get(ifIndex);
  }
}
