/**
 * Turns the YAML documents of one file into typed Sigma documents (rule, correlation or filter),
 * validated with zod. Every problem becomes a SigmaLoadError naming file, line and reason.
 */
import { correlationSchema, describeZodError, filterSchema, ruleSchema, type CorrelationInput } from './schema';
import { readYamlDocuments, type YamlDocument } from './yaml-documents';
import {
  SigmaError,
  type CorrelationOperator,
  type DetectionValue,
  type SigmaDetection,
  type SigmaDocument,
  type SigmaLoadError,
  type SigmaLogsource,
} from './types';

export interface ParsedFile {
  documents: SigmaDocument[];
  errors: SigmaLoadError[];
}

export function parseSigmaText(text: string, file: string): ParsedFile {
  const { documents: yamlDocs, problems } = readYamlDocuments(text);
  const errors: SigmaLoadError[] = problems.map((p) => ({ file, line: p.line, kind: 'yaml', reason: p.reason }));
  const documents: SigmaDocument[] = [];
  let collection = false;
  for (const doc of yamlDocs) {
    try {
      const data = doc.data as Record<string, unknown>;
      if (data !== null && typeof data === 'object' && 'action' in data) collection = true;
      else if (collection && !('title' in data)) {
        throw new SigmaError('schema', "part of a Sigma 1.x 'action: global' collection (removed in 2.0: write each rule as a complete document)");
      }
      documents.push(parseSigmaDocument(doc, file));
    } catch (err) {
      if (!(err instanceof SigmaError)) throw err;
      const data = doc.data as Record<string, unknown>;
      errors.push({
        file,
        line: doc.locate(err.path),
        kind: err.kind,
        reason: err.message,
        document: documentLabel(data),
        status: typeof data?.status === 'string' ? data.status : undefined,
      });
    }
  }
  return { documents, errors };
}

function documentLabel(data: Record<string, unknown> | null): string | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  if (typeof data.title === 'string') return data.title;
  if (typeof data.id === 'string') return data.id;
  return undefined;
}

export function parseSigmaDocument(doc: YamlDocument, file: string): SigmaDocument {
  const data = doc.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new SigmaError('schema', 'a Sigma document must be a YAML map (title, logsource, detection, ...)');
  }
  const raw = data as Record<string, unknown>;
  if ('action' in raw && !('detection' in raw && 'logsource' in raw)) {
    throw new SigmaError('schema', `'action: ${String(raw.action)}' multi-document collections are Sigma 1.x syntax, removed in Sigma 2.0`, ['action']);
  }
  if ('correlation' in raw) return parseCorrelation(raw, doc, file);
  if ('filter' in raw && !('detection' in raw)) return parseFilter(raw, doc, file);
  return parseRule(raw, doc, file);
}

function common(input: {
  title: string;
  id?: string;
  name?: string;
  description?: string;
  status?: SigmaDocument['status'];
  level?: SigmaDocument['level'];
  tags?: string[];
  author?: string;
  references?: string[];
  falsepositives?: string[];
  date?: string;
  modified?: string;
  taxonomy?: string;
}, raw: Record<string, unknown>, doc: YamlDocument, file: string) {
  return {
    title: input.title,
    id: input.id,
    name: input.name,
    description: input.description,
    status: input.status,
    level: input.level,
    tags: input.tags ?? [],
    author: input.author,
    references: input.references ?? [],
    falsepositives: input.falsepositives ?? [],
    date: input.date,
    modified: input.modified,
    taxonomy: input.taxonomy,
    location: { file, line: doc.line },
    locate: doc.locate,
    raw,
  };
}

function normalizeLogsource(ls: { category?: string; product?: string; service?: string }): SigmaLogsource {
  const out: SigmaLogsource = {};
  // The spec writes logsource values in lower case; compare them that way.
  if (ls.category !== undefined && ls.category !== '') out.category = ls.category.toLowerCase();
  if (ls.product !== undefined && ls.product !== '') out.product = ls.product.toLowerCase();
  if (ls.service !== undefined && ls.service !== '') out.service = ls.service.toLowerCase();
  return out;
}

function checkTaxonomy(taxonomy: string | undefined): void {
  if (taxonomy !== undefined && taxonomy.toLowerCase() !== 'sigma') {
    throw new SigmaError('unsupported', `taxonomy '${taxonomy}' is not supported (only the default 'sigma' taxonomy)`, ['taxonomy']);
  }
}

function parseRule(raw: Record<string, unknown>, doc: YamlDocument, file: string): SigmaDocument {
  const result = ruleSchema.safeParse(raw);
  if (!result.success) {
    const { message, path } = describeZodError(result.error, raw);
    throw new SigmaError('schema', message, path);
  }
  const input = result.data;
  checkTaxonomy(input.taxonomy);
  return {
    kind: 'rule',
    ...common(input, raw, doc, file),
    logsource: normalizeLogsource(input.logsource),
    detection: splitDetection(input.detection as Record<string, unknown>, ['detection']),
    fields: input.fields ?? [],
    scope: input.scope ?? [],
    related: (input.related ?? []).map((r) => ({ id: r.id, type: r.type })),
  };
}

