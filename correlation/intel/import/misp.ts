/**
 * MISP events in MISP's JSON format (`{"Event": {...}}`, a restSearch `{"response": [...]}` or a
 * list of them) and the feed manifest (`manifest.json`: event uuid → summary) that a MISP feed
 * folder publishes beside its `<uuid>.json` event files. Attributes marked `to_ids: false` are
 * context, not detection material, and are skipped unless the feed says otherwise.
 */
import { z } from 'zod';
import { canonicalIndicator } from '../normalize';
import { ImportReport, IntelImportError, type IndicatorMeta, type IndicatorType } from '../types';

const flag = z.union([z.boolean(), z.enum(['0', '1']), z.number()]).transform((v) => v === true || v === '1' || v === 1);
const tagList = z.array(z.looseObject({ name: z.string() })).optional();

const attributeSchema = z.looseObject({
  type: z.string().min(1),
  value: z.string(),
  uuid: z.string().optional(),
  category: z.string().optional(),
  to_ids: flag.optional(),
  deleted: flag.optional(),
  comment: z.string().optional(),
  first_seen: z.string().nullable().optional(),
  Tag: tagList,
});

const eventSchema = z.looseObject({
  uuid: z.string().optional(),
  id: z.union([z.string(), z.number()]).optional(),
  info: z.string().optional(),
  Orgc: z.looseObject({ name: z.string().optional() }).optional(),
  Tag: tagList,
  Attribute: z.array(z.unknown()).optional(),
  Object: z.array(z.looseObject({ name: z.string().optional(), Attribute: z.array(z.unknown()).optional() })).optional(),
  Galaxy: z
    .array(z.looseObject({ type: z.string().optional(), GalaxyCluster: z.array(z.looseObject({ value: z.string().optional(), meta: z.looseObject({ external_id: z.array(z.string()).optional() }).optional() })).optional() }))
    .optional(),
});

/** The manifest of a MISP feed: one summary per event, keyed by the event's uuid. */
const manifestSchema = z.record(z.string(), z.looseObject({ timestamp: z.union([z.string(), z.number()]).optional(), info: z.string().optional() }));
export type MispManifest = z.infer<typeof manifestSchema>;

export interface MispOptions {
  /** Import attributes with `to_ids: false` too. */
  includeNonIds: boolean;
}

/** MISP attribute type → the indicator type of each `|`-separated part (null: a part that is not matched, e.g. the port). */
const TYPE_PARTS: Record<string, ReadonlyArray<IndicatorType | 'ip' | null>> = {
  'ip-src': ['ip'],
  'ip-dst': ['ip'],
  'ip-src|port': ['ip', null],
  'ip-dst|port': ['ip', null],
  domain: ['domain'],
  'domain|ip': ['domain', 'ip'],
  hostname: ['hostname'],
  'hostname|port': ['hostname', null],
  url: ['url'],
  md5: ['md5'],
  sha1: ['sha1'],
  sha256: ['sha256'],
  'filename|md5': [null, 'md5'],
  'filename|sha1': [null, 'sha1'],
  'filename|sha256': [null, 'sha256'],
  'malware-sample': [null, 'md5'],
};

const TECHNIQUE_IN_TEXT = /\b(T\d{4}(?:\.\d{3})?)\b/;

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue.path.map(String).join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

/** Splits MISP tags into the TLP, ATT&CK tags and the rest (labels). */
function readTags(tags: ReadonlyArray<{ name: string }> | undefined, meta: { labels: string[]; attack: string[]; tlp?: string }): void {
  for (const { name } of tags ?? []) {
    const lower = name.toLowerCase();
    if (lower.startsWith('tlp:')) {
      meta.tlp = lower.slice(4);
      continue;
    }
    if (lower.startsWith('misp-galaxy:mitre-')) {
      const t = TECHNIQUE_IN_TEXT.exec(name);
      if (t !== null && !meta.attack.includes(`attack.${t[1].toLowerCase()}`)) meta.attack.push(`attack.${t[1].toLowerCase()}`);
      continue;
    }
    if (!meta.labels.includes(name)) meta.labels.push(name);
  }
}

function eventMeta(event: z.infer<typeof eventSchema>, source: string): IndicatorMeta {
  const meta: { labels: string[]; attack: string[]; tlp?: string } = { labels: [], attack: [] };
  readTags(event.Tag, meta);
  for (const galaxy of event.Galaxy ?? []) {
    if (galaxy.type !== 'mitre-attack-pattern') continue;
    for (const cluster of galaxy.GalaxyCluster ?? []) {
      const id = cluster.meta?.external_id?.[0] ?? TECHNIQUE_IN_TEXT.exec(cluster.value ?? '')?.[1];
      if (id !== undefined && /^T\d{4}/.test(id) && !meta.attack.includes(`attack.${id.toLowerCase()}`)) meta.attack.push(`attack.${id.toLowerCase()}`);
    }
  }
  const out: IndicatorMeta = { source, labels: meta.labels, attack: meta.attack };
  if (event.info !== undefined) out.name = event.info.slice(0, 300);
  if (event.Orgc?.name !== undefined) out.description = `MISP event by ${event.Orgc.name}`;
  if (meta.tlp !== undefined) out.tlp = meta.tlp;
  return out;
}

