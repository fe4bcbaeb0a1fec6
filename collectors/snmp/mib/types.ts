/** What socnoc knows about one OID: its name, the module defining it, and its enumerated values. */

export type MibNodeKind = 'node' | 'object' | 'notification';

export interface MibNode {
  /** Numeric OID without a leading dot. */
  oid: string;
  name: string;
  /** Defining module, e.g. IF-MIB. */
  module: string;
  kind: MibNodeKind;
  /** INTEGER enumeration labels (ifOperStatus 2 → down). */
  enums?: Readonly<Record<number, string>>;
  /** A column of a table indexed by ifIndex (IF-MIB ifEntry and ifXEntry): its instance is the interface. */
  ifIndexed?: boolean;
}

/** A numeric OID resolved against the known nodes: the longest known prefix and what follows it. */
export interface ResolvedOid {
  node: MibNode;
  /** Arcs after the node's OID ('' for an exact match, '0' for a scalar instance, '4' for row 4). */
  instance: string;
}
