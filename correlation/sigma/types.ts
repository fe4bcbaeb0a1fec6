/**
 * Shapes shared by the Sigma parser, compiler and rule set. A document in a rule file is one of
 * three kinds (Sigma 2.1): a detection rule, a correlation rule or a meta filter.
 */

export type SigmaLevel = 'informational' | 'low' | 'medium' | 'high' | 'critical';
export type SigmaStatus = 'stable' | 'test' | 'experimental' | 'deprecated' | 'unsupported';

/** Lower-cased logsource keys; absent keys match anything. */
export interface SigmaLogsource {
  product?: string;
  category?: string;
  service?: string;
}

/** Where a document or one of its values came from, for error messages. */
export interface SourceLocation {
  file: string;
  line: number;
}

/** Plain YAML value of a detection section after parsing (validated later by the compiler). */
export type DetectionValue = string | number | boolean | null | DetectionValue[] | { [key: string]: DetectionValue };

export interface SigmaDetection {
  /** Search identifiers → their definition (map, list of maps, list of keywords). */
  identifiers: Record<string, DetectionValue>;
  /** One or more conditions; several are linked with OR. */
  conditions: string[];
}

/** Resolves a path inside the document (e.g. ['detection', 'sel', 'Image|endswith']) to a 1-based line. */
export type LineLocator = (path: readonly (string | number)[]) => number;

interface SigmaDocumentBase {
  title: string;
  id?: string;
  name?: string;
  description?: string;
  status?: SigmaStatus;
  level?: SigmaLevel;
  tags: string[];
  author?: string;
  references: string[];
  falsepositives: string[];
  date?: string;
  modified?: string;
  taxonomy?: string;
  location: SourceLocation;
  locate: LineLocator;
  /** The whole document as parsed, including custom fields (compliance mappings, etc.). */
  raw: Record<string, unknown>;
}

export interface SigmaRule extends SigmaDocumentBase {
  kind: 'rule';
  logsource: SigmaLogsource;
  detection: SigmaDetection;
  fields: string[];
  scope: string[];
  related: { id: string; type: string }[];
}

export type CorrelationType =
  | 'event_count'
  | 'value_count'
  | 'temporal'
  | 'temporal_ordered'
  | 'value_sum'
  | 'value_avg'
  | 'value_percentile';

export type CorrelationOperator = 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq';

export interface SigmaCorrelation extends SigmaDocumentBase {
  kind: 'correlation';
  type: CorrelationType;
  /** Referenced rules by id or name, as written. */
  rules: string[];
  groupBy: string[];
  /** Milliseconds. */
  timespanMs: number;
  timespan: string;
  condition: { field?: string[]; operators: Partial<Record<CorrelationOperator, number>> };
  /** alias → (rule name → field). */
  aliases: Record<string, Record<string, string>>;
  generate: boolean;
}

export interface SigmaFilter extends SigmaDocumentBase {
  kind: 'filter';
  logsource: SigmaLogsource;
  /** 'any' applies to every rule the logsource allows; otherwise rule ids or names. */
  rules: 'any' | string[];
  detection: SigmaDetection;
}

export type SigmaDocument = SigmaRule | SigmaCorrelation | SigmaFilter;

/**
 * What kind of problem stopped a document from loading:
 * - rule-side: yaml, schema, detection, condition, modifier, value, reference, duplicate;
 * - engine-side: unsupported (a construct the engine cannot evaluate — a gap to fix);
 * - io: the file could not be read.
 */
export type SigmaErrorKind =
  | 'io'
  | 'yaml'
  | 'schema'
  | 'detection'
  | 'condition'
  | 'modifier'
  | 'value'
  | 'reference'
  | 'duplicate'
  | 'unsupported';

export interface SigmaLoadError {
  file: string;
  line: number;
  kind: SigmaErrorKind;
  reason: string;
  /** Title or id of the document when known. */
  document?: string;
  /** Status of the document when known (a rule marked `unsupported` is expected to fail). */
  status?: string;
}

export interface SigmaWarning {
  file: string;
  line: number;
  reason: string;
  document?: string;
}

/** Error thrown inside the parser/compiler; the loader turns it into a SigmaLoadError. */
export class SigmaError extends Error {
  constructor(
    readonly kind: SigmaErrorKind,
    message: string,
    /** Path inside the document the error is about, for the line number. */
    readonly path: readonly (string | number)[] = [],
  ) {
    super(message);
    this.name = 'SigmaError';
  }
}