function importAttribute(raw: unknown, position: string, meta: IndicatorMeta, options: MispOptions, report: ImportReport): void {
  const parsed = attributeSchema.safeParse(raw);
  if (!parsed.success) {
    report.error(position, firstIssue(parsed.error));
    return;
  }
  const attr = parsed.data;
  if (attr.deleted === true || (attr.to_ids === false && !options.includeNonIds)) {
    report.skipped++;
    return;
  }
  const parts = TYPE_PARTS[attr.type];
  if (parts === undefined) {
    report.notSupported(position, `attribute type "${attr.type.slice(0, 40)}" is not matched`);
    return;
  }
  const values = parts.length === 1 ? [attr.value] : attr.value.split('|');
  if (values.length !== parts.length) {
    report.error(position, `${attr.type} value "${attr.value.slice(0, 100)}" should have ${parts.length} parts separated by |`);
    return;
  }
  let own = meta;
  if (attr.Tag !== undefined && attr.Tag.length > 0) {
    const extra: { labels: string[]; attack: string[]; tlp?: string } = { labels: [...meta.labels], attack: [...meta.attack], tlp: meta.tlp };
    readTags(attr.Tag, extra);
    own = { ...meta, labels: extra.labels, attack: extra.attack, ...(extra.tlp !== undefined ? { tlp: extra.tlp } : {}) };
  }
  const firstSeen = attr.first_seen !== undefined && attr.first_seen !== null ? Date.parse(attr.first_seen) : NaN;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    if (part === null) continue;
    const c = canonicalIndicator(values[k], part === 'ip' ? (values[k].indexOf(':') >= 0 ? 'ipv6' : 'ipv4') : part);
    if (!c.ok) {
      report.error(position, `${attr.type}: ${c.reason}`);
      continue;
    }
    report.indicators.push(Number.isNaN(firstSeen) ? { type: c.type, value: c.value, meta: own } : { type: c.type, value: c.value, firstSeen, meta: own });
  }
}

function importEvent(raw: unknown, position: string, options: MispOptions, report: ImportReport): void {
  const parsed = eventSchema.safeParse(raw);
  if (!parsed.success) {
    report.error(position, `not a MISP event: ${firstIssue(parsed.error)}`);
    return;
  }
  const event = parsed.data;
  const id = event.uuid ?? (event.id !== undefined ? String(event.id) : position);
  const meta = eventMeta(event, `misp-event:${id}`);
  const attrs = event.Attribute ?? [];
  for (let i = 0; i < attrs.length; i++) importAttribute(attrs[i], `Event ${id}/Attribute[${i}]`, meta, options, report);
  const objects = event.Object ?? [];
  for (let o = 0; o < objects.length; o++) {
    const list = objects[o].Attribute ?? [];
    for (let i = 0; i < list.length; i++) importAttribute(list[i], `Event ${id}/Object[${o}]/Attribute[${i}]`, meta, options, report);
  }
}

/** One MISP event file, a restSearch response or a list of events. */
export function importMispEvents(text: string, input: string, options: MispOptions, report = new ImportReport()): ImportReport {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new IntelImportError(input, `not JSON: ${(err as Error).message}`);
  }
  const list: unknown[] = Array.isArray(doc) ? doc : doc !== null && typeof doc === 'object' && Array.isArray((doc as Record<string, unknown>).response) ? ((doc as Record<string, unknown>).response as unknown[]) : [doc];
  let events = 0;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    const event = item !== null && typeof item === 'object' && 'Event' in item ? (item as Record<string, unknown>).Event : undefined;
    if (event === undefined) {
      if (list.length === 1) throw new IntelImportError(input, 'not a MISP event (expected {"Event": {...}})');
      report.error(`${input} [${i}]`, 'not a MISP event (expected {"Event": {...}})');
      continue;
    }
    events++;
    importEvent(event, list.length === 1 ? input : `${input} [${i}]`, options, report);
  }
  if (events === 0 && list.length > 0) throw new IntelImportError(input, 'no MISP event in the document');
  return report;
}

/** A feed's manifest.json: the event uuids and their timestamps (to fetch only changed events). */
export function parseMispManifest(text: string, input: string): Map<string, string> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new IntelImportError(input, `not JSON: ${(err as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(doc);
  if (!parsed.success) throw new IntelImportError(input, `not a MISP feed manifest: ${firstIssue(parsed.error)}`);
  const out = new Map<string, string>();
  for (const [uuid, summary] of Object.entries(parsed.data)) {
    // Event files are fetched by this name: refuse anything that could leave the feed's folder.
    if (!/^[0-9a-fA-F-]{36}$/.test(uuid)) throw new IntelImportError(input, `manifest key "${uuid.slice(0, 60)}" is not an event uuid`);
    out.set(uuid, summary.timestamp !== undefined ? String(summary.timestamp) : '');
  }
  return out;
}
