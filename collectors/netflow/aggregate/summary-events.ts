/**
 * `netflow.summary` events: what a closed minute looked like, for flow analytics rules in correlation/
 * (collectors only report; rules decide). Per minute, bounded: the `topN` sources by distinct destination
 * ports (port scan), by distinct destination hosts (host scan) and by bytes sent out of the perimeter
 * (exfiltration), each source once; the `topN` destinations by bytes, by packets and by distinct sources
 * (volumetric DDoS); one event per exporter with its totals. Field reference: docs/flows.md.
 */
import type { EcsEvent } from '../../../core/event';
import type { FlowEventIds } from '../normalize/event-ids';
import type { MinuteBaselines } from './activity-baselines';
import type { ExternalServiceActivity } from './external-services';
import type { DestinationActivity, MinuteActivity, SourceActivity } from './minute-activity';
import { MINUTE_MS } from './minute-aggregator';
import { baselineRatio, baselineZscore, type BaselineComparison } from './rate-baselines';
import { ianaNumber, transportName } from '../normalize/protocols';
import { drainSteps, STEP_ITEMS, type Steps } from './slices';

export type SummaryRanking =
  | 'destination_ports'
  | 'destination_hosts'
  | 'outbound_bytes'
  | 'bytes'
  | 'packets'
  | 'sources';

/** The `netflow.summary` namespace. */
export interface FlowSummaryFields {
  /** `source`, `destination`, `exporter` or `service` (a new externally reachable service): whose minute this is. */
  role: 'source' | 'destination' | 'exporter' | 'service';
  window_seconds: number;
  /** Hour (0-23) of the minute's start in netflow.summary.timezone: rules about night-time traffic read it. */
  local_hour: number;
  flows: number;
  bytes: number;
  packets: number;
  /** Rankings that selected this address (why it was reported). */
  ranked_by: SummaryRanking[];
  /** Distinct counts stop at netflow.summary.maxDistinct; `distinct_capped` says one did. */
  distinct_capped?: boolean;
  distinct_destination_ports?: number;
  distinct_destination_hosts?: number;
  outbound_bytes?: number;
  outbound_flows?: number;
  distinct_sources?: number;
  /** Exporter events: flows of untracked addresses this minute (netflow.summary.maxTracked reached). */
  untracked?: number;
  /** Exporter events: flows folded into "other" aggregate rows this minute (maxKeysPerMinute reached). */
  overflow_flows?: number;
  /**
   * Learned baseline (netflow.baseline): of `packets` for destinations, of `outbound_bytes` for sources.
   * Absent when baselines are off or the source sent nothing out.
   */
  baseline_metric?: 'packets' | 'outbound_bytes';
  /** The address's usual value per minute (exponentially weighted mean before this minute). */
  baseline_mean?: number;
  /** This minute's value / max(baseline_mean, 1). */
  baseline_ratio?: number;
  /** (value - baseline_mean) / max(standard deviation, 1). */
  zscore?: number;
  /** The baseline was learned for at least netflow.baseline.warmupMinutes: rules rely only on warm ones. */
  baseline_warm?: boolean;
  /** Sources: the host's hour-of-day profile of outbound bytes per minute for this local hour (netflow.baseline.hourly). */
  hourly_baseline_mean?: number;
  hourly_baseline_ratio?: number;
  hourly_baseline_zscore?: number;
  /** The profile was learned for at least netflow.baseline.hourly.warmupDays. */
  hourly_baseline_warm?: boolean;
  /** new_external_service events: distinct outside addresses the service answered this minute. */
  distinct_clients?: number;
}

/**
 * The `n` items of highest positive score, highest first, ties in input order (what a stable sort of
 * them all gives): offered one by one, keeping the best n sorted, instead of sorting tens of thousands
 * of entries on the event loop at each minute close.
 */
export class TopKeeper<T> {
  readonly best: T[] = [];
  private readonly scores: number[] = [];
  constructor(private readonly n: number) {}

  offer(item: T, v: number): void {
    const n = this.n;
    const best = this.best;
    const scores = this.scores;
    if (n <= 0 || v <= 0 || (best.length === n && v <= scores[n - 1])) return;
    // After every kept item of the same score: a later item loses ties.
    let at = best.length;
    while (at > 0 && scores[at - 1] < v) at--;
    best.splice(at, 0, item);
    scores.splice(at, 0, v);
    if (best.length > n) {
      best.pop();
      scores.pop();
    }
  }
}

/** TopKeeper over a whole array. */
export function topBy<T>(items: readonly T[], n: number, score: (item: T) => number): T[] {
  const top = new TopKeeper<T>(n);
  for (let i = 0; i < items.length; i++) top.offer(items[i], score(items[i]));
  return top.best;
}

function mark<T>(selected: Map<T, SummaryRanking[]>, items: readonly T[], ranking: SummaryRanking): void {
  for (const item of items) {
    const r = selected.get(item);
    if (r === undefined) selected.set(item, [ranking]);
    else r.push(ranking);
  }
}

