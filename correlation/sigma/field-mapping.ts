/**
 * Sigma field names → ECS paths, per logsource, from the data tables in rules/sigma/mappings/.
 * A section applies to a rule when every logsource key it names equals the rule's; the most
 * specific section that maps a field wins. A field resolves to an ordered list of candidate
 * paths: the matcher reads the first one present in the event. Unmapped fields use the section's
 * `fallback` templates (`winlog.event_data.{field}`); a mapped list may name them as `{fallback}`
 * (raw Windows fields first, ECS after). The raw Sigma name is always the last candidate, so
 * events that carry the original names still match.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describeZodError } from './schema';
import { readYamlDocuments } from './yaml-documents';
import type { SigmaLogsource } from './types';

const pathList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));

const sectionSchema = z.strictObject({
  logsource: z.strictObject({ product: z.string().optional(), category: z.string().optional(), service: z.string().optional() }),
  /** Where keyword (field-less) detections search: the first of these present in the event. */
  keywords: pathList.optional(),
  /** Templates for unmapped fields; `{field}` is replaced by the Sigma field name. */
  fallback: pathList.optional(),
  fields: z.record(z.string(), pathList).optional(),
});

const fileSchema = z.strictObject({ mappings: z.array(sectionSchema) });

export interface MappingSection {
  logsource: SigmaLogsource;
  keywords?: string[];
  fallback?: string[];
  fields: Map<string, string[]>;
  /** Lower-cased field name → mapped paths, for rules that vary the case of a field name. */
  fieldsLower: Map<string, string[]>;
  source: string;
}

export const DEFAULT_KEYWORD_FIELDS = ['message', 'event.original'];

export class FieldMappingError extends Error {}

interface ResolvedLogsource {
  sections: MappingSection[];
  keywords: string[];
  fallback: string[];
  cache: Map<string, string[]>;
}

export class FieldMappings {
  private readonly byLogsource = new Map<string, ResolvedLogsource>();

  constructor(readonly sections: readonly MappingSection[] = []) {}

  /** Candidate ECS paths for a Sigma field under a rule's logsource, most preferred first. */
  resolve(logsource: SigmaLogsource, field: string): string[] {
    const resolved = this.forLogsource(logsource);
    const cached = resolved.cache.get(field);
    if (cached) return cached;
    let mapped: string[] | undefined;
    for (const s of resolved.sections) {
      mapped = s.fields.get(field);
      if (mapped) break;
    }
    if (!mapped) {
      const lower = field.toLowerCase();
      for (const s of resolved.sections) {
        mapped = s.fieldsLower.get(lower);
        if (mapped) break;
      }
    }
    const fromFallback = resolved.fallback.map((t) => t.split('{field}').join(field));
    // In a mapped list, `{fallback}` stands for the fallback templates applied to this field.
    const candidates = mapped ? mapped.flatMap((p) => (p === '{fallback}' ? fromFallback : [p])) : fromFallback;
    candidates.push(field);
    const unique = [...new Set(candidates)];
    resolved.cache.set(field, unique);
    return unique;
  }

  keywordFields(logsource: SigmaLogsource): string[] {
    return this.forLogsource(logsource).keywords;
  }

  private forLogsource(logsource: SigmaLogsource): ResolvedLogsource {
    const key = `${logsource.product ?? ''}\u0000${logsource.category ?? ''}\u0000${logsource.service ?? ''}`;
    let resolved = this.byLogsource.get(key);
    if (resolved) return resolved;
    const applicable = this.sections
      .map((s, index) => ({ s, index, specificity: Object.keys(s.logsource).length }))
      .filter(({ s }) => logsourceCovers(s.logsource, logsource))
      // Most specific first; among equals, the later file/section overrides the earlier.
      .sort((a, b) => b.specificity - a.specificity || b.index - a.index)
      .map(({ s }) => s);
    resolved = {
      sections: applicable,
      keywords: applicable.find((s) => s.keywords)?.keywords ?? DEFAULT_KEYWORD_FIELDS,
      fallback: applicable.find((s) => s.fallback)?.fallback ?? [],
      cache: new Map(),
    };
    this.byLogsource.set(key, resolved);
    return resolved;
  }
}

/** True when every key `general` sets equals the same key of `specific` (pySigma's `in`). */
export function logsourceCovers(general: SigmaLogsource, specific: SigmaLogsource): boolean {
  return (
    (general.product === undefined || general.product === specific.product) &&
    (general.category === undefined || general.category === specific.category) &&
    (general.service === undefined || general.service === specific.service)
  );
}

export function parseMappingText(text: string, source: string): MappingSection[] {
  const { documents, problems } = readYamlDocuments(text);
  if (problems.length > 0) throw new FieldMappingError(`${source}:${problems[0].line}: ${problems[0].reason}`);
  const sections: MappingSection[] = [];
  for (const doc of documents) {
    const result = fileSchema.safeParse(doc.data);
    if (!result.success) {
      const { message, path } = describeZodError(result.error, doc.data);
      throw new FieldMappingError(`${source}:${doc.locate(path)}: ${message}`);
    }
    result.data.mappings.forEach((section, i) => {
      const fields = new Map<string, string[]>();
      const fieldsLower = new Map<string, string[]>();
      for (const [name, paths] of Object.entries(section.fields ?? {})) {
        fields.set(name, paths);
        if (!fieldsLower.has(name.toLowerCase())) fieldsLower.set(name.toLowerCase(), paths);
      }
      const ls: SigmaLogsource = {};
      if (section.logsource.product) ls.product = section.logsource.product.toLowerCase();
      if (section.logsource.category) ls.category = section.logsource.category.toLowerCase();
      if (section.logsource.service) ls.service = section.logsource.service.toLowerCase();
      sections.push({
        logsource: ls,
        keywords: section.keywords,
        fallback: section.fallback,
        fields,
        fieldsLower,
        source: `${source}:${doc.locate(['mappings', i])}`,
      });
    });
  }
  return sections;
}

/** Reads every *.yaml / *.yml in `dir` (sorted by name) into one mapping set. */
export function loadFieldMappings(dir: string): FieldMappings {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (err) {
    throw new FieldMappingError(`cannot read field mapping folder ${dir}: ${(err as Error).message}`);
  }
  const sections: MappingSection[] = [];
  for (const name of names) {
    const file = join(dir, name);
    sections.push(...parseMappingText(readFileSync(file, 'utf8'), file));
  }
  return new FieldMappings(sections);
}
