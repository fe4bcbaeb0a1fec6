/**
 * Discovery: sweeps the configured IPv4 ranges at a bounded rate (probes started per second) and
 * concurrency (probes awaiting an answer), GETs the system group with each credential set of the
 * range in turn, and adds what answers to the inventory (`source: discovery`) or refreshes the
 * system group of the device already there. One sweep at a time; started on an interval when
 * enabled, or on demand through the API.
 */
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { Metrics } from '../../../core/metrics';
import type { DiscoveryRangeConfig, SnmpDiscoveryConfig } from '../config';
import type { DeviceInventory } from '../inventory/store';
import { parseDiscoveryRange } from './cidr';
import { probeSystem, type ProbeTarget } from './probe';

export interface SweepStatus {
  id: number;
  running: boolean;
  started_at: string;
  finished_at?: string;
  ranges: string[];
  addresses: number;
  probed: number;
  found: number;
  created: number;
  updated: number;
  errors: string[];
}

export interface SnmpDiscovery {
  start(): void;
  stop(): Promise<void>;
  /**
   * Starts a sweep of the configured ranges, or of `ranges` (an ad-hoc sweep from the API), unless
   * one is running; returns its status (the running one if so).
   */
  sweep(ranges?: readonly DiscoveryRangeConfig[]): { status: SweepStatus; started: boolean };
  /** The running or last sweep. */
  status(): SweepStatus | undefined;
  /** Whether snmp.discovery.ranges lists any range (what a sweep without ranges covers). */
  hasRanges(): boolean;
  /** Resolves when the current sweep (if any) ends. */
  idle(): Promise<void>;
}

export interface SnmpDiscoveryDeps {
  inventory: DeviceInventory;
  logger: Logger;
  metrics: Metrics;
  /** Injected in tests; the real probe by default. */
  probe?: typeof probeSystem;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function createSnmpDiscovery(deps: SnmpDiscoveryDeps, config: SnmpDiscoveryConfig): SnmpDiscovery {
  const log = deps.logger.child({ component: 'snmp-discovery' });
  const probe = deps.probe ?? probeSystem;
  const probes = new Counter({ name: 'socnoc_snmp_discovery_probes_total', help: 'Discovery probes sent, by result (answered, silent)', labelNames: ['result'], registers: [deps.metrics.registry] });
  let current: SweepStatus | undefined;
  let running: Promise<void> | undefined;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let seq = 0;

  async function sweepRange(range: DiscoveryRangeConfig, status: SweepStatus, gate: RateGate): Promise<void> {
    let parsed;
    try {
      parsed = parseDiscoveryRange(range.cidr, config.maxAddressesPerRange);
    } catch (err) {
      status.errors.push((err as Error).message);
      return;
    }
    status.addresses += parsed.size;
    const inFlight = new Set<Promise<void>>();
    for (const address of parsed.addresses()) {
      if (stopping) break;
      while (inFlight.size >= config.concurrency) await Promise.race(inFlight);
      await gate.ready();
      const p: Promise<void> = probeAddress(range, address, status, gate).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.allSettled(inFlight);
  }

  async function probeAddress(range: DiscoveryRangeConfig, address: string, status: SweepStatus, gate: RateGate): Promise<void> {
    for (let c = 0; c < range.credentials.length && !stopping; c++) {
      if (c > 0) await gate.ready();
      const target: ProbeTarget = { address, port: range.port, snmp: range.credentials[c] };
      status.probed++;
      let sys;
      try {
        sys = await probe(target, { timeoutMs: config.timeoutMs, retries: config.retries });
      } catch (err) {
        status.errors.push(`${address}: ${(err as Error).message}`);
        return;
      }
      probes.inc({ result: sys !== undefined ? 'answered' : 'silent' });
      if (sys === undefined) continue;
      status.found++;
      try {
        const { created } = deps.inventory.upsertDiscovered({
          name: sys.name !== undefined && sys.name !== '' ? sys.name : address,
          address,
          port: range.port,
          organizationId: range.agency,
          parent: range.parent,
          tags: [...range.tags],
          snmp: target.snmp,
          sys: { name: sys.name, descr: sys.descr, objectId: sys.objectId },
        });
        if (created) status.created++;
        else status.updated++;
      } catch (err) {
        status.errors.push(`${address}: ${(err as Error).message}`);
      }
      return;
    }
  }

  async function run(status: SweepStatus, ranges: readonly DiscoveryRangeConfig[]): Promise<void> {
    const gate = new RateGate(config.ratePerSecond);
    log.info({ sweep: status.id, ranges: status.ranges }, 'discovery sweep started');
    for (const range of ranges) {
      if (stopping) break;
      await sweepRange(range, status, gate);
    }
    status.running = false;
    status.finished_at = new Date().toISOString();
    log.info({ sweep: status.id, probed: status.probed, found: status.found, created: status.created, errors: status.errors.length }, 'discovery sweep finished');
  }

  function sweep(ranges: readonly DiscoveryRangeConfig[] = config.ranges): { status: SweepStatus; started: boolean } {
    if (running !== undefined && current !== undefined) return { status: current, started: false };
    const status: SweepStatus = { id: ++seq, running: true, started_at: new Date().toISOString(), ranges: ranges.map((r) => r.cidr), addresses: 0, probed: 0, found: 0, created: 0, updated: 0, errors: [] };
    current = status;
    running = run(status, ranges)
      .catch((err: unknown) => {
        status.errors.push((err as Error).message);
        status.running = false;
        log.error({ err: (err as Error).message }, 'discovery sweep failed');
      })
      .finally(() => {
        running = undefined;
      });
    return { status, started: true };
  }

  return {
    start() {
      stopping = false;
      if (!config.enabled || config.ranges.length === 0) return;
      sweep();
      timer = setInterval(() => sweep(), config.intervalMinutes * 60_000);
      timer.unref();
    },
    async stop() {
      stopping = true;
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await running;
    },
    sweep,
    status: () => current,
    hasRanges: () => config.ranges.length > 0,
    idle: async () => {
      await running;
    },
  };
}

/** Spaces probe starts 1/rate seconds apart. */
class RateGate {
  private next = 0;
  private readonly gapMs: number;

  constructor(ratePerSecond: number) {
    this.gapMs = 1000 / ratePerSecond;
  }

  async ready(): Promise<void> {
    const now = performance.now();
    const at = Math.max(now, this.next);
    this.next = at + this.gapMs;
    if (at > now) await sleep(at - now);
  }
}
