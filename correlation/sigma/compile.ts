/**
 * compileRule: a parsed Sigma rule (plus the meta filters that name it) → a compiled rule with its
 * IR tree and a matcher. Field names are resolved to ECS candidate paths through the mapping
 * tables for the rule's logsource; placeholders come from the deployment configuration.
 */
import type { EcsEvent } from '../../core/event';
import { compileDetection, type DetectionContext } from './detection';
import { EventView, FieldTable } from './event-view';
import { FieldMappings, logsourceCovers } from './field-mapping';
import type { MatchNode } from './ir';
import { buildMatcher, type Matcher } from './matchers';
import { SigmaError, type SigmaErrorKind, type SigmaFilter, type SigmaLevel, type SigmaLogsource, type SigmaRule } from './types';

export interface CompileOptions {
  /** Field mapping tables (rules/sigma/mappings); without them field names are used as written. */
  mappings?: FieldMappings;
  /** Placeholder name (without %) → values, for the `expand` modifier. */
  placeholders?: Readonly<Record<string, readonly string[]>>;
  /** An unconfigured placeholder is an empty list (default, with a warning) or rejects the rule. */
  unresolvedPlaceholders?: 'empty' | 'reject';
  /** Meta filters; those whose logsource covers the rule's and that name it (or 'any') apply. */
  filters?: readonly SigmaFilter[];
}

/** A compile failure located in its file. */
export class SigmaRuleError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly kind: SigmaErrorKind,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'SigmaRuleError';
  }
}

export interface CompiledSigmaRule {
  readonly rule: SigmaRule;
  readonly id: string | undefined;
  readonly name: string | undefined;
  readonly title: string;
  readonly level: SigmaLevel | undefined;
  readonly tags: readonly string[];
  readonly logsource: SigmaLogsource;
  /** Boolean tree of field tests, filters included. */
  readonly tree: MatchNode;
  /** Titles (or ids) of the meta filters applied. */
  readonly filters: readonly string[];
  readonly warnings: readonly string[];
  /** False when the rule only feeds correlation rules (`generate: false`, the default): no alert alone. */
  standalone: boolean;
  /** Matcher over a shared field table (what SigmaRuleSet uses); seal the table after binding. */
  bind(table: FieldTable): Matcher;
  /** Convenience for one-off checks; a SigmaRuleSet is faster for many rules. */
  match(event: EcsEvent | Record<string, unknown>): boolean;
}

const EMPTY_MAPPINGS = new FieldMappings([]);

function detectionContext(logsource: SigmaLogsource, options: CompileOptions, warnings: string[]): DetectionContext {
  const mappings = options.mappings ?? EMPTY_MAPPINGS;
  return {
    placeholders: options.placeholders ?? {},
    unresolvedPlaceholders: options.unresolvedPlaceholders ?? 'empty',
    warn: (message) => {
      if (!warnings.includes(message)) warnings.push(message);
    },
    resolveField: (field) => mappings.resolve(logsource, field),
    keywordFields: mappings.keywordFields(logsource),
  };
}

export function filterApplies(filter: SigmaFilter, rule: SigmaRule): boolean {
  if (!logsourceCovers(filter.logsource, rule.logsource)) return false;
  if (filter.rules === 'any') return true;
  return filter.rules.some((ref) => ref === rule.id || (rule.name !== undefined && ref === rule.name));
}

class CompiledRule implements CompiledSigmaRule {
  readonly id: string | undefined;
  readonly name: string | undefined;
  readonly title: string;
  readonly level: SigmaLevel | undefined;
  readonly tags: readonly string[];
  readonly logsource: SigmaLogsource;
  standalone = true;
  private ownTable: FieldTable | undefined;
  private ownMatcher: Matcher | undefined;
  private ownView: EventView | undefined;

  constructor(
    readonly rule: SigmaRule,
    readonly tree: MatchNode,
    readonly filters: readonly string[],
    readonly warnings: readonly string[],
  ) {
    this.id = rule.id;
    this.name = rule.name;
    this.title = rule.title;
    this.level = rule.level;
    this.tags = rule.tags;
    this.logsource = rule.logsource;
  }

  bind(table: FieldTable): Matcher {
    return buildMatcher(this.tree, table);
  }

  match(event: EcsEvent | Record<string, unknown>): boolean {
    if (this.ownMatcher === undefined || this.ownTable === undefined) {
      this.ownTable = new FieldTable();
      this.ownMatcher = this.bind(this.ownTable);
      this.ownTable.seal();
      this.ownView = new EventView(this.ownTable);
    }
    const view = this.ownView as EventView;
    view.reset(event);
    return this.ownMatcher.test(view);
  }
}

export function compileRule(rule: SigmaRule, options: CompileOptions = {}): CompiledSigmaRule {
  const warnings: string[] = [];
  let tree: MatchNode;
  try {
    tree = compileDetection(rule.detection, detectionContext(rule.logsource, options, warnings), ['detection']);
  } catch (err) {
    if (err instanceof SigmaError) throw new SigmaRuleError(rule.location.file, rule.locate(err.path), err.kind, err.message);
    throw err;
  }
  const applied: string[] = [];
  for (const filter of options.filters ?? []) {
    if (!filterApplies(filter, rule)) continue;
    let filterTree: MatchNode;
    try {
      // Filter fields are mapped with the rule's logsource: the filter runs on the rule's events.
      filterTree = compileDetection(filter.detection, detectionContext(rule.logsource, options, warnings), ['filter']);
    } catch (err) {
      if (err instanceof SigmaError) {
        throw new SigmaRuleError(filter.location.file, filter.locate(err.path), err.kind, `filter '${filter.title}' on rule '${rule.title}': ${err.message}`);
      }
      throw err;
    }
    // pySigma semantics: the rule's condition AND the filter's condition (filters say `not …`).
    tree = { kind: 'and', children: [tree, filterTree] };
    applied.push(filter.id ?? filter.title);
  }
  return new CompiledRule(rule, tree, applied, warnings);
}

/** Validates a filter on its own logsource, so a broken filter is reported once, not per rule. */
export function checkFilter(filter: SigmaFilter, options: CompileOptions = {}): void {
  try {
    compileDetection(filter.detection, detectionContext(filter.logsource, options, []), ['filter']);
  } catch (err) {
    if (err instanceof SigmaError) throw new SigmaRuleError(filter.location.file, filter.locate(err.path), err.kind, err.message);
    throw err;
  }
}
