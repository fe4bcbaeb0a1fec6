/**
 * New externally reachable services: an internal address answering outside addresses from a (protocol,
 * port) it was never seen answering from before. Read from a closed minute's aggregate rows, not per flow:
 * a row from an internal address's kept port (up to 1023 or a service port) to an outside address's
 * folded (ephemeral, 0) port is a service's answer (ports.ts isReply), so the hot path pays nothing.
 *
 * A closed TCP port answers a probe with one RST packet per probe; rows of TCP answers that average one
 * packet per flow are therefore not taken as a service (a real answer carries SYN-ACK, data, FIN).
 * Everything seen during the first `learningMinutes` (persisted, so a restart does not relearn) is
 * recorded silently: otherwise the first day would report every existing server.
 *
 * Bounded: at most `maxKeys` known services; the least recently seen is forgotten first (it would be
 * reported again if it came back).
 */
import { drainSteps, STEP_ITEMS, type Steps } from './slices';
import type { FlowAggregateRow } from './minute-aggregator';

export interface ExternalServiceOptions {
  learningMinutes: number;
  maxKeys: number;
}

/** A service seen answering outside addresses in one minute. */
export interface ExternalServiceActivity {
  org: string;
  ip: string;
  protocol: number;
  port: number;
  /** Distinct outside addresses answered this minute (capped at MAX_CLIENTS). */
  clients: number;
  /** One of them (the first row's). */
  client: string;
  exporter: string;
  bytes: number;
  packets: number;
  flows: number;
}

export interface KnownService {
  firstSeen: number;
  lastSeen: number;
}

const MAX_CLIENTS = 1024;
const TCP = 6;
const UDP = 17;
const SCTP = 132;

export class ExternalServiceTracker {
  private readonly known = new Map<string, KnownService>();
  /** Epoch ms of the first minute ever scanned; null until then (or until restored). */
  learningSince: number | null = null;

  constructor(
    private readonly o: ExternalServiceOptions,
    private readonly isInternal: (ip: string) => boolean,
  ) {}

  get size(): number {
    return this.known.size;
  }

  /** Whether discoveries in `minuteMs` are still learned silently. */
  learning(minuteMs: number): boolean {
    return this.learningSince === null || minuteMs - this.learningSince < this.o.learningMinutes * 60_000;
  }

  /**
   * The services first seen in this minute (empty while learning). Rows of the minute as the aggregator
   * closed it (not late rows: those minutes were scanned already).
   */
  scan(minuteMs: number, rows: readonly FlowAggregateRow[]): ExternalServiceActivity[] {
    return drainSteps(this.scanSteps(minuteMs, rows));
  }

  /** scan() pausing every STEP_ITEMS rows (slices.ts); the same result. */
  *scanSteps(minuteMs: number, rows: readonly FlowAggregateRow[]): Steps<ExternalServiceActivity[]> {
    if (this.learningSince === null) this.learningSince = minuteMs;
    const seen = new Map<string, { activity: ExternalServiceActivity; clients: Set<string> }>();
    for (let i = 0; i < rows.length; i++) {
      if (i % STEP_ITEMS === STEP_ITEMS - 1) yield;
      const r = rows[i];
      const protocol = r.protocol;
      if ((protocol !== TCP && protocol !== UDP && protocol !== SCTP) || r.srcPort === 0 || r.dstPort !== 0) continue;
      if (r.src.length === 0 || r.dst.length === 0) continue;
      if (protocol === TCP && r.packets <= r.flows) continue;
      if (!this.isInternal(r.src) || this.isInternal(r.dst)) continue;
      const key = r.org + '|' + r.src + '|' + protocol + '|' + r.srcPort;
      let s = seen.get(key);
      if (s === undefined) {
        s = {
          activity: { org: r.org, ip: r.src, protocol, port: r.srcPort, clients: 0, client: r.dst, exporter: r.exporter, bytes: 0, packets: 0, flows: 0 },
          clients: new Set(),
        };
        seen.set(key, s);
      }
      const a = s.activity;
      a.bytes += r.bytes;
      a.packets += r.packets;
      a.flows += r.flows;
      if (s.clients.size < MAX_CLIENTS) s.clients.add(r.dst);
    }
    const learning = this.learning(minuteMs);
    const found: ExternalServiceActivity[] = [];
    let n = 0;
    for (const [key, s] of seen) {
      if (++n % STEP_ITEMS === 0) yield;
      s.activity.clients = s.clients.size;
      const k = this.known.get(key);
      if (k !== undefined) {
        this.known.delete(key);
        k.lastSeen = minuteMs;
        this.known.set(key, k);
        continue;
      }
      this.remember(key, { firstSeen: minuteMs, lastSeen: minuteMs });
      if (!learning) found.push(s.activity);
    }
    return found;
  }

  /** Known services, least recently seen first (for persistence). */
  entriesInOrder(): IterableIterator<[string, KnownService]> {
    return this.known.entries();
  }

  /** Restores a saved service (call in least-recently-seen-first order). */
  remember(key: string, service: KnownService): void {
    if (this.known.size >= this.o.maxKeys) {
      const oldest = this.known.keys().next();
      if (oldest.done !== true) this.known.delete(oldest.value);
    }
    this.known.set(key, { firstSeen: service.firstSeen, lastSeen: service.lastSeen });
  }

  has(org: string, ip: string, protocol: number, port: number): boolean {
    return this.known.has(org + '|' + ip + '|' + protocol + '|' + port);
  }
}
