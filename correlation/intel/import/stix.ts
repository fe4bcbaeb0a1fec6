/**
 * STIX 2.1 bundles (and TAXII 2.1 envelopes, which carry `objects` the same way): `indicator`
 * objects with STIX patterns become indicators; `relationship` objects of type `indicates` lend them
 * the ATT&CK technique of an `attack-pattern` and the name of a malware, threat actor, intrusion set
 * or campaign; TLP marking definitions set their TLP. One bad object is counted and skipped.
 */
import { z } from 'zod';
import { canonicalIndicator } from '../normalize';
import { ImportReport, IntelImportError, type IndicatorMeta } from '../types';
import { parseStixPattern } from './stix-pattern';

const timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not an RFC 3339 timestamp');

const externalReference = z.looseObject({ source_name: z.string(), url: z.string().optional(), external_id: z.string().optional() });

const indicatorSchema = z.looseObject({
  type: z.literal('indicator'),
  id: z.string().regex(/^indicator--[0-9a-fA-F-]{36}$/, 'expected indicator--<UUID>'),
  created: timestamp.optional(),
  modified: timestamp.optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  indicator_types: z.array(z.string()).optional(),
  pattern: z.string().min(1),
  pattern_type: z.string().min(1),
  valid_from: timestamp.optional(),
  valid_until: timestamp.optional(),
  kill_chain_phases: z.array(z.looseObject({ kill_chain_name: z.string(), phase_name: z.string() })).optional(),
  labels: z.array(z.string()).optional(),
  confidence: z.number().int().min(0).max(100).optional(),
  revoked: z.boolean().optional(),
  external_references: z.array(externalReference).optional(),
  object_marking_refs: z.array(z.string()).optional(),
});
type StixIndicator = z.infer<typeof indicatorSchema>;

const envelopeSchema = z.looseObject({ type: z.string().optional(), objects: z.array(z.unknown()) });

/** TLP 1.0 marking definitions have fixed ids in STIX 2.1 (section 7.2.1.4). */
const TLP_IDS: Record<string, string> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'white',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'green',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'amber',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'red',
};

/** Objects an `indicates` relationship may point at whose name helps the analyst. */
const NAMED_TARGETS = new Set(['malware', 'threat-actor', 'intrusion-set', 'campaign', 'tool']);

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;
/** Longest description kept per indicator (a million indicators with essays would not fit). */
const MAX_DESCRIPTION = 500;

interface BundleContext {
  /** attack-pattern id → ATT&CK technique id. */
  techniques: Map<string, string>;
  /** malware/threat-actor… id → name. */
  names: Map<string, string>;
  /** indicator id → targets of its `indicates` relationships. */
  indicates: Map<string, string[]>;
  tlp: Map<string, string>;
}

