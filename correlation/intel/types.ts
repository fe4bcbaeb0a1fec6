/**
 * Shapes shared by the intel importers, the index and the API: an indicator as an importer yields
 * it, as the index stores it, and what a match carries.
 */

/**
 * `domain` matches the name and its subdomains (MISP `domain`, STIX `domain-name`, list entries);
 * `hostname` matches that exact name only (MISP `hostname`).
 */
export const INDICATOR_TYPES = ['ipv4', 'ipv6', 'domain', 'hostname', 'url', 'md5', 'sha1', 'sha256'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

/** What an indicator says about itself; one object shared by every value of the same STIX indicator, MISP event or list feed. */
export interface IndicatorMeta {
  /** Where it came from inside the feed: a STIX indicator id, a MISP event uuid, a list file. */
  source: string;
  name?: string;
  description?: string;
  /** STIX labels / indicator_types, MISP tags (other than ATT&CK), CSV tags. */
  labels: readonly string[];
  /** Sigma-style ATT&CK tags (`attack.t1071.001`, `attack.command-and-control`) the alert inherits. */
  attack: readonly string[];
  /** A link for the analyst (STIX external reference URL, MISP event). */
  reference?: string;
  /** Traffic Light Protocol marking, lowercase (`white`, `green`, `amber`, `red`, `clear`). */
  tlp?: string;
}

/** One value an importer read, already canonical (see normalize.ts). */
export interface ParsedIndicator {
  type: IndicatorType;
  /** Canonical value; CIDR ranges as `10.0.0.0/8` (host bits cleared). */
  value: string;
  /** 0..100; undefined: the feed's default. */
  confidence?: number;
  /** Epoch ms; undefined: none. */
  validFrom?: number;
  validUntil?: number;
  /** When the source says it was first seen (epoch ms). */
  firstSeen?: number;
  meta: IndicatorMeta;
}

/**
 * An indicator as the index holds it. Times are epoch seconds (small integers: a million indicators
 * stay compact); 0 means "none".
 */
export interface Indicator {
  readonly type: IndicatorType;
  readonly value: string;
  readonly confidence: number;
  /** First load of the feed that contained it (or the source's own first-seen date, if earlier). */
  readonly firstSeen: number;
  readonly validFrom: number;
  /** 0: the feed's default expiry applies (last seen + expiryDays). */
  readonly validUntil: number;
  readonly meta: IndicatorMeta;
}

/** One problem with one entry of a feed: the entry is skipped, the rest loads. */
export interface ImportIssue {
  /** `line 12`, `objects[3] (indicator--…)`, `Event 5f1…/Attribute[7]`. */
  position: string;
  reason: string;
}

/** Issues kept per import (the counts are exact; the lists are bounded). */
export const MAX_LISTED_ISSUES = 100;

export class ImportReport {
  readonly indicators: ParsedIndicator[] = [];
  /** Entries that could not be read (bad value, schema violation). */
  invalid = 0;
  /** Well-formed entries socnoc cannot match on (STIX patterns with AND, other observable types…). */
  unsupported = 0;
  /** Entries left out on purpose (revoked, MISP to_ids false, deleted). */
  skipped = 0;
  readonly errors: ImportIssue[] = [];
  readonly unsupportedList: ImportIssue[] = [];

  error(position: string, reason: string): void {
    this.invalid++;
    if (this.errors.length < MAX_LISTED_ISSUES) this.errors.push({ position, reason });
  }

  notSupported(position: string, reason: string): void {
    this.unsupported++;
    if (this.unsupportedList.length < MAX_LISTED_ISSUES) this.unsupportedList.push({ position, reason });
  }
}

/** Whole-document failure (not JSON, not a bundle): the feed keeps its previous indicators. */
export class IntelImportError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`${input}: ${reason}`);
    this.name = 'IntelImportError';
  }
}
