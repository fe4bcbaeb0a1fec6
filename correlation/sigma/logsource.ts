/**
 * Which Sigma logsource (product, service, categories) an event belongs to, so a rule set only
 * runs the rules that can apply. Driven by the table in rules/sigma/logsources.yaml:
 *   1. Windows: `winlog.channel` (or evtx `Event.System.Channel`) → product windows, the channel's
 *      service, and categories by event id (Sysmon 1 → process_creation, Security 4688 → …).
 *   2. Otherwise `event.dataset`, exact or by `prefix*` → product/service/categories.
 *   3. No product yet: `host.os.family` / `host.os.type` / `host.os.platform` → product.
 *   4. ECS `event.category` (+ `event.type`) → extra Sigma categories (process + start →
 *      process_creation), added to whatever the steps above found.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FieldAccessor } from './event-view';
import { describeZodError } from './schema';
import { readYamlDocuments } from './yaml-documents';

export interface EventLogsource {
  product?: string;
  /** Several when one log feeds several Sigma services (sshd lines are also `auth`). */
  services: readonly string[];
  categories: readonly string[];
  /** Stable string of the three, for caches. */
  key: string;
}

const list = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

const tableSchema = z.strictObject({
  windows_channels: z
    .array(
      z.strictObject({
        channel: list,
        service: z.string(),
        /** Event id → categories. */
        categories: z.record(z.string(), list).optional(),
      }),
    )
    .default([]),
  datasets: z
    .array(
      z.strictObject({
        dataset: list,
        product: z.string().optional(),
        service: list.optional(),
        categories: list.optional(),
        /** Event id (event.code) → extra categories, for datasets that carry several event types. */
        categories_by_code: z.record(z.string(), list).optional(),
      }),
    )
    .default([]),
  os_products: z.record(z.string(), z.string()).default({}),
  ecs_categories: z
    .array(z.strictObject({ category: z.string(), type: list.optional(), sigma: list }))
    .default([]),
});

export type LogsourceTableInput = z.input<typeof tableSchema>;

interface DatasetEntry {
  product?: string;
  services: string[];
  categories: string[];
  byCode: Map<string, string[]>;
}

const CHANNEL = new FieldAccessor(['winlog.channel', 'Event.System.Channel']);
const EVENT_ID = new FieldAccessor(['winlog.event_id', 'event.code', 'Event.System.EventID']);
const DATASET = new FieldAccessor(['event.dataset']);
const OS = new FieldAccessor(['host.os.family', 'host.os.type', 'host.os.platform']);
const ECS_CATEGORY = new FieldAccessor(['event.category']);
const ECS_TYPE = new FieldAccessor(['event.type']);

const NO_TEXT: readonly string[] = Object.freeze([]);
/** Distinct (channel, event id) pairs cached; events carry few, but they come from outside. */
const MAX_CACHED_WINDOWS_SOURCES = 4096;
/** windowsCache key of events without an event id (a symbol: no id text can equal it). */
const NO_EVENT_ID = Symbol('no event id');

function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

function textList(v: unknown): readonly string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

export class LogsourceTable {
  private readonly channels = new Map<string, { service: string; byEventId: Map<string, string[]> }>();
  private readonly datasets = new Map<string, DatasetEntry>();
  private readonly datasetPrefixes: { prefix: string; entry: DatasetEntry }[] = [];
  private readonly osProducts = new Map<string, string>();
  private readonly ecs: { category: string; types: string[] | undefined; sigma: string[] }[] = [];
  private readonly interned = new Map<string, EventLogsource>();
  /**
   * Windows channel → event id → logsource, for events without ECS categories (NO_EVENT_ID: the
   * event has none): two
   * lookups of the event's own strings instead of building and hashing a joined key per event.
   */
  private readonly windowsCache = new Map<string, Map<string | symbol, EventLogsource>>();
  private windowsCached = 0;

  constructor(input: LogsourceTableInput) {
    const table = tableSchema.parse(input);
    for (const c of table.windows_channels) {
      const byEventId = new Map<string, string[]>();
      for (const [id, cats] of Object.entries(c.categories ?? {})) byEventId.set(id, cats.map((x) => x.toLowerCase()));
      for (const name of c.channel) this.channels.set(name.toLowerCase(), { service: c.service.toLowerCase(), byEventId });
    }
    for (const d of table.datasets) {
      const byCode = new Map<string, string[]>();
      for (const [code, cats] of Object.entries(d.categories_by_code ?? {})) byCode.set(code, cats.map((x) => x.toLowerCase()));
      const entry: DatasetEntry = {
        product: d.product?.toLowerCase(),
        services: (d.service ?? []).map((x) => x.toLowerCase()),
        categories: (d.categories ?? []).map((x) => x.toLowerCase()),
        byCode,
      };
      for (const name of d.dataset) {
        if (name.endsWith('*')) this.datasetPrefixes.push({ prefix: name.slice(0, -1), entry });
        else this.datasets.set(name, entry);
      }
    }
    // Longest prefix first.
    this.datasetPrefixes.sort((a, b) => b.prefix.length - a.prefix.length);
    for (const [os, product] of Object.entries(table.os_products)) this.osProducts.set(os.toLowerCase(), product.toLowerCase());
    for (const e of table.ecs_categories) this.ecs.push({ category: e.category, types: e.type, sigma: e.sigma.map((x) => x.toLowerCase()) });
  }