/**
 * The top `topN` entries by each ranking, kept in one pass that pauses every STEP_ITEMS entries, and
 * for each entry chosen the rankings that chose it (in the rankings' order).
 */
function* rankEntries<T>(entries: readonly T[], topN: number, rankings: ReadonlyArray<readonly [SummaryRanking, (entry: T) => number]>): Steps<Map<T, SummaryRanking[]>> {
  const keepers = rankings.map(() => new TopKeeper<T>(topN));
  for (let i = 0; i < entries.length; i++) {
    if (i % STEP_ITEMS === STEP_ITEMS - 1) yield;
    const entry = entries[i];
    for (let k = 0; k < rankings.length; k++) keepers[k].offer(entry, rankings[k][1](entry));
  }
  const chosen = new Map<T, SummaryRanking[]>();
  for (let k = 0; k < rankings.length; k++) mark(chosen, keepers[k].best, rankings[k][0]);
  return chosen;
}

export interface SummaryEventContext {
  minute: number;
  /** When the minute was closed (event.created). */
  closedIso: string;
  topN: number;
  maxDistinct: number;
  overflowFlows: number;
  /** The minute's hour in the configured timezone (localHourOf). */
  localHour: number;
  ids: FlowEventIds;
  /** This minute's baseline comparisons; null when baselines are off. */
  baselines?: MinuteBaselines | null;
}

function setHourlyBaseline(summary: FlowSummaryFields, value: number, b: BaselineComparison | undefined): void {
  if (b === undefined) return;
  summary.hourly_baseline_mean = Math.round(b.mean);
  summary.hourly_baseline_ratio = baselineRatio(value, b);
  summary.hourly_baseline_zscore = baselineZscore(value, b);
  summary.hourly_baseline_warm = b.warm;
}

function setBaseline(summary: FlowSummaryFields, metric: 'packets' | 'outbound_bytes', value: number, b: BaselineComparison | undefined): void {
  if (b === undefined) return;
  summary.baseline_metric = metric;
  summary.baseline_mean = Math.round(b.mean);
  summary.baseline_ratio = baselineRatio(value, b);
  summary.zscore = baselineZscore(value, b);
  summary.baseline_warm = b.warm;
}

/**
 * Hour of day in a timezone, for night-time rules: Sigma compares fields, it cannot convert times. One
 * formatter per timezone; called once per closed minute, not per flow.
 */
export class LocalHourClock {
  private readonly format: Intl.DateTimeFormat;
  private readonly full: Intl.DateTimeFormat;

  /** Throws a RangeError naming the zone when the IANA timezone is unknown. */
  constructor(readonly timezone: string) {
    this.format = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', hourCycle: 'h23' });
    this.full = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  }

  hourOf(epochMs: number): number {
    return Number(this.format.format(epochMs));
  }

  /** Minutes since 1970-01-01 00:00 on the local wall clock (hour-of-day baselines); once per closed minute. */
  localMinuteOf(epochMs: number): number {
    let y = 0;
    let mo = 0;
    let d = 0;
    let h = 0;
    let mi = 0;
    for (const part of this.full.formatToParts(epochMs)) {
      if (part.type === 'year') y = Number(part.value);
      else if (part.type === 'month') mo = Number(part.value);
      else if (part.type === 'day') d = Number(part.value);
      else if (part.type === 'hour') h = Number(part.value);
      else if (part.type === 'minute') mi = Number(part.value);
    }
    return Math.floor(Date.UTC(y, mo - 1, d, h, mi) / MINUTE_MS);
  }
}

export function baseEvent(c: SummaryEventContext, action: string): EcsEvent {
  const start = new Date(c.minute).toISOString();
  return {
    '@timestamp': start,
    event: {
      id: c.ids.next(),
      created: c.closedIso,
      ingested: c.closedIso,
      kind: 'metric',
      category: ['network'],
      type: ['info'],
      action,
      dataset: 'netflow.summary',
      module: 'netflow',
      start,
      end: new Date(c.minute + MINUTE_MS).toISOString(),
      duration: MINUTE_MS * 1_000_000,
    },
  };
}

function sourceEvent(c: SummaryEventContext, s: SourceActivity, ranked: SummaryRanking[]): EcsEvent {
  const e = baseEvent(c, 'source_activity');
  e.organization = { id: s.agency.id, name: s.agency.name };
  e.source = { ip: s.ip, bytes: s.bytes, packets: s.packets };
  e.observer = { ip: [s.exporter] };
  const summary: FlowSummaryFields = {
    role: 'source',
    window_seconds: MINUTE_MS / 1000,
    local_hour: c.localHour,
    flows: s.flows,
    bytes: s.bytes,
    packets: s.packets,
    ranked_by: ranked,
    distinct_destination_ports: s.distinctPorts,
    distinct_destination_hosts: s.distinctHosts,
    outbound_bytes: s.outboundBytes,
    outbound_flows: s.outboundFlows,
  };
  if (s.distinctPorts >= c.maxDistinct || s.distinctHosts >= c.maxDistinct) summary.distinct_capped = true;
  if (c.baselines != null) {
    setBaseline(summary, 'outbound_bytes', s.outboundBytes, c.baselines.sources.get(s));
    setHourlyBaseline(summary, s.outboundBytes, c.baselines.sourcesHourly.get(s));
  }
  e.netflow = { summary };
  return e;
}

