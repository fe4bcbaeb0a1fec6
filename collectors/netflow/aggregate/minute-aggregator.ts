/**
 * Flows folded into per-minute aggregate rows in memory, keyed by (minute, exporter, agency, source and
 * destination address, folded ports, protocol, input and output interface), then handed out when the
 * minute closes: its end plus a grace period for exporters that report late (active timeouts, export
 * intervals). A flow counts in the minute its last packet was seen, as nfdump files it.
 *
 * Bounded: at most `maxKeysPerMinute` keys per minute; flows of further keys are folded into one "other"
 * row per exporter and agency (src/dst '' and ports 0), so agency and exporter totals stay exact.
 * Flows of a minute already written (later than the grace) open a late bucket, written at the next close
 * check as extra rows for that minute (queries sum rows, so the totals come out right); flows dated
 * further back than `maxLatenessMs` or in the future are counted in the current minute (exporter clock).
 *
 * Per IPv4 flow: one probe of an open-addressing table by a hash of the key's numbers (v4-row-table.ts),
 * measured faster than the two Map lookups by address text it replaced; other flows: two Map lookups by
 * address (source, then destination) and a walk of the few rows that share the address pair. No
 * allocation once the key exists. A concatenated string key per flow was measured ~3x slower at 150,000
 * keys (a new string to hash and collect per flow). The collector adds flows unclassified
 * (addClassifying): a row keeps its agency, direction and activity entries, so a repeated flow costs the
 * probe alone (docs/flows.md, speed pass 4).
 */
import type { Agency } from '../../../core/tenancy';
import { ipv4Text } from '../decode/bytes';
import { fillAddressText, type FlowRecord } from '../decode/types';
import type { FlowPacketContext } from '../normalize/flow-tenancy';
import { MinuteActivity, type ActivityLimits, type DestinationActivity, type RowActivity, type SourceActivity } from './minute-activity';
import { PortFolder } from './ports';
import { drainSteps, STEP_ITEMS, type Steps } from './slices';
import { V4RowTable, v4KeyHash } from './v4-row-table';

export const MINUTE_MS = 60_000;

/** Dates a Date can hold; exporter clocks may say anything. */
const MAX_DATE_MS = 8.64e15;

export class FlowAggregateRow {
  bytes = 0;
  packets = 0;
  flows = 0;
  /** The next row of the same minute with the same source and destination address (non-IPv4 rows). */
  next: FlowAggregateRow | null = null;
  /** src / dst as unsigned 32-bit numbers for IPv4 rows (the V4RowTable key); -1 otherwise. */
  srcV4 = -1;
  dstV4 = -1;
  constructor(
    readonly minute: number,
    readonly exporter: string,
    readonly org: string,
    readonly src: string,
    readonly dst: string,
    readonly srcPort: number,
    readonly dstPort: number,
    readonly protocol: number,
    readonly inIf: number,
    readonly outIf: number,
  ) {}
}

/**
 * An open minute's IPv4 row, with what its flows share (hour rows, which outnumber them, do without):
 * what its first flow was classified with and to (addClassifying) — a later flow of the same key and the
 * same fallback agency has the same agency and direction, both functions of the two addresses and the
 * fallback, so it skips classification; `fallback` null for rows made by add() — and its activity
 * entries (MinuteActivity.addForRow). About 100 bytes more per row than FlowAggregateRow.
 */
export class FlowMinuteRow extends FlowAggregateRow implements RowActivity {
  fallback: Agency | null = null;
  agency: Agency | null = null;
  outbound = false;
  activityResolved = false;
  sourceActivity: SourceActivity | null = null;
  destinationActivity: DestinationActivity | null = null;
  hostCounted = false;
  portCounted = -1;
  pendingBytes = 0;
  pendingPackets = 0;
  pendingFlows = 0;
  pendingOutboundBytes = 0;
  pendingOutboundFlows = 0;
}

export interface ClosedMinute {
  /** Start of the minute, epoch ms. */
  minute: number;
  rows: FlowAggregateRow[];
  /** Rows for a minute already written before (late flows). */
  late: boolean;
  /** Flows folded into "other" rows because the minute held maxKeysPerMinute keys. */
  overflowFlows: number;
  /** Summary input; null when summaries are off or the bucket is late. */
  activity: MinuteActivity | null;
}

/** A flow's agency and whether it leaves the perimeter (FlowNormalizer.classify). */
export interface FlowClassifier {
  classify(flow: FlowRecord, ctx: FlowPacketContext): { agency: Agency; outbound: boolean };
}

export interface FlowAggregatorOptions {
  maxKeysPerMinute: number;
  graceMs: number;
  maxLatenessMs: number;
  servicePorts: readonly number[];
  /** Track per-minute activity for summary events; null: no summaries. */
  activity: ActivityLimits | null;
}

