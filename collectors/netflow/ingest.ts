/**
 * Per listener: export packets in, events out. Decodes a packet, builds one event per record lazily (so a
 * full queue costs no normalization) and offers them to the pipeline. UDP drops what the queue refuses and
 * counts it; an IPFIX TCP session keeps the refused rest of its message and pauses its connection.
 *
 * Counting (per input `netflow/<listener>`): received = export packets (datagrams, IPFIX messages);
 * failed = packets by decode reason (records from the complete sets before the fault are still used, as
 * nfdump does); parsed = events taken by the pipeline; dropped = events lost, by reason; stored = events
 * the store keeps (flows published for detection only are counted in socnoc_flow_correlated_total).
 */
import type { Logger } from 'pino';
import type { InputStats } from '../../core/metrics';
import type { IngestSink } from '../../core/pipeline/types';
import { hostPort } from '../../core/net/host-port';
import { decodeFlowPacket, type FlowDecodeContext, type FlowRecord, type FlowTemplateCache, type InterfaceCounterRecord } from './decode';
import { fillAddressText, newFlowRecord } from './decode/types';
import type { FlowMessageConsumer, FlowPeer } from './listen/types';
import { packetFormat, type FlowFormatCounts } from './metrics';
import type { FlowNormalizer, FlowPacketContext } from './normalize';
import type { FlowAggregation } from './aggregate/flow-aggregation';
import { NOT_STORED } from '../../core/event-hints';
import type { FlowCorrelationFilter } from './correlation-filter';

/**
 * What becomes of flow events: `stored` (raw flows on: events like any other), `correlation` (published
 * for detection, marked not to be stored), `none` (aggregates only; sFlow counter events still flow).
 */
export type FlowEventMode = 'stored' | 'correlation' | 'none';

const NO_FLOWS: FlowRecord[] = [];

/** The records of one packet not yet taken by the pipeline: flows first, then counter samples. */
export interface PacketRecords {
  flows: FlowRecord[];
  counters: InterfaceCounterRecord[];
  ctx: FlowPacketContext;
  /** Index of the next record to offer (flows, then counters). */
  next: number;
}

export interface FlowIngestOptions {
  sink: IngestSink;
  stats: InputStats;
  counts: FlowFormatCounts;
  cache: FlowTemplateCache;
  normalizer: FlowNormalizer;
  /** The listener's configured agency (for flows no address maps). */
  listenerAgency: string | undefined;
  logger: Logger;
  /** Per-minute aggregation of every decoded flow; null when off. */
  aggregation: FlowAggregation | null;
  flowEvents: FlowEventMode;
  /** `correlation` mode: which flows become events (null: every flow). */
  correlationFilter?: FlowCorrelationFilter | null;
}

/** Queue-full drops are logged at most this often per listener; the counters have every one. */
const DROP_LOG_INTERVAL_MS = 10_000;

export class FlowIngest {
  private readonly decodeCtx: FlowDecodeContext = { exporter: '', receivedMs: 0, session: undefined, recordPool: undefined, lazyV4Text: false };
  private lastDropLogMs = 0;
  private droppedSinceLog = 0;

  constructor(private readonly o: FlowIngestOptions) {
    // Records are decoded into reused objects when few or none of them outlive the packet: aggregates
    // keep numbers and address strings, not records; the flows picked for correlation are swapped out of
    // the pool (forCorrelation). Stored raw flows and `correlation.flows: all` keep every record.
    const filter = o.correlationFilter;
    const fewKept = o.flowEvents === 'none' || (o.flowEvents === 'correlation' && filter !== undefined && filter !== null && !filter.all);
    // The same flows need no address text either (aggregates key IPv4 by number); the kept ones get it.
    if (fewKept) {
      this.decodeCtx.recordPool = [];
      this.decodeCtx.lazyV4Text = true;
    }
  }

  /** Decodes one export packet and counts it; null when it holds no records. */
  decode(buf: Buffer, exporter: string, session: string | undefined): PacketRecords | null {
    const now = Date.now();
    const o = this.o;
    const ctx = this.decodeCtx;
    ctx.exporter = exporter;
    ctx.receivedMs = now;
    ctx.session = session;
    const r = decodeFlowPacket(buf, ctx, o.cache);
    const format = packetFormat(buf);
    o.stats.received++;
    o.counts.packets[format]++;
    if (r.error !== null) {
      o.stats.fail(r.error.reason);
      if (o.logger.isLevelEnabled('debug')) o.logger.debug({ exporter, reason: r.error.reason, offset: r.error.offset }, r.error.message);
    }
    const n = r.flows.length + r.counters.length;
    if (n === 0) return null;
    o.counts.records[format] += n;
    const packet = o.normalizer.packetContext(exporter, now, o.listenerAgency);
    // Aggregated whether or not the pipeline takes the events: aggregates are the flow storage.
    const aggregation = o.aggregation;
    if (aggregation !== null) {
      // Classified by the aggregation only for a key its minute has not met (the answer is kept on the row).
      for (let i = 0; i < r.flows.length; i++) aggregation.addClassifying(r.flows[i], packet, o.normalizer, now);
    }
    const flows = o.flowEvents === 'none' ? NO_FLOWS : o.flowEvents === 'correlation' ? this.forCorrelation(r.flows) : r.flows;
    if (flows.length + r.counters.length === 0) return null;
    return { flows, counters: r.counters, ctx: packet, next: 0 };
  }