function destinationEvent(c: SummaryEventContext, d: DestinationActivity, ranked: SummaryRanking[]): EcsEvent {
  const e = baseEvent(c, 'destination_activity');
  e.organization = { id: d.agency.id, name: d.agency.name };
  e.destination = { ip: d.ip, bytes: d.bytes, packets: d.packets };
  e.observer = { ip: [d.exporter] };
  const summary: FlowSummaryFields = {
    role: 'destination',
    window_seconds: MINUTE_MS / 1000,
    local_hour: c.localHour,
    flows: d.flows,
    bytes: d.bytes,
    packets: d.packets,
    ranked_by: ranked,
    distinct_sources: d.distinctSources,
    distinct_destination_ports: d.distinctPorts,
  };
  if (d.distinctSources >= c.maxDistinct || d.distinctPorts >= c.maxDistinct) summary.distinct_capped = true;
  if (c.baselines != null) setBaseline(summary, 'packets', d.packets, c.baselines.destinations.get(d));
  e.netflow = { summary };
  return e;
}

/**
 * The summary events of one closed minute. Exporter events belong to `exporterAgency(exporter)` (the
 * exporter's own agency, as sFlow counters do).
 */
export function buildSummaryEvents(activity: MinuteActivity, c: SummaryEventContext, exporterAgency: (exporter: string) => { id: string; name: string }): EcsEvent[] {
  return drainSteps(buildSummaryEventsSteps(activity, c, exporterAgency));
}

/**
 * buildSummaryEvents pausing every STEP_ITEMS entries (slices.ts): the three rankings of each side are
 * kept in one pass over its entries (at 60,000 entries the six whole passes took ~5-10 ms of CPU
 * between two pauses). Same events in the same order.
 */
export function* buildSummaryEventsSteps(activity: MinuteActivity, c: SummaryEventContext, exporterAgency: (exporter: string) => { id: string; name: string }): Steps<EcsEvent[]> {
  const out: EcsEvent[] = [];
  const sources = activity.sources();
  yield;
  const chosenSources = yield* rankEntries(sources, c.topN, [
    ['destination_ports', (s) => s.distinctPorts],
    ['destination_hosts', (s) => s.distinctHosts],
    ['outbound_bytes', (s) => s.outboundBytes],
  ]);
  for (const [s, ranked] of chosenSources) out.push(sourceEvent(c, s, ranked));
  yield;

  const destinations = activity.destinations();
  yield;
  const chosenDestinations = yield* rankEntries(destinations, c.topN, [
    ['bytes', (d) => d.bytes],
    ['packets', (d) => d.packets],
    ['sources', (d) => d.distinctSources],
  ]);
  for (const [d, ranked] of chosenDestinations) out.push(destinationEvent(c, d, ranked));
  yield;

  for (const x of activity.exporters.values()) {
    const e = baseEvent(c, 'exporter_activity');
    const agency = exporterAgency(x.exporter);
    e.organization = { id: agency.id, name: agency.name };
    e.observer = { ip: [x.exporter] };
    const summary: FlowSummaryFields = {
      role: 'exporter',
      window_seconds: MINUTE_MS / 1000,
      local_hour: c.localHour,
      flows: x.flows,
      bytes: x.bytes,
      packets: x.packets,
      ranked_by: [],
      untracked: activity.untracked,
      overflow_flows: c.overflowFlows,
    };
    e.netflow = { summary };
    out.push(e);
  }
  return out;
}

/**
 * `new_external_service` events: an internal address answered outside addresses from a (protocol, port)
 * never seen before (external-services.ts). The service is the destination, as its clients reach it;
 * `source.ip` is one of the outside clients.
 */
export function buildServiceEvents(found: readonly ExternalServiceActivity[], c: SummaryEventContext, agencyName: (id: string) => string): EcsEvent[] {
  const out: EcsEvent[] = [];
  for (const s of found) {
    const e = baseEvent(c, 'new_external_service');
    if (e.event !== undefined) e.event.type = ['info', 'start'];
    e.organization = { id: s.org, name: agencyName(s.org) };
    e.source = { ip: s.client };
    e.destination = { ip: s.ip, port: s.port, bytes: s.bytes, packets: s.packets };
    const transport = transportName(s.protocol);
    e.network = transport === undefined ? { iana_number: ianaNumber(s.protocol), direction: 'inbound' } : { transport, iana_number: ianaNumber(s.protocol), direction: 'inbound' };
    e.observer = { ip: [s.exporter] };
    const summary: FlowSummaryFields = {
      role: 'service',
      window_seconds: MINUTE_MS / 1000,
      local_hour: c.localHour,
      flows: s.flows,
      bytes: s.bytes,
      packets: s.packets,
      ranked_by: [],
      distinct_clients: s.clients,
    };
    e.netflow = { summary };
    out.push(e);
  }
  return out;
}