export interface FlowAggregatorStats {
  flows: number;
  /** Flows for a minute already closed (written as extra rows). */
  late: number;
  /** Flows dated too far back or ahead, counted in the minute they arrived. */
  clockSkew: number;
  overflowFlows: number;
  minutesClosed: number;
  rowsClosed: number;
}

/** An open minute's rows and activity; detached (detachDue) before it is finished and handed out. */
export class MinuteBucket {
  /** Rows of flows with IPv4 source and destination, by the key's numbers. */
  readonly v4 = new V4RowTable<FlowMinuteRow>();
  /** Other rows: source address -> destination address -> rows of that pair (chained by `next`). */
  readonly bySource = new Map<string, Map<string, FlowAggregateRow>>();
  size = 0;
  readonly other = new Map<string, FlowAggregateRow>();
  overflowFlows = 0;
  constructor(
    readonly minute: number,
    readonly late: boolean,
    readonly activity: MinuteActivity | null,
  ) {}
}

export class FlowMinuteAggregator {
  readonly stats: FlowAggregatorStats = { flows: 0, late: 0, clockSkew: 0, overflowFlows: 0, minutesClosed: 0, rowsClosed: 0 };
  private readonly buckets = new Map<number, MinuteBucket>();
  private readonly ports: PortFolder;
  /** Minutes up to and including this one have been handed out; -Infinity before the first close. */
  private closedThrough = -Infinity;
  /** The last bucket used: flows of one packet nearly always share a minute. */
  private last: MinuteBucket | null = null;
  /** The clock's minute when `last` was chosen. */
  private lastNowMinute = -Infinity;

  constructor(private readonly o: FlowAggregatorOptions) {
    this.ports = new PortFolder(o.servicePorts);
  }

  /** Keys held in the open buckets (for the memory gauge). */
  get openKeys(): number {
    let n = 0;
    for (const b of this.buckets.values()) n += b.size + b.other.size;
    return n;
  }

  /**
   * Adds one flow. `agency` is the flow's (source, destination, exporter, listener); `outbound` whether
   * it leaves the perimeter (network.direction outbound), for the summaries.
   */
  add(flow: FlowRecord, agency: Agency, outbound: boolean, nowMs: number): void {
    const o = this.o;
    this.stats.flows++;
    const bucket = this.bucketOf(flow, nowMs);
    const minute = bucket.minute;
    const exporter = flow.agentAddress.length > 0 ? flow.agentAddress : flow.exporter;
    const protocol = flow.protocol;
    const withPorts = PortFolder.hasPorts(protocol, flow.srcPort, flow.dstPort);
    const srcPort = withPorts ? this.ports.fold(flow.srcPort) : 0;
    const dstPort = withPorts ? this.ports.fold(flow.dstPort) : 0;
    const org = agency.id;
    const inIf = flow.inIf;
    const outIf = flow.outIf;
    let row: FlowAggregateRow | null | undefined;
    const srcV4 = flow.srcV4;
    const dstV4 = flow.dstV4;
    if (srcV4 >= 0 && dstV4 >= 0) {
      const hash = v4KeyHash(srcV4, dstV4, srcPort, dstPort, protocol, inIf, outIf);
      row = bucket.v4.find(hash, srcV4, dstV4, srcPort, dstPort, protocol, inIf, outIf, org, exporter);
      if (row === null && bucket.size < o.maxKeysPerMinute) {
        // Address text only for a new row (the record may carry none: lazyV4Text); the cache hands out one
        // string object per address.
        const v4Row = new FlowMinuteRow(minute, exporter, org, ipv4Text(srcV4), ipv4Text(dstV4), srcPort, dstPort, protocol, inIf, outIf);
        v4Row.srcV4 = srcV4;
        v4Row.dstV4 = dstV4;
        bucket.v4.insert(hash, v4Row);
        row = v4Row;
        bucket.size++;
      }
    } else {
      // An IPv6 or absent address beside a possibly text-less IPv4 one: keyed by text.
      fillAddressText(flow);
      row = this.otherAddressRow(bucket, flow, minute, exporter, org, srcPort, dstPort);
    }
    if (row === undefined || row === null) row = this.overflowRow(bucket, minute, exporter, org);
    row.bytes += flow.bytes;
    row.packets += flow.packets;
    row.flows++;
    if (bucket.activity !== null) {
      const initiated = !withPorts || !this.ports.isReply(flow.srcPort, flow.dstPort);
      bucket.activity.add(exporter, agency, flow.srcAddr, srcV4, flow.dstAddr, dstV4, withPorts ? flow.dstPort : -1, flow.bytes, flow.packets, outbound, initiated);
    }
  }