  derive(event: unknown): EventLogsource {
    const channel = scalarText(CHANNEL.read(event));
    // Windows events: (channel, event id) decides the logsource unless ECS categories add to it,
    // so the answer is cached per pair (every event would otherwise build and intern its key).
    if (channel !== undefined) {
      const id = scalarText(EVENT_ID.read(event));
      const ecsCategories = this.ecs.length > 0 ? textList(ECS_CATEGORY.read(event)) : NO_TEXT;
      if (ecsCategories.length === 0) {
        let byId = this.windowsCache.get(channel);
        let cached = byId?.get(id ?? NO_EVENT_ID);
        if (cached === undefined) {
          if (this.windowsCached >= MAX_CACHED_WINDOWS_SOURCES) {
            this.windowsCache.clear();
            this.windowsCached = 0;
            byId = undefined;
          }
          if (byId === undefined) this.windowsCache.set(channel, (byId = new Map()));
          cached = this.deriveUncached(event, channel, id, NO_TEXT);
          byId.set(id ?? NO_EVENT_ID, cached);
          this.windowsCached++;
        }
        return cached;
      }
      return this.deriveUncached(event, channel, id, ecsCategories);
    }
    const ecsCategories = this.ecs.length > 0 ? textList(ECS_CATEGORY.read(event)) : NO_TEXT;
    return this.deriveUncached(event, undefined, undefined, ecsCategories);
  }

  private deriveUncached(event: unknown, channel: string | undefined, id: string | undefined, ecsCategories: readonly string[]): EventLogsource {
    let product: string | undefined;
    let services: string[] | undefined;
    let categories: string[] | undefined;
    if (channel !== undefined) {
      product = 'windows';
      const entry = this.channels.get(channel.toLowerCase());
      if (entry) {
        services = [entry.service];
        if (id !== undefined) categories = entry.byEventId.get(id);
      }
    } else {
      const dataset = scalarText(DATASET.read(event));
      if (dataset !== undefined) {
        let entry = this.datasets.get(dataset);
        if (!entry) entry = this.datasetPrefixes.find((p) => dataset.startsWith(p.prefix))?.entry;
        if (entry) {
          product = entry.product;
          services = entry.services;
          categories = entry.categories;
          if (entry.byCode.size > 0) {
            const code = scalarText(EVENT_ID.read(event));
            const extra = code !== undefined ? entry.byCode.get(code) : undefined;
            if (extra) categories = [...categories, ...extra];
          }
        }
      }
    }
    if (product === undefined) {
      const os = scalarText(OS.read(event));
      if (os !== undefined) product = this.osProducts.get(os.toLowerCase());
    }
    if (ecsCategories.length > 0) {
      const ecsTypes = textList(ECS_TYPE.read(event));
      for (const rule of this.ecs) {
        if (!ecsCategories.includes(rule.category)) continue;
        if (rule.types !== undefined && !rule.types.some((t) => ecsTypes.includes(t))) continue;
        for (const s of rule.sigma) {
          if (categories === undefined) categories = [s];
          else if (!categories.includes(s)) categories = [...categories, s];
        }
      }
    }
    return this.intern(product, services ?? [], categories ?? []);
  }

  private intern(product: string | undefined, services: readonly string[], categories: readonly string[]): EventLogsource {
    const key = `${product ?? ''}|${services.join(',')}|${categories.join(',')}`;
    let ls = this.interned.get(key);
    if (ls === undefined) {
      ls = { product, services: [...services], categories: [...categories], key };
      this.interned.set(key, ls);
    }
    return ls;
  }
}

export class LogsourceTableError extends Error {}

export function parseLogsourceTable(text: string, source: string): LogsourceTable {
  const { documents, problems } = readYamlDocuments(text);
  if (problems.length > 0) throw new LogsourceTableError(`${source}:${problems[0].line}: ${problems[0].reason}`);
  const data = documents[0]?.data ?? {};
  const result = tableSchema.safeParse(data);
  if (!result.success) {
    const { message, path } = describeZodError(result.error, data);
    throw new LogsourceTableError(`${source}:${documents[0]?.locate(path) ?? 1}: ${message}`);
  }
  return new LogsourceTable(result.data);
}

export function loadLogsourceTable(file: string): LogsourceTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LogsourceTableError(`cannot read logsource table ${file}: ${(err as Error).message}`);
  }
  return parseLogsourceTable(text, file);
}
