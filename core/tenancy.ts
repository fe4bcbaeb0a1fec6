/**
 * Agencies (tenants). Every event belongs to one: the most specific source CIDR that contains the
 * sending address wins, else the listener's agency, else `unassigned`.
 */
import { UNASSIGNED_AGENCY } from './event';
import { ipv4ToInt, ipv6ToBigInt, maskIPv4, maskIPv6, parseCidr, unmapIPv4 } from './net/ip';
import type { AgencyConfig } from './config';

export interface Agency {
  id: string;
  name: string;
}

export const UNASSIGNED: Agency = { id: UNASSIGNED_AGENCY, name: 'Unassigned' };

interface PrefixTable<K> {
  prefix: number;
  networks: Map<K, Agency>;
}

/** Sources repeat (a few thousand devices), so answers are cached; the cache is bounded. */
const CACHE_LIMIT = 65_536;

export class AgencyResolver {
  private readonly byId = new Map<string, Agency>();
  private readonly v4: PrefixTable<number>[] = [];
  private readonly v6: PrefixTable<bigint>[] = [];
  private readonly cache = new Map<string, Agency | null>();

  constructor(agencies: readonly AgencyConfig[]) {
    for (const a of agencies) {
      const agency: Agency = { id: a.id, name: a.name };
      this.byId.set(a.id, agency);
      for (const text of a.cidrs) {
        let cidr;
        try {
          cidr = parseCidr(text);
        } catch (err) {
          throw new Error(`agency ${a.id}: ${(err as Error).message}`, { cause: err });
        }
        if (cidr.family === 4) addTo(this.v4, cidr.prefix, cidr.network as number, agency);
        else addTo(this.v6, cidr.prefix, cidr.network as bigint, agency);
      }
    }
    // Longest prefix first, so the first hit is the most specific.
    this.v4.sort((a, b) => b.prefix - a.prefix);
    this.v6.sort((a, b) => b.prefix - a.prefix);
  }

  get(id: string): Agency | undefined {
    if (id === UNASSIGNED.id) return UNASSIGNED;
    return this.byId.get(id);
  }

  list(): Agency[] {
    return [...this.byId.values()];
  }

  /** The agency owning a source address, or undefined when no CIDR covers it. */
  bySource(address: string): Agency | undefined {
    const cached = this.cache.get(address);
    if (cached !== undefined) return cached ?? undefined;
    const found = this.lookup(unmapIPv4(address)) ?? null;
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(address, found);
    return found ?? undefined;
  }

  /** Source CIDR mapping, then the listener's agency, then unassigned. */
  resolve(address: string, listenerAgency?: string): Agency {
    return this.bySource(address) ?? (listenerAgency !== undefined ? this.byId.get(listenerAgency) : undefined) ?? UNASSIGNED;
  }

  private lookup(address: string): Agency | undefined {
    const v4 = ipv4ToInt(address);
    if (v4 !== undefined) {
      for (const t of this.v4) {
        const hit = t.networks.get(maskIPv4(v4, t.prefix));
        if (hit) return hit;
      }
      return undefined;
    }
    const v6 = ipv6ToBigInt(address);
    if (v6 === undefined) return undefined;
    for (const t of this.v6) {
      const hit = t.networks.get(maskIPv6(v6, t.prefix));
      if (hit) return hit;
    }
    return undefined;
  }
}

function addTo<K>(tables: PrefixTable<K>[], prefix: number, network: K, agency: Agency): void {
  let table = tables.find((t) => t.prefix === prefix);
  if (!table) {
    table = { prefix, networks: new Map() };
    tables.push(table);
  }
  const existing = table.networks.get(network);
  if (existing && existing.id !== agency.id) {
    throw new Error(`agencies ${existing.id} and ${agency.id} both claim the same network (/${prefix})`);
  }
  table.networks.set(network, agency);
}
