/**
 * Every feed's index behind one lookup: a value is parsed once (an address into groups, a URL into
 * its key) and then checked against each enabled feed, so the cost per event field depends on the
 * number of feeds, not of indicators. A feed refresh swaps its entry; readers never see a half-built
 * index.
 */
import type { FeedIndex } from './feed-index';
import { mappedIpv4, parseIpv4, parseIpv6 } from './ip';
import { hashTypeOfLength, inferType, refang, urlKey } from './normalize';
import type { Indicator, IndicatorType } from './types';
import type { AlertSeverity } from '../alerts/types';

/** What the matcher needs of a feed; the feed manager replaces the object on every load. */
export interface IntelFeedView {
  readonly name: string;
  readonly index: FeedIndex;
  /** Epoch seconds of the feed's last successful read (changed or not). */
  readonly lastSeen: number;
  /** Epoch seconds after which indicators without their own expiry stop matching; 0: never. */
  readonly defaultUntil: number;
  /** Agencies whose events this feed applies to; undefined: all. */
  readonly agencies: ReadonlySet<string> | undefined;
  /** Alert level for this feed's matches; undefined: from the indicator's confidence. */
  readonly level: AlertSeverity | undefined;
}

export interface IntelMatch {
  feed: IntelFeedView;
  indicator: Indicator;
  /** The event field (`destination.ip`) or `lookup`. */
  field: string;
  /** The value as the event had it. */
  value: string;
}

export interface IntelIndexOptions {
  /** Labels of a domain checked as parents, counted from the top (`evil.example.com` is 3). */
  maxParentLabels: number;
}

const groups = new Uint16Array(8);
const hasIpScratch: IntelMatch[] = [];

export class IntelIndex {
  private feeds: IntelFeedView[] = [];
  private readonly maxParentLabels: number;

  constructor(options: IntelIndexOptions = { maxParentLabels: 10 }) {
    this.maxParentLabels = options.maxParentLabels;
  }

  /** Adds or replaces the feed of that name (copy on write: a match in progress keeps its array). */
  setFeed(view: IntelFeedView): void {
    const next = this.feeds.filter((f) => f.name !== view.name);
    next.push(view);
    this.feeds = next;
  }

  removeFeed(name: string): void {
    this.feeds = this.feeds.filter((f) => f.name !== name);
  }

  feed(name: string): IntelFeedView | undefined {
    return this.feeds.find((f) => f.name === name);
  }

  allFeeds(): readonly IntelFeedView[] {
    return this.feeds;
  }

  /** Indicators loaded over all feeds (expired ones included). */
  size(): number {
    let n = 0;
    for (const f of this.feeds) n += f.index.size;
    return n;
  }

  /** An address field (source.ip…): pushes one match per feed whose index holds it or a range around it. */
  matchIp(value: string, field: string, now: number, agency: string | undefined, out: IntelMatch[]): void {
    if (this.feeds.length > 0) matchIpIn(this.feeds, value, field, now, agency, out);
  }

  /**
   * Whether any feed (whatever agencies it is limited to) lists the address or a range around it:
   * for collectors that decide which records are worth a full event.
   */
  hasIp(value: string, now: number): boolean {
    if (this.feeds.length === 0) return false;
    hasIpScratch.length = 0;
    matchIpIn(this.feeds, value, '', now, null, hasIpScratch);
    return hasIpScratch.length > 0;
  }

  /** A DNS name field (dns.question.name, url.domain…): the name, or a parent listed as a domain. */
  matchDomain(value: string, field: string, now: number, agency: string | undefined, out: IntelMatch[]): void {
    if (this.feeds.length > 0) matchDomainIn(this.feeds, value, field, now, agency, this.maxParentLabels, out);
  }

  /** A URL field (url.full, url.original). */
  matchUrl(value: string, field: string, now: number, agency: string | undefined, out: IntelMatch[]): void {
    if (this.feeds.length > 0) matchUrlIn(this.feeds, value, field, now, agency, out);
  }

  /** A hash field; the algorithm follows from the length (file.hash.*, process.hash.*, related.hash). */
  matchHash(value: string, field: string, now: number, agency: string | undefined, out: IntelMatch[]): void {
    if (this.feeds.length > 0) matchHashIn(this.feeds, value, field, now, agency, out);
  }