  /** The flows the correlation filter selects; the same array when it takes all. */
  private forCorrelation(flows: FlowRecord[]): FlowRecord[] {
    const filter = this.o.correlationFilter;
    if (filter === undefined || filter === null || filter.all) return flows;
    filter.tick(this.decodeCtx.receivedMs);
    const pool = this.decodeCtx.recordPool;
    let out: FlowRecord[] | null = null;
    for (let i = 0; i < flows.length; i++) {
      const flow = flows[i];
      if (!filter.wants(flow)) continue;
      if (out === null) out = [];
      fillAddressText(flow);
      out.push(flow);
      // Kept beyond this packet: the pool gets a new record in its place.
      if (pool !== undefined && pool[i] === flow) pool[i] = newFlowRecord(flow.format, flow.exporter);
    }
    return out ?? NO_FLOWS;
  }

  /** Offers the records from `p.next` on; false when the pipeline refused one (`p.next` points at it). */
  offer(p: PacketRecords): boolean {
    const o = this.o;
    // Correlation-only flows are handed with their own tally: the pipeline counts what it publishes as
    // stored, and these are published, not stored (socnoc_flow_correlated_total).
    const flowStats = o.flowEvents === 'correlation' ? o.counts.correlationOnly : o.stats;
    const nFlows = p.flows.length;
    const total = nFlows + p.counters.length;
    while (p.next < total) {
      const i = p.next;
      let event;
      let stats = o.stats;
      if (i < nFlows) {
        event = o.normalizer.flowEvent(p.flows[i], p.ctx);
        if (o.flowEvents === 'correlation') event.socnoc = NOT_STORED;
        stats = flowStats;
      } else event = o.normalizer.counterEvent(p.counters[i - nFlows], p.ctx);
      if (!o.sink.offer(event, stats)) return false;
      o.stats.parsed++;
      p.next = i + 1;
    }
    return true;
  }

  /** Records of `p` not yet taken. */
  static remaining(p: PacketRecords): number {
    return p.flows.length + p.counters.length - p.next;
  }

  /** Counts records that will never reach the pipeline, and says so now and then. */
  dropped(reason: string, n: number, exporter: string): void {
    if (n <= 0) return;
    this.o.stats.drop(reason, n);
    this.droppedSinceLog += n;
    const now = Date.now();
    if (now - this.lastDropLogMs >= DROP_LOG_INTERVAL_MS) {
      this.o.logger.warn({ input: this.o.stats.input, reason, records: this.droppedSinceLog, exporter }, 'flow records dropped');
      this.lastDropLogMs = now;
      this.droppedSinceLog = 0;
    }
  }

  /** UDP: one datagram. What the queue refuses is dropped and counted; UDP cannot push back. */
  readonly onDatagram = (datagram: Buffer, peer: FlowPeer): void => {
    const p = this.decode(datagram, peer.address, undefined);
    if (p !== null && !this.offer(p)) this.dropped('queue_full', FlowIngest.remaining(p), peer.address);
  };

  /** IPFIX over TCP: one consumer per connection, its templates scoped to the session. */
  readonly createConsumer = (peer: FlowPeer): FlowMessageConsumer => new IpfixSessionConsumer(this, peer, this.o.cache);
}

/** One IPFIX TCP session: messages decoded in stream order; a refused remainder is held, never dropped. */
class IpfixSessionConsumer implements FlowMessageConsumer {
  private readonly session: string;
  private held: PacketRecords | null = null;

  constructor(
    private readonly ingest: FlowIngest,
    private readonly peer: FlowPeer,
    private readonly cache: FlowTemplateCache,
  ) {
    this.session = `tcp:${hostPort(peer.address, peer.port)}`;
  }

  message(msg: Buffer): boolean {
    const p = this.ingest.decode(msg, this.peer.address, this.session);
    if (p === null || this.ingest.offer(p)) return true;
    this.held = p;
    return false;
  }

  flush(): boolean {
    if (this.held === null) return true;
    if (!this.ingest.offer(this.held)) return false;
    this.held = null;
    return true;
  }

  close(undelivered: readonly Buffer[] | null): void {
    if (undelivered !== null) {
      let lost = this.held === null ? 0 : FlowIngest.remaining(this.held);
      // Decoded only to count what is lost (and to keep received/failed honest).
      for (const msg of undelivered) {
        const p = this.ingest.decode(msg, this.peer.address, this.session);
        if (p !== null) lost += FlowIngest.remaining(p);
      }
      this.ingest.dropped('dropped_at_stop', lost, this.peer.address);
    }
    this.held = null;
    // RFC 7011 s8: templates of a TCP session die with it.
    this.cache.forgetScope(this.session);
  }
}
