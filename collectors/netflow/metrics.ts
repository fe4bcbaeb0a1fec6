/**
 * Flow collector counters beyond the per-input ones in core/metrics.ts (received = export packets,
 * parsed = events handed to the pipeline, failed = packets by decode reason, dropped = events by reason):
 * packets and records per input and per format, and the template cache's state. Hot paths bump plain
 * numbers; prom-client reads them at scrape time.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { InputStats } from '../../core/metrics';
import type { FlowTemplateCache, FlowTemplateCacheStats } from './decode/template-cache';

export const FLOW_FORMAT_LABELS = ['netflow_v5', 'netflow_v9', 'ipfix', 'sflow_v5', 'unknown'] as const;
export const FORMAT_V5 = 0;
export const FORMAT_V9 = 1;
export const FORMAT_IPFIX = 2;
export const FORMAT_SFLOW = 3;
export const FORMAT_UNKNOWN = 4;

/** The format label index of an export packet, from its version field (as decodeFlowPacket dispatches). */
export function packetFormat(buf: Buffer): number {
  if (buf.length < 4) return FORMAT_UNKNOWN;
  const version = buf.readUInt16BE(0);
  if (version === 9) return FORMAT_V9;
  if (version === 10) return FORMAT_IPFIX;
  if (version === 5) return FORMAT_V5;
  if (version === 0 && buf.readUInt16BE(2) === 5) return FORMAT_SFLOW;
  return FORMAT_UNKNOWN;
}

/** Per-input tallies by format index. */
export class FlowFormatCounts {
  readonly packets: number[] = [0, 0, 0, 0, 0];
  /** Flow and counter records decoded (before any drop). */
  readonly records: number[] = [0, 0, 0, 0, 0];
  /**
   * What the pipeline is handed with flow events published for detection only (netflow.toCorrelation):
   * it counts them as `stored` once published, so they are tallied here, apart from the input's
   * registered stats, and socnoc_input_stored_total counts only events the store really keeps.
   * Read as socnoc_flow_correlated_total.
   */
  readonly correlationOnly: InputStats;

  constructor(readonly input: string) {
    this.correlationOnly = new InputStats(input);
  }
}

interface FlowMetricSources {
  inputs: Set<FlowFormatCounts>;
  caches: Set<FlowTemplateCache>;
  /** netflow.correlation selections: flows looked at and flows published. */
  filters: Set<{ seen: number; selected: number }>;
}

const sourcesByRegistry = new WeakMap<Registry, FlowMetricSources>();

function sumCaches(caches: Set<FlowTemplateCache>, key: keyof FlowTemplateCacheStats): number {
  let n = 0;
  for (const c of caches) n += c.stats[key];
  return n;
}

function register(registry: Registry): FlowMetricSources {
  const sources: FlowMetricSources = { inputs: new Set(), caches: new Set(), filters: new Set() };
  const { inputs, caches, filters } = sources;
  const perFormat = (name: string, help: string, pick: (c: FlowFormatCounts) => number[]): void => {
    new Counter({
      name,
      help,
      labelNames: ['input', 'format'],
      registers: [registry],
      collect() {
        this.reset();
        for (const c of inputs) {
          const values = pick(c);
          for (let f = 0; f < FLOW_FORMAT_LABELS.length; f++) if (values[f] > 0) this.inc({ input: c.input, format: FLOW_FORMAT_LABELS[f] }, values[f]);
        }
      },
    });
  };
  perFormat('socnoc_flow_packets_total', 'Flow export packets (datagrams, IPFIX messages) received per input and format', (c) => c.packets);
  perFormat('socnoc_flow_records_total', 'Flow and counter records decoded per input and format', (c) => c.records);
  new Counter({
    name: 'socnoc_flow_correlated_total',
    help: 'Flow events published for detection only (not stored: their per-minute aggregates are), per input',
    labelNames: ['input'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of inputs) this.inc({ input: c.input }, c.correlationOnly.stored);
    },
  });

  new Counter({
    name: 'socnoc_flow_correlation_skipped_total',
    help: 'Flows not published for detection because no flow rule or intel address can match them (netflow.correlation.flows: matching); they are in the aggregates and summaries',
    registers: [registry],
    collect() {
      this.reset();
      let n = 0;
      for (const f of filters) n += f.seen - f.selected;
      this.inc(n);
    },
  });

  const gauge = (name: string, help: string, key: keyof FlowTemplateCacheStats): void => {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(sumCaches(caches, key));
      },
    });
  };
  gauge('socnoc_flow_templates', 'NetFlow v9 / IPFIX templates held', 'templates');
  gauge('socnoc_flow_template_domains', 'Exporter + observation domain scopes held', 'domains');
  gauge('socnoc_flow_early_data_sets', 'Data sets waiting for their template', 'pendingSets');

  const byLabel = (name: string, help: string, label: string, keys: ReadonlyArray<readonly [string, keyof FlowTemplateCacheStats]>): void => {
    new Counter({
      name,
      help,
      labelNames: [label],
      registers: [registry],
      collect() {
        this.reset();
        for (const [value, key] of keys) this.inc({ [label]: value }, sumCaches(caches, key));
      },
    });
  };
  byLabel('socnoc_flow_template_events_total', 'Template cache changes', 'event', [
    ['learned', 'templatesLearned'],
    ['redefined', 'templatesRedefined'],
    ['withdrawn', 'templatesWithdrawn'],
    ['expired', 'templatesExpired'],
    ['evicted', 'templatesEvicted'],
    ['domain_evicted', 'domainsEvicted'],
  ]);
  byLabel('socnoc_flow_early_data_total', 'Data sets that arrived before their template, by outcome', 'outcome', [
    ['buffered', 'setsBuffered'],
    ['replayed', 'setsReplayed'],
    ['dropped_buffer_full', 'setsDroppedFull'],
    ['dropped_template_timeout', 'setsDroppedExpired'],
    ['dropped_malformed', 'setsDroppedMalformed'],
  ]);
  return sources;
}

/** Registers the flow metrics on a registry once; collectors add and remove their sources. */
export function flowMetricSources(registry: Registry): FlowMetricSources {
  let sources = sourcesByRegistry.get(registry);
  if (sources === undefined) {
    sources = register(registry);
    sourcesByRegistry.set(registry, sources);
  }
  return sources;
}
