/**
 * Numeric OID → name resolution by longest known prefix, the way snmptrapd prints
 * `IF-MIB::ifOperStatus.4`: the table holds object types, an instance OID resolves to its object
 * plus the instance arcs.
 */
import type { MibNode, ResolvedOid } from './types';

export class OidNames {
  private readonly nodes = new Map<string, MibNode>();

  constructor(nodes: Iterable<MibNode> = []) {
    for (const n of nodes) this.add(n);
  }

  /** Adds or replaces a node (a user MIB loaded later wins over the built-in table). */
  add(node: MibNode): void {
    this.nodes.set(node.oid, node);
  }

  get size(): number {
    return this.nodes.size;
  }

  get(oid: string): MibNode | undefined {
    return this.nodes.get(stripLeadingDot(oid));
  }

  /** The longest known prefix of `oid` and the remaining arcs, or undefined when nothing matches. */
  resolve(oid: string): ResolvedOid | undefined {
    const full = stripLeadingDot(oid);
    let prefix = full;
    for (;;) {
      const node = this.nodes.get(prefix);
      if (node !== undefined) return { node, instance: prefix.length === full.length ? '' : full.slice(prefix.length + 1) };
      const dot = prefix.lastIndexOf('.');
      if (dot <= 0) return undefined;
      prefix = prefix.slice(0, dot);
    }
  }

  /** `name.instance` (or `name` for an exact match), else the numeric OID. */
  nameOf(oid: string): string {
    const r = this.resolve(oid);
    if (r === undefined) return stripLeadingDot(oid);
    return r.instance.length > 0 ? `${r.node.name}.${r.instance}` : r.node.name;
  }

  /** Every node, for building a merged table. */
  all(): IterableIterator<MibNode> {
    return this.nodes.values();
  }
}

export function stripLeadingDot(oid: string): string {
  return oid.charCodeAt(0) === 46 ? oid.slice(1) : oid;
}
