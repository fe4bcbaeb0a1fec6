/**
 * Process-wide metrics in Prometheus format. Hot paths bump plain numbers on an InputStats object;
 * prom-client reads them only when /metrics is scraped, so counting costs one addition per event.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Per-input tallies (an input is one listener: `syslog/udp`, `syslog/tcp`, later `agent`, `netflow`...). */
export class InputStats {
  received = 0;
  parsed = 0;
  stored = 0;
  readonly failed = new Map<string, number>();
  readonly dropped = new Map<string, number>();

  constructor(readonly input: string) {}

  fail(reason: string, n = 1): void {
    this.failed.set(reason, (this.failed.get(reason) ?? 0) + n);
  }

  drop(reason: string, n = 1): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + n);
  }

  totalFailed(): number {
    let n = 0;
    for (const v of this.failed.values()) n += v;
    return n;
  }

  totalDropped(): number {
    let n = 0;
    for (const v of this.dropped.values()) n += v;
    return n;
  }
}

export class Metrics {
  readonly registry = new Registry();
  private readonly inputs = new Map<string, InputStats>();
  private readonly gauges = new Map<string, () => number>();

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'socnoc_process_' });
    const inputs = this.inputs;
    const simple = (name: string, help: string, pick: (s: InputStats) => number): void => {
      new Counter({
        name,
        help,
        labelNames: ['input'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const s of inputs.values()) this.inc({ input: s.input }, pick(s));
        },
      });
    };
    simple('socnoc_input_received_total', 'Messages received per input (datagrams, frames, agent events)', (s) => s.received);
    simple('socnoc_input_parsed_total', 'Messages parsed into events per input', (s) => s.parsed);
    simple('socnoc_input_stored_total', 'Events durably stored per input', (s) => s.stored);
    const byReason = (name: string, help: string, pick: (s: InputStats) => Map<string, number>): void => {
      new Counter({
        name,
        help,
        labelNames: ['input', 'reason'],
        registers: [this.registry],
        collect() {
          this.reset();
          for (const s of inputs.values()) for (const [reason, n] of pick(s)) this.inc({ input: s.input, reason }, n);
        },
      });
    };
    byReason('socnoc_input_failed_total', 'Messages that could not be framed or parsed, per input and reason', (s) => s.failed);
    byReason('socnoc_input_dropped_total', 'Messages dropped (queue full, oversize...), per input and reason', (s) => s.dropped);
    const gauges = this.gauges;
    new Gauge({
      name: 'socnoc_queue_depth',
      help: 'Items waiting in each bounded queue',
      labelNames: ['queue'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [queue, read] of gauges) this.set({ queue }, read());
      },
    });
  }

  input(name: string): InputStats {
    let s = this.inputs.get(name);
    if (!s) {
      s = new InputStats(name);
      this.inputs.set(name, s);
    }
    return s;
  }

  allInputs(): InputStats[] {
    return [...this.inputs.values()];
  }

  /** Registers a queue whose depth is read at scrape time. */
  queueDepth(queue: string, read: () => number): void {
    this.gauges.set(queue, read);
  }
}

/**
 * Plain counter objects of several instances (engines, detection stages) summed into one set of
 * Prometheus metrics per registry: the metrics are registered once, on the first instance, and
 * read every live instance at scrape time.
 */
export class RegistrySources<T> {
  private readonly byRegistry = new WeakMap<Registry, Set<T>>();

  constructor(private readonly register: (registry: Registry, sources: ReadonlySet<T>) => void) {}

  add(registry: Registry, stats: T): T {
    let sources = this.byRegistry.get(registry);
    if (sources === undefined) {
      sources = new Set<T>();
      this.register(registry, sources);
      this.byRegistry.set(registry, sources);
    }
    sources.add(stats);
    return stats;
  }

  delete(registry: Registry, stats: T): void {
    this.byRegistry.get(registry)?.delete(stats);
  }
}

/** A counter summing `pick` over every registered source at scrape time (see RegistrySources). */
export function summedCounter<T>(registry: Registry, sources: ReadonlySet<T>, name: string, help: string, pick: (s: T) => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      let n = 0;
      for (const s of sources) n += pick(s);
      this.inc(n);
    },
  });
}

/** A gauge summing `pick` over every registered source at scrape time. */
export function summedGauge<T>(registry: Registry, sources: ReadonlySet<T>, name: string, help: string, pick: (s: T) => number): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      let n = 0;
      for (const s of sources) n += pick(s);
      this.set(n);
    },
  });
}