function str(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

function collectContext(objects: readonly unknown[]): BundleContext {
  const ctx: BundleContext = { techniques: new Map(), names: new Map(), indicates: new Map(), tlp: new Map(Object.entries(TLP_IDS)) };
  for (const raw of objects) {
    if (raw === null || typeof raw !== 'object') continue;
    const o = raw as Record<string, unknown>;
    const type = str(o, 'type');
    const id = str(o, 'id');
    if (id === undefined) continue;
    if (type === 'attack-pattern' && Array.isArray(o.external_references)) {
      for (const ref of o.external_references as unknown[]) {
        const r = externalReference.safeParse(ref);
        if (r.success && r.data.source_name === 'mitre-attack' && r.data.external_id !== undefined && TECHNIQUE_ID.test(r.data.external_id)) ctx.techniques.set(id, r.data.external_id);
      }
    } else if (type !== undefined && NAMED_TARGETS.has(type)) {
      const name = str(o, 'name');
      if (name !== undefined) ctx.names.set(id, name);
    } else if (type === 'relationship' && str(o, 'relationship_type') === 'indicates') {
      const source = str(o, 'source_ref');
      const target = str(o, 'target_ref');
      if (source !== undefined && target !== undefined) {
        const list = ctx.indicates.get(source);
        if (list === undefined) ctx.indicates.set(source, [target]);
        else list.push(target);
      }
    } else if (type === 'marking-definition') {
      const def = o.definition as Record<string, unknown> | undefined;
      const tlp = str(o, 'definition_type') === 'tlp' && def !== undefined ? str(def, 'tlp') : undefined;
      const name = str(o, 'name');
      if (tlp !== undefined) ctx.tlp.set(id, tlp.toLowerCase());
      else if (name !== undefined && /^TLP:/i.test(name)) ctx.tlp.set(id, name.slice(4).toLowerCase());
    }
  }
  return ctx;
}

function pushUnique(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

function metaOf(ind: StixIndicator, ctx: BundleContext): IndicatorMeta {
  const labels: string[] = [];
  for (const l of ind.labels ?? []) pushUnique(labels, l);
  for (const l of ind.indicator_types ?? []) pushUnique(labels, l);
  const attack: string[] = [];
  for (const phase of ind.kill_chain_phases ?? []) {
    if (phase.kill_chain_name === 'mitre-attack') pushUnique(attack, `attack.${phase.phase_name.toLowerCase()}`);
  }
  let reference: string | undefined;
  for (const ref of ind.external_references ?? []) {
    if (ref.source_name === 'mitre-attack' && ref.external_id !== undefined && TECHNIQUE_ID.test(ref.external_id)) pushUnique(attack, `attack.${ref.external_id.toLowerCase()}`);
    if (reference === undefined && ref.url !== undefined) reference = ref.url;
  }
  for (const target of ctx.indicates.get(ind.id) ?? []) {
    const technique = ctx.techniques.get(target);
    if (technique !== undefined) pushUnique(attack, `attack.${technique.toLowerCase()}`);
    const name = ctx.names.get(target);
    if (name !== undefined) pushUnique(labels, name);
  }
  let tlp: string | undefined;
  for (const ref of ind.object_marking_refs ?? []) tlp ??= ctx.tlp.get(ref);
  const meta: IndicatorMeta = { source: ind.id, labels, attack };
  if (ind.name !== undefined) meta.name = ind.name;
  if (ind.description !== undefined) meta.description = ind.description.slice(0, MAX_DESCRIPTION);
  if (reference !== undefined) meta.reference = reference;
  if (tlp !== undefined) meta.tlp = tlp;
  return meta;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue.path.map(String).join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

/** Reads a STIX 2.1 bundle's text into `report` (a new one by default); throws IntelImportError when it is not a bundle at all. */
export function importStixBundle(text: string, input: string, report = new ImportReport()): ImportReport {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new IntelImportError(input, `not JSON: ${(err as Error).message}`);
  }
  const envelope = envelopeSchema.safeParse(doc);
  if (!envelope.success) throw new IntelImportError(input, 'not a STIX 2.1 bundle (expected an object with an "objects" array)');
  if (envelope.data.type !== undefined && envelope.data.type !== 'bundle') throw new IntelImportError(input, `not a STIX bundle: type is "${envelope.data.type}"`);
  const objects = envelope.data.objects;
  const ctx = collectContext(objects);

  // The latest version (by `modified`) of each indicator wins; earlier versions are skipped.
  const latest = new Map<string, { at: number; ind: StixIndicator }>();
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i];
    if (o === null || typeof o !== 'object' || Array.isArray(o)) {
      report.error(`objects[${i}]`, 'not a STIX object');
      continue;
    }
    if ((o as Record<string, unknown>).type !== 'indicator') continue;
    const position = `objects[${i}]${typeof (o as Record<string, unknown>).id === 'string' ? ` ${String((o as Record<string, unknown>).id).slice(0, 60)}` : ''}`;
    const parsed = indicatorSchema.safeParse(o);
    if (!parsed.success) {
      report.error(position, firstIssue(parsed.error));
      continue;
    }
    const ind = parsed.data;
    const modified = Date.parse(ind.modified ?? ind.created ?? '') || 0;
    const seen = latest.get(ind.id);
    if (seen !== undefined) {
      report.skipped++;
      if (seen.at >= modified) continue;
    }
    latest.set(ind.id, { at: modified, ind });
  }

  for (const { ind } of latest.values()) {
    const position = ind.id;
    if (ind.revoked === true) {
      report.skipped++;
      continue;
    }
    if (ind.pattern_type !== 'stix') {
      report.notSupported(position, `pattern_type "${ind.pattern_type.slice(0, 40)}" (only stix patterns are matched)`);
      continue;
    }
    const validFrom = ind.valid_from !== undefined ? Date.parse(ind.valid_from) : undefined;
    const validUntil = ind.valid_until !== undefined ? Date.parse(ind.valid_until) : undefined;
    if (validFrom !== undefined && validUntil !== undefined && validUntil <= validFrom) {
      report.error(position, `valid_until ${ind.valid_until} is not after valid_from ${ind.valid_from}`);
      continue;
    }
    const pattern = parseStixPattern(ind.pattern);
    if (!pattern.ok) {
      if (pattern.unsupported) report.notSupported(position, `${pattern.reason}: ${ind.pattern.slice(0, 200)}`);
      else report.error(position, `pattern: ${pattern.reason}: ${ind.pattern.slice(0, 200)}`);
      continue;
    }
    const meta = metaOf(ind, ctx);
    for (const v of pattern.values) {
      const c = canonicalIndicator(v.value, v.type);
      if (!c.ok) {
        report.error(position, `${v.path}: ${c.reason}`);
        continue;
      }
      report.indicators.push({ type: c.type, value: c.value, confidence: ind.confidence, validFrom, validUntil, meta });
    }
  }
  return report;
}
