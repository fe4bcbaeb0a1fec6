/**
 * Intel matching as a detection stage: every event's addresses, names, URLs and hashes are looked
 * up in the IntelIndex; each (feed, indicator) it matches raises a DetectionHit, which the runtime
 * folds into one alert per feed, indicator and agency within the dedup window. The alert's sample
 * event carries the match under ECS `threat.enrichments` (indicator, feed, matched field).
 *
 * The common case is no match: that path reads a dozen properties and does one map lookup per
 * value present, allocating nothing.
 */
import type { EcsEvent } from '../../core/event';
import type { AlertSeverity } from '../alerts/types';
import type { AlertRuleSource } from '../alerts/rule-info';
import type { DetectionHit, DetectionStage } from '../runtime/types';
import type { IntelIndex, IntelMatch } from './intel-index';
import type { IntelStats } from './metrics';
import { ecsIndicatorType } from './normalize';

export interface IntelStageOptions {
  /** Indicators below this confidence raise no alert. */
  minConfidence: number;
  stats?: IntelStats;
  /** Wall clock in ms (expiry); replaceable in tests. */
  now?: () => number;
}

/** Fields of events that EcsEvent does not type (ECS names). */
interface IntelEventFields {
  related?: { ip?: unknown; hash?: unknown; hosts?: unknown };
  dns?: { question?: { name?: unknown } };
  url?: { full?: unknown; original?: unknown; domain?: unknown };
  file?: { hash?: { md5?: unknown; sha1?: unknown; sha256?: unknown } };
  process?: { hash?: { md5?: unknown; sha1?: unknown; sha256?: unknown } };
}

/** ATT&CK and compliance mappings every intel alert carries: CSF 2.0 DE.AE-07 (threat intel in analysis), ISO 27001:2022 A.5.7 (threat intelligence). */
const INTEL_MAPPINGS = { socnoc: { nist_csf: ['DE.AE-07'], iso27001: ['A.5.7'] } };

export const INTEL_RULESET = 'intel';

/** Confidence → alert level: 70 and above high, 30 to 69 medium, below 30 low. */
export function levelOfConfidence(confidence: number): AlertSeverity {
  return confidence >= 70 ? 'high' : confidence >= 30 ? 'medium' : 'low';
}

/** ECS threat.indicator.confidence words. */
function confidenceWord(confidence: number): string {
  return confidence >= 70 ? 'High' : confidence >= 30 ? 'Medium' : confidence > 0 ? 'Low' : 'None';
}

function iso(seconds: number): string | undefined {
  return seconds > 0 ? new Date(seconds * 1000).toISOString() : undefined;
}

/** The ECS `threat.enrichments[]` entry of one match. */
export function enrichmentOf(m: IntelMatch): Record<string, unknown> {
  const ind = m.indicator;
  const meta = ind.meta;
  const indicator: Record<string, unknown> = {
    type: ecsIndicatorType(ind.type),
    name: ind.value,
    provider: m.feed.name,
    confidence: confidenceWord(ind.confidence),
    first_seen: iso(ind.firstSeen),
    last_seen: iso(m.feed.lastSeen),
  };
  if (meta.description !== undefined) indicator.description = meta.description;
  else if (meta.name !== undefined) indicator.description = meta.name;
  if (meta.reference !== undefined) indicator.reference = meta.reference;
  if (meta.tlp !== undefined) indicator.marking = { tlp: meta.tlp.toUpperCase() };
  switch (ind.type) {
    case 'ipv4':
    case 'ipv6':
      if (ind.value.indexOf('/') < 0) indicator.ip = ind.value;
      break;
    case 'url':
      indicator.url = { full: ind.value };
      break;
    case 'md5':
    case 'sha1':
    case 'sha256':
      indicator.file = { hash: { [ind.type]: ind.value } };
      break;
    default:
      indicator.url = { domain: ind.value };
  }
  const until = ind.validUntil !== 0 ? ind.validUntil : m.feed.defaultUntil;
  return {
    indicator,
    matched: { atomic: m.value, field: m.field, type: 'indicator_match_rule', id: meta.source, index: m.feed.name },
    feed: { name: m.feed.name },
    socnoc: { confidence: ind.confidence, labels: [...meta.labels], name: meta.name, valid_until: iso(until), range: ind.value.indexOf('/') >= 0 ? ind.value : undefined },
  };
}

class IntelDetectionStage implements DetectionStage {
  readonly name = 'intel';
  private readonly out: IntelMatch[] = [];
  /** One rule object per feed, level and ATT&CK tags: the runtime caches alert data per rule object. */
  private readonly rules = new Map<string, AlertRuleSource>();
  private readonly now: () => number;

