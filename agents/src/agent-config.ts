/**
 * The configuration the server distributes (core/agents/agent-config.ts is its schema). The agent
 * has no validation library, so it checks the shape it relies on by hand and falls back to the
 * defaults section by section.
 */
export interface TailConfig {
  path: string;
  dataset: string;
  format: 'text' | 'json';
}

export interface AgentConfig {
  heartbeatSeconds: number;
  tailPollMs: number;
  files: TailConfig[];
  journald: { enabled: boolean; matches: string[] };
  fim: { paths: string[]; scanIntervalSeconds: number; watch: boolean; maxFileBytes: number };
  yara: { enabled: boolean; scanPaths: string[]; scheduleSeconds: number; onFimChange: boolean; maxFileBytes: number };
  inventory: { intervalSeconds: number };
  queue: { maxBytes: number; segmentBytes: number };
  batch: { maxEvents: number; maxBytes: number; lingerMs: number };
}

export const DEFAULT_CONFIG: AgentConfig = {
  heartbeatSeconds: 30,
  tailPollMs: 500,
  files: [],
  journald: { enabled: false, matches: [] },
  fim: { paths: [], scanIntervalSeconds: 3600, watch: true, maxFileBytes: 64 * 1024 * 1024 },
  yara: { enabled: true, scanPaths: [], scheduleSeconds: 86_400, onFimChange: true, maxFileBytes: 64 * 1024 * 1024 },
  inventory: { intervalSeconds: 3600 },
  queue: { maxBytes: 512 * 1024 * 1024, segmentBytes: 8 * 1024 * 1024 },
  batch: { maxEvents: 2000, maxBytes: 1024 * 1024, lingerMs: 200 },
};

type Plain = Record<string, unknown>;
const isObj = (v: unknown): v is Plain => v !== null && typeof v === 'object' && !Array.isArray(v);
const num = (v: unknown, d: number, min: number): number => (typeof v === 'number' && Number.isFinite(v) && v >= min ? v : d);
const bool = (v: unknown, d: boolean): boolean => (typeof v === 'boolean' ? v : d);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : []);

export function readAgentConfig(value: unknown): AgentConfig {
  const c = isObj(value) ? value : {};
  const d = DEFAULT_CONFIG;
  const sec = (k: string): Plain => (isObj(c[k]) ? (c[k] as Plain) : {});
  const files: TailConfig[] = Array.isArray(c.files)
    ? c.files.filter(isObj).flatMap((f) =>
        typeof f.path === 'string' && f.path.length > 0
          ? [{ path: f.path, dataset: typeof f.dataset === 'string' ? f.dataset : 'agent.file', format: f.format === 'json' ? ('json' as const) : ('text' as const) }]
          : [],
      )
    : [];
  const fim = sec('fim');
  const yara = sec('yara');
  const queue = sec('queue');
  const batch = sec('batch');
  return {
    heartbeatSeconds: num(c.heartbeatSeconds, d.heartbeatSeconds, 1),
    tailPollMs: num(c.tailPollMs, d.tailPollMs, 50),
    files,
    journald: { enabled: bool(sec('journald').enabled, false), matches: strings(sec('journald').matches) },
    fim: { paths: strings(fim.paths), scanIntervalSeconds: num(fim.scanIntervalSeconds, d.fim.scanIntervalSeconds, 0), watch: bool(fim.watch, true), maxFileBytes: num(fim.maxFileBytes, d.fim.maxFileBytes, 1) },
    yara: {
      enabled: bool(yara.enabled, true),
      scanPaths: strings(yara.scanPaths),
      scheduleSeconds: num(yara.scheduleSeconds, d.yara.scheduleSeconds, 0),
      onFimChange: bool(yara.onFimChange, true),
      maxFileBytes: num(yara.maxFileBytes, d.yara.maxFileBytes, 1),
    },
    inventory: { intervalSeconds: num(sec('inventory').intervalSeconds, d.inventory.intervalSeconds, 0) },
    queue: { maxBytes: num(queue.maxBytes, d.queue.maxBytes, 1024 * 1024), segmentBytes: num(queue.segmentBytes, d.queue.segmentBytes, 64 * 1024) },
    batch: { maxEvents: num(batch.maxEvents, d.batch.maxEvents, 1), maxBytes: num(batch.maxBytes, d.batch.maxBytes, 1024), lingerMs: Math.min(num(batch.lingerMs, d.batch.lingerMs, 0), 30_000) },
  };
}