/** Separates the condition from the search identifiers of a detection (or filter) section. */
export function splitDetection(section: Record<string, unknown>, path: (string | number)[], reserved: readonly string[] = ['condition']): SigmaDetection {
  const identifiers: Record<string, DetectionValue> = {};
  for (const [key, value] of Object.entries(section)) {
    if (reserved.includes(key)) continue;
    if (key === 'timeframe') {
      throw new SigmaError('detection', "'timeframe' in detection is Sigma 1.x aggregation syntax, removed in 2.0 (use a correlation rule)", [...path, key]);
    }
    identifiers[key] = value as DetectionValue;
  }
  const cond = section.condition;
  let conditions: string[];
  if (typeof cond === 'string') conditions = [cond];
  else if (Array.isArray(cond) && cond.length > 0 && cond.every((c) => typeof c === 'string')) conditions = cond as string[];
  else throw new SigmaError('condition', 'condition must be a string or a non-empty list of strings', [...path, 'condition']);
  return { identifiers, conditions };
}

const TIMESPAN_UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  M: 30 * 86_400_000,
  y: 365 * 86_400_000,
};

function parseCorrelation(raw: Record<string, unknown>, doc: YamlDocument, file: string): SigmaDocument {
  const result = correlationSchema.safeParse(raw);
  if (!result.success) {
    const { message, path } = describeZodError(result.error, raw);
    throw new SigmaError('schema', message, path);
  }
  const input: CorrelationInput = result.data;
  checkTaxonomy(input.taxonomy);
  const c = input.correlation;
  const operators: Partial<Record<CorrelationOperator, number>> = {};
  for (const op of ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const) {
    const v = c.condition?.[op];
    if (v !== undefined) operators[op] = v;
  }
  const needsCondition = c.type !== 'temporal' && c.type !== 'temporal_ordered';
  if (needsCondition && Object.keys(operators).length === 0) {
    throw new SigmaError('schema', `correlation type ${c.type} needs a condition with gt, gte, lt, lte, eq or neq`, ['correlation', 'condition']);
  }
  const needsField = c.type === 'value_count' || c.type === 'value_sum' || c.type === 'value_avg' || c.type === 'value_percentile';
  if (needsField && (c.condition?.field === undefined || c.condition.field.length === 0)) {
    throw new SigmaError('schema', `correlation type ${c.type} needs condition.field`, ['correlation', 'condition']);
  }
  if ((c.type === 'value_sum' || c.type === 'value_avg') && c.condition?.field !== undefined && c.condition.field.length > 1) {
    throw new SigmaError('schema', `correlation type ${c.type} takes one condition.field (a number to add up)`, ['correlation', 'condition', 'field']);
  }
  if (!needsField && c.condition?.field !== undefined) {
    throw new SigmaError('schema', `correlation type ${c.type} takes no condition.field`, ['correlation', 'condition', 'field']);
  }
  if ((c.type === 'temporal' || c.type === 'temporal_ordered') && c.rules.length < 2) {
    throw new SigmaError('schema', `correlation type ${c.type} needs at least two rules`, ['correlation', 'rules']);
  }
  const unit = c.timespan.slice(-1);
  const timespanMs = Number(c.timespan.slice(0, -1)) * TIMESPAN_UNIT_MS[unit];
  if (!(timespanMs > 0)) throw new SigmaError('schema', `timespan ${c.timespan} must be greater than zero`, ['correlation', 'timespan']);
  return {
    kind: 'correlation',
    ...common(input, raw, doc, file),
    type: c.type,
    rules: c.rules,
    groupBy: c['group-by'] ?? [],
    timespan: c.timespan,
    timespanMs,
    condition: { field: c.condition?.field, operators },
    aliases: c.aliases ?? {},
    generate: c.generate ?? input.generate ?? false,
  };
}

function parseFilter(raw: Record<string, unknown>, doc: YamlDocument, file: string): SigmaDocument {
  const result = filterSchema.safeParse(raw);
  if (!result.success) {
    const { message, path } = describeZodError(result.error, raw);
    throw new SigmaError('schema', message, path);
  }
  const input = result.data;
  checkTaxonomy(input.taxonomy);
  const section = input.filter as Record<string, unknown>;
  const rulesValue = section.rules;
  let rules: 'any' | string[];
  if (typeof rulesValue === 'string') rules = ['any', 'all'].includes(rulesValue.toLowerCase()) ? 'any' : [rulesValue];
  else if (Array.isArray(rulesValue) && rulesValue.every((r) => typeof r === 'string')) rules = rulesValue.length === 0 ? 'any' : (rulesValue as string[]);
  else throw new SigmaError('schema', "filter rules must be 'any', a rule id or name, or a list of them", ['filter', 'rules']);
  return {
    kind: 'filter',
    ...common(input, raw, doc, file),
    logsource: normalizeLogsource(input.logsource),
    rules,
    detection: splitDetection(section, ['filter'], ['condition', 'rules']),
  };
}
