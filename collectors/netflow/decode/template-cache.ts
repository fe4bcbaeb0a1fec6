/**
 * Templates, options-derived state and early data, per exporter + observation domain.
 *
 * Scope (RFC 3954 s5.1, RFC 7011 s8): a template ID means something only within one exporter (transport
 * session for IPFIX over TCP) and one source ID / observation domain ID. v9 and IPFIX are kept apart too.
 * Every table here is bounded: domains and templates per domain are evicted least-recently-used, data
 * waiting for its template is capped by count, bytes and age. Expiry is checked lazily on access and by
 * a sweep at most once per sweep interval, so no timer is needed.
 */
import type { FlowTemplate } from './template';

export interface FlowTemplateCacheOptions {
  /** A template not refreshed for this long is forgotten (UDP only). 0 keeps templates until replaced. */
  templateTimeoutMs: number;
  maxDomains: number;
  maxTemplatesPerDomain: number;
  /** Data sets held while their template is unknown; 0 disables buffering (they are dropped). */
  pendingMaxSets: number;
  pendingMaxBytes: number;
  pendingMaxAgeMs: number;
}

export const DEFAULT_TEMPLATE_CACHE_OPTIONS: FlowTemplateCacheOptions = {
  // Cisco exports templates every 30 min by default; three missed refreshes is the usual collector rule.
  templateTimeoutMs: 90 * 60 * 1000,
  maxDomains: 4096,
  maxTemplatesPerDomain: 512,
  pendingMaxSets: 256,
  pendingMaxBytes: 1024 * 1024,
  pendingMaxAgeMs: 10_000,
};

/** Export-packet facts a data set needs to be decoded later, away from its packet. */
export interface ExportHeader {
  format: 'netflow_v9' | 'ipfix';
  exporter: string;
  sourceId: number;
  sequence: number;
  exportTimeMs: number;
  /** v9 header sysUpTime (ms); -1 for IPFIX, whose relative times use systemInitTimeMilliseconds. */
  sysUpTimeMs: number;
}

export interface FlowDomain {
  key: string;
  templates: Map<number, FlowTemplate>;
  /** Sampling rate from options data without a sampler ID (exporter-wide); 0 when not announced. */
  samplingRate: number;
  /** Sampling rates from options data keyed by samplerId / selectorId. */
  samplerRates: Map<number, number>;
  /** IPFIX systemInitTimeMilliseconds from options data; 0 when not announced. */
  systemInitMs: number;
  lastSeenMs: number;
}

export interface PendingSet {
  domainKey: string;
  templateId: number;
  body: Buffer;
  header: ExportHeader;
  receivedMs: number;
}

export interface FlowTemplateCacheStats {
  domains: number;
  templates: number;
  pendingSets: number;
  pendingBytes: number;
  templatesLearned: number;
  templatesRedefined: number;
  templatesWithdrawn: number;
  templatesExpired: number;
  templatesEvicted: number;
  domainsEvicted: number;
  setsBuffered: number;
  setsReplayed: number;
  /** Dropped because the buffer was full or disabled. */
  setsDroppedFull: number;
  /** Dropped because their template did not arrive within pendingMaxAgeMs. */
  setsDroppedExpired: number;
  /** Buffered sets that failed to decode once their template arrived. */
  setsDroppedMalformed: number;
}

export class FlowTemplateCache {
  readonly options: FlowTemplateCacheOptions;
  readonly stats: FlowTemplateCacheStats = {
    domains: 0,
    templates: 0,
    pendingSets: 0,
    pendingBytes: 0,
    templatesLearned: 0,
    templatesRedefined: 0,
    templatesWithdrawn: 0,
    templatesExpired: 0,
    templatesEvicted: 0,
    domainsEvicted: 0,
    setsBuffered: 0,
    setsReplayed: 0,
    setsDroppedFull: 0,
    setsDroppedExpired: 0,
    setsDroppedMalformed: 0,
  };
  private readonly domains = new Map<string, FlowDomain>();
  private pending: PendingSet[] = [];
  private lastSweepMs = 0;

  constructor(options: Partial<FlowTemplateCacheOptions> = {}) {
    this.options = { ...DEFAULT_TEMPLATE_CACHE_OPTIONS, ...options };
  }

  static domainKey(scope: string, format: 'netflow_v9' | 'ipfix', sourceId: number): string {
    return scope + '|' + format + '|' + sourceId;
  }

  /** The domain for a key, created on first use; touching it makes it most recently used. */
  domain(key: string, nowMs: number): FlowDomain {
    this.maybeSweep(nowMs);
    let d = this.domains.get(key);
    if (d) {
      // Refresh LRU position cheaply: only re-insert when it has not been seen for a second.
      if (nowMs - d.lastSeenMs > 1000) {
        this.domains.delete(key);
        this.domains.set(key, d);
      }
      d.lastSeenMs = nowMs;
      return d;
    }
    if (this.domains.size >= this.options.maxDomains) {
      const oldest = this.domains.keys().next().value;
      if (oldest !== undefined) this.dropDomain(oldest);
      this.stats.domainsEvicted++;
    }
    d = { key, templates: new Map(), samplingRate: 0, samplerRates: new Map(), systemInitMs: 0, lastSeenMs: nowMs };
    this.domains.set(key, d);
    this.stats.domains = this.domains.size;
    return d;
  }