  /**
   * add() for a flow not yet classified: `classifier` gives its agency and direction (from its addresses
   * and `ctx.fallbackAgency`) only when the minute has no IPv4 row of its key classified with the same
   * fallback. Per IPv4 flow after a row's first: one row probe instead of two class lookups, the row probe
   * and two activity lookups; the totals, rows and activity come out as add() makes them.
   */
  addClassifying(flow: FlowRecord, ctx: FlowPacketContext, classifier: FlowClassifier, nowMs: number): void {
    const srcV4 = flow.srcV4;
    const dstV4 = flow.dstV4;
    if (srcV4 < 0 || dstV4 < 0) {
      const c = classifier.classify(flow, ctx);
      this.add(flow, c.agency, c.outbound, nowMs);
      return;
    }
    const o = this.o;
    this.stats.flows++;
    const bucket = this.bucketOf(flow, nowMs);
    const minute = bucket.minute;
    const exporter = flow.agentAddress.length > 0 ? flow.agentAddress : flow.exporter;
    const protocol = flow.protocol;
    const withPorts = PortFolder.hasPorts(protocol, flow.srcPort, flow.dstPort);
    const srcPort = withPorts ? this.ports.fold(flow.srcPort) : 0;
    const dstPort = withPorts ? this.ports.fold(flow.dstPort) : 0;
    const inIf = flow.inIf;
    const outIf = flow.outIf;
    const fallback = ctx.fallbackAgency;
    const hash = v4KeyHash(srcV4, dstV4, srcPort, dstPort, protocol, inIf, outIf);
    const known = bucket.v4.findClassified(hash, srcV4, dstV4, srcPort, dstPort, protocol, inIf, outIf, fallback, exporter);
    let row: FlowAggregateRow;
    let agency: Agency;
    let outbound: boolean;
    if (known !== null && known.agency !== null) {
      row = known;
      agency = known.agency;
      outbound = known.outbound;
    } else {
      const c = classifier.classify(flow, ctx);
      agency = c.agency;
      outbound = c.outbound;
      let found = bucket.v4.find(hash, srcV4, dstV4, srcPort, dstPort, protocol, inIf, outIf, agency.id, exporter);
      if (found === null && bucket.size < o.maxKeysPerMinute) {
        found = new FlowMinuteRow(minute, exporter, agency.id, ipv4Text(srcV4), ipv4Text(dstV4), srcPort, dstPort, protocol, inIf, outIf);
        found.srcV4 = srcV4;
        found.dstV4 = dstV4;
        found.fallback = fallback;
        found.agency = agency;
        found.outbound = outbound;
        bucket.v4.insert(hash, found);
        bucket.size++;
      }
      row = found ?? this.overflowRow(bucket, minute, exporter, agency.id);
    }
    row.bytes += flow.bytes;
    row.packets += flow.packets;
    row.flows++;
    const activity = bucket.activity;
    if (activity !== null) {
      const initiated = !withPorts || !this.ports.isReply(flow.srcPort, flow.dstPort);
      const port = withPorts ? flow.dstPort : -1;
      if (known !== null && known.agency !== null) activity.addForRow(known, exporter, agency, srcV4, dstV4, port, flow.bytes, flow.packets, outbound, initiated);
      else activity.add(exporter, agency, flow.srcAddr, srcV4, flow.dstAddr, dstV4, port, flow.bytes, flow.packets, outbound, initiated);
    }
  }

  /** The bucket of a flow's minute (its end, else export time, else now; clock skew counted). */
  private bucketOf(flow: FlowRecord, nowMs: number): MinuteBucket {
    const t = flow.endMs > 0 && flow.endMs < MAX_DATE_MS ? flow.endMs : flow.exportTimeMs > 0 && flow.exportTimeMs < MAX_DATE_MS ? flow.exportTimeMs : nowMs;
    // Within the last bucket's minute while the clock is in the same minute as then: the same bucket and
    // skew check as before, without two floating-point remainders per flow.
    const last = this.last;
    if (last !== null && t >= last.minute && t < last.minute + MINUTE_MS && nowMs >= this.lastNowMinute && nowMs < this.lastNowMinute + MINUTE_MS) {
      if (last.late) this.stats.late++;
      return last;
    }
    let minute = t - (t % MINUTE_MS);
    const nowMinute = nowMs - (nowMs % MINUTE_MS);
    if (minute > nowMinute + MINUTE_MS || minute < nowMinute - this.o.maxLatenessMs) {
      minute = nowMinute;
      this.stats.clockSkew++;
    }
    let bucket = this.last;
    if (bucket === null || bucket.minute !== minute) bucket = this.bucketFor(minute);
    this.lastNowMinute = nowMinute;
    if (bucket.late) this.stats.late++;
    return bucket;
  }

