/**
 * The indicators of one feed, indexed for lookups that cost the same with ten or ten million
 * entries: a hash map per value type, and a prefix trie per address family for ranges. Built once
 * per (re)load and then read-only, so a refresh builds a new one and swaps it in.
 */
import { DomainTable, scanDomain, type DomainScan } from './domain-table';
import { Ipv6PrefixTable } from './ipv6-prefix-table';
import { parseIpv4, parseIpv6 } from './ip';
import { PrefixTrie } from './prefix-trie';
import type { Indicator, IndicatorType, ParsedIndicator } from './types';

export interface FeedIndexOptions {
  /** Confidence of indicators that state none (0..100). */
  defaultConfidence: number;
  /** Epoch seconds of this load: first-seen of indicators new to the feed. */
  loadedAt: number;
  /** The feed's current index: indicators it already held keep their first-seen time. */
  previous?: FeedIndex;
}

/** Whether an indicator matches at `now` (epoch seconds); `defaultUntil` (0: never) applies when it has no own expiry. */
export function isActive(ind: Indicator, now: number, defaultUntil: number): boolean {
  if (ind.validFrom !== 0 && now < ind.validFrom) return false;
  const until = ind.validUntil !== 0 ? ind.validUntil : defaultUntil;
  return until === 0 || now < until;
}

const v6scratch = new Uint16Array(8);
const wordsScratch = new Uint32Array(4);
const hitScratch = new Int32Array(129);
const domainScan: DomainScan<Indicator> = { host: undefined, own: undefined, parent: undefined };

function v6Words(groups: Uint16Array, words: Uint32Array): void {
  for (let k = 0; k < 4; k++) words[k] = ((groups[2 * k] << 16) | groups[2 * k + 1]) >>> 0;
}

function toSeconds(ms: number | undefined): number {
  return ms === undefined || !Number.isFinite(ms) ? 0 : Math.floor(ms / 1000);
}

/** Of two entries for the same value, the more confident wins; on a tie the one valid longer. */
function better(a: Indicator, b: Indicator): boolean {
  if (a.confidence !== b.confidence) return a.confidence > b.confidence;
  return a.validUntil === 0 ? b.validUntil !== 0 : b.validUntil !== 0 && a.validUntil > b.validUntil;
}

export class FeedIndex {
  /** Every indicator, grouped by type (listing and search). */
  readonly all: Indicator[];
  /** Entries that repeated a value already loaded (the better one kept). */
  duplicates = 0;
  /** Keyed by the address as a signed 32-bit integer: a small integer to V8, no boxed number per lookup. */
  private readonly ipv4 = new Map<number, Indicator>();
  /** Ranges (IPv4 and IPv6) by canonical text; the IPv4 trie holds indexes into `rangeList`. */
  private readonly ranges = new Map<string, Indicator>();
  private readonly rangeList: Indicator[] = [];
  private readonly trie4 = new PrefixTrie(32);
  /** IPv6 addresses (as /128) and ranges, holding indexes into `ipv6List`. */
  private readonly ipv6 = new Ipv6PrefixTable();
  private readonly ipv6List: Indicator[] = [];
  /** Match the name and every subdomain. */
  private readonly domains = new DomainTable<Indicator>();
  /** Match the exact name only. */
  private readonly hosts = new DomainTable<Indicator>();
  private readonly urls = new Map<string, Indicator>();
  private readonly md5 = new Map<string, Indicator>();
  private readonly sha1 = new Map<string, Indicator>();
  private readonly sha256 = new Map<string, Indicator>();

  constructor(parsed: readonly ParsedIndicator[], options: FeedIndexOptions) {
    const { previous, loadedAt, defaultConfidence } = options;
    for (const p of parsed) {
      const known = previous?.get(p.type, p.value);
      let firstSeen = known !== undefined ? known.firstSeen : loadedAt;
      const ownFirst = toSeconds(p.firstSeen);
      if (ownFirst !== 0 && ownFirst < firstSeen) firstSeen = ownFirst;
      const ind: Indicator = {
        type: p.type,
        value: p.value,
        confidence: p.confidence ?? defaultConfidence,
        firstSeen,
        validFrom: toSeconds(p.validFrom),
        validUntil: toSeconds(p.validUntil),
        meta: p.meta,
      };
      this.add(ind);
    }
    const all: Indicator[] = [...this.ipv4.values(), ...this.ipv6List];
    for (const ind of this.ranges.values()) if (ind.type === 'ipv4') all.push(ind);
    for (const map of [this.domains, this.hosts, this.urls, this.md5, this.sha1, this.sha256]) {
      for (const ind of map.values()) all.push(ind);
    }
    this.all = all;
  }

  get size(): number {
    return this.all.length;
  }

  /** The indicator stored for a canonical value (as normalize.ts writes it). */
  get(type: IndicatorType, value: string): Indicator | undefined {
    switch (type) {
      case 'ipv4':
        return value.indexOf('/') >= 0 ? this.ranges.get(value) : this.ipv4.get(parseIpv4(value) | 0);
      case 'ipv6': {
        if (value.indexOf('/') >= 0) return this.ranges.get(value);
        if (!parseIpv6(value, v6scratch)) return undefined;
        v6Words(v6scratch, wordsScratch);
        const at = this.ipv6.find(wordsScratch, 128);
        return at < 0 ? undefined : this.ipv6List[at];
      }
      case 'domain':
        return this.domains.get(value);
      case 'hostname':
        return this.hosts.get(value);
      case 'url':
        return this.urls.get(value);
      case 'md5':
        return this.md5.get(value);
      case 'sha1':
        return this.sha1.get(value);
      case 'sha256':
        return this.sha256.get(value);
    }
  }