  /**
   * Any value of a guessed (or given) type, for the lookup API and playbooks: an address or range
   * member, a domain or subdomain, a URL or a hash. `agencies`: the caller's (undefined: all), which
   * limits the feeds restricted to some agencies.
   */
  lookup(value: string, now: number, type?: IndicatorType, agencies?: readonly string[]): IntelMatch[] {
    const out: IntelMatch[] = [];
    const trimmed = refang(value.trim());
    const feeds = agencies === undefined ? this.feeds : this.feeds.filter((f) => f.agencies === undefined || agencies.some((a) => f.agencies?.has(a)));
    if (feeds.length === 0 || trimmed.length === 0) return out;
    const t = type ?? inferType(trimmed);
    switch (t) {
      case 'ipv4':
      case 'ipv6':
        matchIpIn(feeds, trimmed, 'lookup', now, null, out);
        break;
      case 'domain':
      case 'hostname':
        matchDomainIn(feeds, trimmed, 'lookup', now, null, this.maxParentLabels, out);
        break;
      case 'url':
        matchUrlIn(feeds, trimmed, 'lookup', now, null, out);
        break;
      case 'md5':
      case 'sha1':
      case 'sha256':
        matchHashIn(feeds, trimmed, 'lookup', now, null, out);
        break;
      default:
        break;
    }
    return out;
  }
}

/** Whether a feed applies to an event of `agency` (null: the caller filtered the feeds already). */
function applies(f: IntelFeedView, agency: string | undefined | null): boolean {
  return f.agencies === undefined || agency === null || (agency !== undefined && f.agencies.has(agency));
}

function matchIpIn(feeds: readonly IntelFeedView[], value: string, field: string, now: number, agency: string | undefined | null, out: IntelMatch[]): void {
  let v4 = parseIpv4(value);
  if (v4 < 0) {
    if (!parseIpv6(value, groups)) return;
    v4 = mappedIpv4(groups);
  }
  for (let i = 0; i < feeds.length; i++) {
    const f = feeds[i];
    if (!applies(f, agency)) continue;
    const ind = v4 >= 0 ? f.index.matchIpv4(v4, now, f.defaultUntil) : f.index.matchIpv6(groups, now, f.defaultUntil);
    if (ind !== undefined) out.push({ feed: f, indicator: ind, field, value });
  }
}

function matchDomainIn(
  feeds: readonly IntelFeedView[],
  value: string,
  field: string,
  now: number,
  agency: string | undefined | null,
  maxParentLabels: number,
  out: IntelMatch[],
): void {
  if (value.length === 0) return;
  for (let i = 0; i < feeds.length; i++) {
    const f = feeds[i];
    if (!applies(f, agency)) continue;
    const ind = f.index.matchDomain(value, now, f.defaultUntil, maxParentLabels);
    if (ind !== undefined) out.push({ feed: f, indicator: ind, field, value });
  }
}

function matchUrlIn(feeds: readonly IntelFeedView[], value: string, field: string, now: number, agency: string | undefined | null, out: IntelMatch[]): void {
  const key = urlKey(value);
  if (key === undefined) return;
  for (let i = 0; i < feeds.length; i++) {
    const f = feeds[i];
    if (!applies(f, agency)) continue;
    const ind = f.index.matchUrl(key, now, f.defaultUntil);
    if (ind !== undefined) out.push({ feed: f, indicator: ind, field, value });
  }
}

function matchHashIn(feeds: readonly IntelFeedView[], value: string, field: string, now: number, agency: string | undefined | null, out: IntelMatch[]): void {
  const type = hashTypeOfLength(value.length);
  if (type === undefined) return;
  const key = value.toLowerCase();
  for (let i = 0; i < feeds.length; i++) {
    const f = feeds[i];
    if (!applies(f, agency)) continue;
    const ind = f.index.matchHash(type as 'md5' | 'sha1' | 'sha256', key, now, f.defaultUntil);
    if (ind !== undefined) out.push({ feed: f, indicator: ind, field, value });
  }
}