  getTemplate(d: FlowDomain, id: number, nowMs: number): FlowTemplate | undefined {
    const t = d.templates.get(id);
    if (t === undefined) return undefined;
    if (this.isExpired(t, nowMs)) {
      d.templates.delete(id);
      this.stats.templatesExpired++;
      this.stats.templates--;
      return undefined;
    }
    return t;
  }

  /** Stores or refreshes a template; an identical one only has its refresh time moved. */
  putTemplate(d: FlowDomain, t: FlowTemplate, nowMs: number): void {
    const old = d.templates.get(t.id);
    if (old !== undefined) {
      if (old.signature === t.signature && old.options === t.options) {
        old.refreshedMs = nowMs;
        old.expires = t.expires;
        return;
      }
      d.templates.delete(t.id);
      this.stats.templates--;
      this.stats.templatesRedefined++;
    } else {
      this.stats.templatesLearned++;
    }
    if (d.templates.size >= this.options.maxTemplatesPerDomain) {
      const oldest = d.templates.keys().next().value;
      if (oldest !== undefined) {
        d.templates.delete(oldest);
        this.stats.templates--;
        this.stats.templatesEvicted++;
      }
    }
    d.templates.set(t.id, t);
    this.stats.templates++;
  }

  /** IPFIX template withdrawal (RFC 7011 s8.1). Returns whether a template was removed. */
  withdrawTemplate(d: FlowDomain, id: number): boolean {
    if (!d.templates.delete(id)) return false;
    this.stats.templates--;
    this.stats.templatesWithdrawn++;
    return true;
  }

  /** "All data templates" (set ID 2) or "all options templates" (set ID 3) withdrawn at once. */
  withdrawAll(d: FlowDomain, options: boolean): number {
    let n = 0;
    for (const [id, t] of d.templates) {
      if (t.options === options) {
        d.templates.delete(id);
        n++;
      }
    }
    this.stats.templates -= n;
    this.stats.templatesWithdrawn += n;
    return n;
  }

  /** Holds a copy of a data set whose template is unknown. False when it had to be dropped. */
  bufferSet(d: FlowDomain, templateId: number, body: Buffer, header: ExportHeader, nowMs: number): boolean {
    const o = this.options;
    this.expirePending(nowMs);
    if (this.pending.length >= o.pendingMaxSets || this.stats.pendingBytes + body.length > o.pendingMaxBytes) {
      this.stats.setsDroppedFull++;
      return false;
    }
    this.pending.push({ domainKey: d.key, templateId, body: Buffer.from(body), header, receivedMs: nowMs });
    this.stats.pendingBytes += body.length;
    this.stats.pendingSets = this.pending.length;
    this.stats.setsBuffered++;
    return true;
  }

  /** Removes and returns the sets that waited for this template, oldest first. */
  takePending(d: FlowDomain, templateId: number, nowMs: number): PendingSet[] {
    if (this.pending.length === 0) return [];
    this.expirePending(nowMs);
    const taken: PendingSet[] = [];
    const kept: PendingSet[] = [];
    for (const p of this.pending) {
      if (p.domainKey === d.key && p.templateId === templateId) taken.push(p);
      else kept.push(p);
    }
    if (taken.length === 0) return taken;
    this.pending = kept;
    for (const p of taken) this.stats.pendingBytes -= p.body.length;
    this.stats.pendingSets = kept.length;
    this.stats.setsReplayed += taken.length;
    return taken;
  }

  /** Forgets everything learned in one scope, e.g. when an IPFIX TCP session closes. */
  forgetScope(scope: string): void {
    const prefix = scope + '|';
    for (const key of [...this.domains.keys()]) if (key.startsWith(prefix)) this.dropDomain(key);
    this.pending = this.pending.filter((p) => !p.domainKey.startsWith(prefix));
    this.recountPending();
  }

  /** Drops expired templates and pending sets everywhere (also runs by itself as packets arrive). */
  sweep(nowMs: number): void {
    this.lastSweepMs = nowMs;
    this.expirePending(nowMs);
    if (this.options.templateTimeoutMs <= 0) return;
    for (const d of this.domains.values()) {
      for (const [id, t] of d.templates) {
        if (this.isExpired(t, nowMs)) {
          d.templates.delete(id);
          this.stats.templates--;
          this.stats.templatesExpired++;
        }
      }
    }
  }

  private maybeSweep(nowMs: number): void {
    const interval = Math.min(60_000, Math.max(1000, this.options.templateTimeoutMs / 4));
    if (nowMs - this.lastSweepMs >= interval) this.sweep(nowMs);
  }

  private isExpired(t: FlowTemplate, nowMs: number): boolean {
    const timeout = this.options.templateTimeoutMs;
    return t.expires && timeout > 0 && nowMs - t.refreshedMs > timeout;
  }

  private expirePending(nowMs: number): void {
    if (this.pending.length === 0) return;
    const maxAge = this.options.pendingMaxAgeMs;
    if (nowMs - this.pending[0].receivedMs <= maxAge) return;
    const kept = this.pending.filter((p) => nowMs - p.receivedMs <= maxAge);
    this.stats.setsDroppedExpired += this.pending.length - kept.length;
    this.pending = kept;
    this.recountPending();
  }

  private recountPending(): void {
    let bytes = 0;
    for (const p of this.pending) bytes += p.body.length;
    this.stats.pendingBytes = bytes;
    this.stats.pendingSets = this.pending.length;
  }

  private dropDomain(key: string): void {
    const d = this.domains.get(key);
    if (!d) return;
    this.stats.templates -= d.templates.size;
    this.domains.delete(key);
    this.stats.domains = this.domains.size;
  }
}