  /** Bytes held by the IPv4 range trie (the maps are measured as heap by the benchmark). */
  trieBytes(): number {
    return this.trie4.bytes();
  }

  /** An IPv4 address as a number: the exact entry, else the most specific active range. */
  matchIpv4(addr: number, now: number, defaultUntil: number): Indicator | undefined {
    const exact = this.ipv4.get(addr | 0);
    if (exact !== undefined && isActive(exact, now, defaultUntil)) return exact;
    if (this.trie4.size === 0) return undefined;
    wordsScratch[0] = addr;
    const n = this.trie4.containing(wordsScratch, hitScratch);
    for (let k = n - 1; k >= 0; k--) {
      const ind = this.rangeList[hitScratch[k]];
      if (isActive(ind, now, defaultUntil)) return ind;
    }
    return undefined;
  }

  /** An IPv6 address as eight groups: the exact entry, else the most specific active range. */
  matchIpv6(groups: Uint16Array, now: number, defaultUntil: number): Indicator | undefined {
    if (this.ipv6.size === 0) return undefined;
    v6Words(groups, wordsScratch);
    const n = this.ipv6.containing(wordsScratch, hitScratch);
    for (let k = 0; k < n; k++) {
      const ind = this.ipv6List[hitScratch[k]];
      if (isActive(ind, now, defaultUntil)) return ind;
    }
    return undefined;
  }

  /**
   * A name as an event spells it (any case, trailing dot or not): an exact hostname or domain
   * entry, else a domain entry for one of its parents, the shortest first (`example.com`, then
   * `a.example.com`...) up to `maxLabels` labels. One pass over the name, no string per label.
   */
  matchDomain(name: string, now: number, defaultUntil: number, maxLabels: number): Indicator | undefined {
    if (this.hosts.size === 0 && this.domains.size === 0) return undefined;
    scanDomain(name, this.hosts, this.domains, maxLabels, isActive, now, defaultUntil, domainScan);
    const { host, own } = domainScan;
    if (host !== undefined && isActive(host, now, defaultUntil)) return host;
    if (own !== undefined && isActive(own, now, defaultUntil)) return own;
    return domainScan.parent;
  }

  matchUrl(key: string, now: number, defaultUntil: number): Indicator | undefined {
    const ind = this.urls.get(key);
    return ind !== undefined && isActive(ind, now, defaultUntil) ? ind : undefined;
  }

  matchHash(type: 'md5' | 'sha1' | 'sha256', key: string, now: number, defaultUntil: number): Indicator | undefined {
    const ind = (type === 'sha256' ? this.sha256 : type === 'sha1' ? this.sha1 : this.md5).get(key);
    return ind !== undefined && isActive(ind, now, defaultUntil) ? ind : undefined;
  }

  private add(ind: Indicator): void {
    switch (ind.type) {
      case 'ipv6':
        this.addIpv6(ind);
        return;
      case 'ipv4':
        if (ind.value.indexOf('/') >= 0) this.addRange(ind);
        else this.keep(this.ipv4, parseIpv4(ind.value) | 0, ind);
        return;
      case 'domain':
        this.keep(this.domains, ind.value, ind);
        return;
      case 'hostname':
        this.keep(this.hosts, ind.value, ind);
        return;
      case 'url':
        this.keep(this.urls, ind.value, ind);
        return;
      case 'md5':
        this.keep(this.md5, ind.value, ind);
        return;
      case 'sha1':
        this.keep(this.sha1, ind.value, ind);
        return;
      case 'sha256':
        this.keep(this.sha256, ind.value, ind);
        return;
    }
  }

  /** Stores `ind` under `key` unless an entry already there is better (counted as a duplicate either way). */
  private keep<K>(map: { get(key: K): Indicator | undefined; set(key: K, value: Indicator): unknown }, key: K, ind: Indicator): void {
    const existing = map.get(key);
    if (existing !== undefined) {
      this.duplicates++;
      if (!better(ind, existing)) return;
    }
    map.set(key, ind);
  }

  private addRange(ind: Indicator): void {
    const existing = this.ranges.get(ind.value);
    if (existing !== undefined) {
      this.duplicates++;
      if (!better(ind, existing)) return;
      this.rangeList[this.rangeList.indexOf(existing)] = ind;
      this.ranges.set(ind.value, ind);
      return;
    }
    const slash = ind.value.indexOf('/');
    const prefix = Number(ind.value.slice(slash + 1));
    wordsScratch[0] = parseIpv4(ind.value, 0, slash);
    this.trie4.insert(wordsScratch, prefix, this.rangeList.length);
    this.rangeList.push(ind);
    this.ranges.set(ind.value, ind);
  }

  /** An IPv6 address (stored as a /128) or range; of two entries for one key the better one stays. */
  private addIpv6(ind: Indicator): void {
    const slash = ind.value.indexOf('/');
    if (!parseIpv6(slash < 0 ? ind.value : ind.value.slice(0, slash), v6scratch)) return;
    const prefix = slash < 0 ? 128 : Number(ind.value.slice(slash + 1));
    v6Words(v6scratch, wordsScratch);
    const at = this.ipv6.find(wordsScratch, prefix);
    if (at >= 0) {
      this.duplicates++;
      if (!better(ind, this.ipv6List[at])) return;
      this.ipv6List[at] = ind;
    } else {
      this.ipv6.set(wordsScratch, prefix, this.ipv6List.length);
      this.ipv6List.push(ind);
    }
    if (slash >= 0) this.ranges.set(ind.value, ind);
  }
}