  /** The row of a flow with an IPv6 or absent address, created when there is room; null when full. */
  private otherAddressRow(bucket: MinuteBucket, flow: FlowRecord, minute: number, exporter: string, org: string, srcPort: number, dstPort: number): FlowAggregateRow | null {
    const protocol = flow.protocol;
    const inIf = flow.inIf;
    const outIf = flow.outIf;
    let byDestination = bucket.bySource.get(flow.srcAddr);
    const head = byDestination === undefined ? undefined : byDestination.get(flow.dstAddr);
    let row: FlowAggregateRow | null | undefined = head;
    while (
      row !== undefined &&
      row !== null &&
      !(row.srcPort === srcPort && row.dstPort === dstPort && row.protocol === protocol && row.inIf === inIf && row.outIf === outIf && row.org === org && row.exporter === exporter)
    ) {
      row = row.next;
    }
    if (row !== undefined && row !== null) return row;
    if (bucket.size >= this.o.maxKeysPerMinute) return null;
    row = new FlowAggregateRow(minute, exporter, org, flow.srcAddr, flow.dstAddr, srcPort, dstPort, protocol, inIf, outIf);
    row.next = head ?? null;
    if (byDestination === undefined) {
      byDestination = new Map();
      bucket.bySource.set(flow.srcAddr, byDestination);
    }
    byDestination.set(flow.dstAddr, row);
    bucket.size++;
    return row;
  }

  /** The minute's "other" row of the exporter and agency: keys beyond maxKeysPerMinute. */
  private overflowRow(bucket: MinuteBucket, minute: number, exporter: string, org: string): FlowAggregateRow {
    const otherKey = exporter + '|' + org;
    let row = bucket.other.get(otherKey);
    if (row === undefined) {
      row = new FlowAggregateRow(minute, exporter, org, '', '', 0, 0, 0, 0, 0);
      bucket.other.set(otherKey, row);
    }
    bucket.overflowFlows++;
    this.stats.overflowFlows++;
    return row;
  }

  /** The minutes whose end + grace has passed at `nowMs`, oldest first, and every late bucket. */
  closeDue(nowMs: number): ClosedMinute[] {
    const out: ClosedMinute[] = [];
    for (const b of this.detachDue(nowMs)) out.push(drainSteps(this.completeSteps(b)));
    return out;
  }

  /** Every open minute (at stop). */
  closeAll(): ClosedMinute[] {
    const out: ClosedMinute[] = [];
    for (const b of this.detach([...this.buckets.values()])) out.push(drainSteps(this.completeSteps(b)));
    return out;
  }

  /**
   * The first half of closeDue: takes the due minutes out of the open ones, oldest first, so that flows
   * arriving from here on go to fresh buckets (a detached minute's own late flows open a late bucket, as
   * after closeDue). Each is then finished by completeSteps, which may pause.
   */
  detachDue(nowMs: number): MinuteBucket[] {
    const due: MinuteBucket[] = [];
    for (const b of this.buckets.values()) if (b.late || b.minute + MINUTE_MS + this.o.graceMs <= nowMs) due.push(b);
    return this.detach(due);
  }

  private detach(due: MinuteBucket[]): MinuteBucket[] {
    due.sort((a, b) => a.minute - b.minute);
    for (const b of due) {
      this.buckets.delete(b.minute);
      if (this.last === b) this.last = null;
      if (!b.late && b.minute > this.closedThrough) this.closedThrough = b.minute;
    }
    return due;
  }

  /** A detached minute's rows (pending row totals flushed into its activity), pausing every STEP_ITEMS rows. */
  *completeSteps(b: MinuteBucket): Steps<ClosedMinute> {
    // The bucket is detached: its IPv4 rows array is handed out as it is.
    const v4Rows = b.v4.rows;
    const activity = b.activity;
    if (activity !== null) {
      for (let i = 0; i < v4Rows.length; i++) {
        if (v4Rows[i].pendingFlows > 0) activity.flushRow(v4Rows[i]);
        if (i % STEP_ITEMS === STEP_ITEMS - 1) yield;
      }
    }
    const rows: FlowAggregateRow[] = v4Rows;
    for (const byDestination of b.bySource.values()) {
      for (const head of byDestination.values()) for (let r: FlowAggregateRow | null = head; r !== null; r = r.next) rows.push(r);
    }
    for (const r of b.other.values()) rows.push(r);
    this.stats.minutesClosed++;
    this.stats.rowsClosed += rows.length;
    return { minute: b.minute, rows, late: b.late, overflowFlows: b.overflowFlows, activity: b.activity };
  }

  private bucketFor(minute: number): MinuteBucket {
    let b = this.buckets.get(minute);
    if (b === undefined) {
      const late = minute <= this.closedThrough;
      b = new MinuteBucket(minute, late, late || this.o.activity === null ? null : new MinuteActivity(this.o.activity));
      this.buckets.set(minute, b);
    }
    this.last = b;
    return b;
  }
}