  constructor(
    private readonly index: IntelIndex,
    private readonly options: IntelStageOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  load(): void {
    // Indicators come from feeds, not from rule files.
  }

  process(event: EcsEvent, _matches: unknown, hits: DetectionHit[]): void {
    const stats = this.options.stats;
    if (stats !== undefined) stats.events++;
    if (this.index.allFeeds().length === 0) return;
    const out = this.out;
    out.length = 0;
    const index = this.index;
    const now = Math.floor(this.now() / 1000);
    const agency = event.organization?.id;
    const e = event as EcsEvent & IntelEventFields;
    const src = e.source;
    if (src !== undefined) {
      if (typeof src.ip === 'string') index.matchIp(src.ip, 'source.ip', now, agency, out);
      if (typeof src.domain === 'string') index.matchDomain(src.domain, 'source.domain', now, agency, out);
    }
    const dst = e.destination;
    if (dst !== undefined) {
      if (typeof dst.ip === 'string') index.matchIp(dst.ip, 'destination.ip', now, agency, out);
      if (typeof dst.domain === 'string') index.matchDomain(dst.domain, 'destination.domain', now, agency, out);
    }
    if (e.client !== undefined && typeof e.client.ip === 'string') index.matchIp(e.client.ip, 'client.ip', now, agency, out);
    if (e.server !== undefined && typeof e.server.ip === 'string') index.matchIp(e.server.ip, 'server.ip', now, agency, out);
    const dnsName = e.dns?.question?.name;
    if (typeof dnsName === 'string') index.matchDomain(dnsName, 'dns.question.name', now, agency, out);
    const url = e.url;
    if (url !== undefined) {
      if (typeof url.full === 'string') index.matchUrl(url.full, 'url.full', now, agency, out);
      else if (typeof url.original === 'string') index.matchUrl(url.original, 'url.original', now, agency, out);
      if (typeof url.domain === 'string') index.matchDomain(url.domain, 'url.domain', now, agency, out);
    }
    const fileHash = e.file?.hash;
    if (fileHash !== undefined) this.hashes(fileHash, 'file.hash', now, agency);
    const processHash = e.process?.hash;
    if (processHash !== undefined) this.hashes(processHash, 'process.hash', now, agency);
    const related = e.related;
    if (related !== undefined) {
      this.list(related.ip, 'related.ip', 0, now, agency);
      this.list(related.hash, 'related.hash', 1, now, agency);
      this.list(related.hosts, 'related.hosts', 2, now, agency);
    }
    if (out.length > 0) this.raise(event, hits);
  }

  private hashes(h: { md5?: unknown; sha1?: unknown; sha256?: unknown }, prefix: string, now: number, agency: string | undefined): void {
    if (typeof h.sha256 === 'string') this.index.matchHash(h.sha256, `${prefix}.sha256`, now, agency, this.out);
    if (typeof h.sha1 === 'string') this.index.matchHash(h.sha1, `${prefix}.sha1`, now, agency, this.out);
    if (typeof h.md5 === 'string') this.index.matchHash(h.md5, `${prefix}.md5`, now, agency, this.out);
  }

  /** ECS `related.*` are arrays (a lone string is accepted too). kind: 0 ip, 1 hash, 2 host. */
  private list(values: unknown, field: string, kind: 0 | 1 | 2, now: number, agency: string | undefined): void {
    if (values === undefined) return;
    const list = Array.isArray(values) ? values : [values];
    for (let i = 0; i < list.length; i++) {
      const v: unknown = list[i];
      if (typeof v !== 'string') continue;
      if (kind === 0) this.index.matchIp(v, field, now, agency, this.out);
      else if (kind === 1) this.index.matchHash(v, field, now, agency, this.out);
      else this.index.matchDomain(v, field, now, agency, this.out);
    }
  }

  private ruleFor(m: IntelMatch): AlertRuleSource {
    const level = m.feed.level ?? levelOfConfidence(m.indicator.confidence);
    const attack = m.indicator.meta.attack;
    const key = `${m.feed.name}\u0000${level}\u0000${attack.join(',')}`;
    let rule = this.rules.get(key);
    if (rule === undefined) {
      rule = { id: `intel:${m.feed.name}`, title: `Threat intel match: ${m.feed.name}`, level, tags: [...attack], raw: INTEL_MAPPINGS };
      this.rules.set(key, rule);
    }
    return rule;
  }

  private raise(event: EcsEvent, hits: DetectionHit[]): void {
    const matches: IntelMatch[] = [];
    for (const m of this.out) {
      if (m.indicator.confidence < this.options.minConfidence) continue;
      // The same indicator seen in two fields (source.ip and related.ip) is one detection.
      if (matches.some((x) => x.indicator === m.indicator && x.feed === m.feed)) continue;
      matches.push(m);
      const stats = this.options.stats;
      if (stats !== undefined) stats.feed(m.feed.name).matches++;
    }
    this.out.length = 0;
    if (matches.length === 0) return;
    const threat: Record<string, unknown> = { ...(event.threat ?? {}), enrichments: matches.map(enrichmentOf) };
    const enriched = { ...event, threat } as EcsEvent;
    for (const m of matches) {
      hits.push({
        rule: this.ruleFor(m),
        events: [enriched],
        group: { 'threat.indicator.type': ecsIndicatorType(m.indicator.type), 'threat.indicator.name': m.indicator.value },
        ruleset: INTEL_RULESET,
      });
      if (this.options.stats !== undefined) this.options.stats.hits++;
    }
  }
}

/** The stage to add to the detection engine: `engine.addStage(intelStage(index, options))`. */
export function intelStage(index: IntelIndex, options: IntelStageOptions): DetectionStage {
  return new IntelDetectionStage(index, options);
}
