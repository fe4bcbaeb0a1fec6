/**
 * Reads a correlation's group-by and condition fields from what one referenced rule produces.
 *
 * A field name in `group-by` (or `condition.field`) is first looked up in `aliases` for the
 * referenced rule (by its name, or id), so that `internal_ip` reads `destination.ip` from one rule's
 * events and `source.ip` from another's. The resulting Sigma field name is mapped to ECS paths
 * through the referenced rule's logsource, exactly as its detection was, so `User` on a Windows
 * rule reads `winlog.event_data.User` (or evtx `Event.EventData.User`) and an ECS name reads itself.
 *
 * For a referenced correlation, the field comes from that correlation's own group-by values when
 * it has the field, else from the newest event of its hit that carries it (the spec's example:
 * an inner rule grouped by ComputerName feeding an outer one grouped by User).
 */
import type { EcsEvent } from '../../../core/event';
import type { CompiledSigmaRule } from '../compile';
import { FieldAccessor, stringForms } from '../event-view';
import type { FieldMappings } from '../field-mapping';
import type { SigmaCorrelation } from '../types';
import type { CorrelationHit } from './types';

/** A referenced rule or correlation, resolved. */
export type ReferenceTarget = { kind: 'rule'; rule: CompiledSigmaRule } | { kind: 'correlation'; correlation: SigmaCorrelation; leaves: CompiledSigmaRule[] };

/** Separates the values of a multi-field condition key (never in real field values). */
export const KEY_SEPARATOR = '\u001f';

class FieldSource {
  constructor(
    /** Field name after alias resolution (what a referenced correlation's group-by may hold). */
    readonly name: string,
    readonly accessor: FieldAccessor,
  ) {}

  fromEvent(event: EcsEvent): unknown {
    return this.accessor.read(event);
  }

  fromHit(hit: CorrelationHit): unknown {
    const grouped = hit.groupKey[this.name];
    if (grouped !== undefined) return grouped;
    for (let i = hit.events.length - 1; i >= 0; i--) {
      const v = this.accessor.read(hit.events[i]);
      if (v !== undefined && v !== null) return v;
    }
    return undefined;
  }
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  const forms = stringForms(v);
  if (forms.length === 0) return undefined;
  return forms.length === 1 ? forms[0] : forms.join(',');
}

function numeric(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  if (Array.isArray(v) && v.length > 0) return numeric(v[0]);
  return Number.NaN;
}

/** The group-by and condition field readers for one (correlation, referenced rule) pair. */
export class RefFields {
  private readonly group: FieldSource[];
  private readonly condition: FieldSource[];

  constructor(correlation: SigmaCorrelation, refName: string, target: ReferenceTarget, mappings: FieldMappings) {
    const names = new Set<string>([refName]);
    if (target.kind === 'rule') {
      if (target.rule.name !== undefined) names.add(target.rule.name);
      if (target.rule.id !== undefined) names.add(target.rule.id);
    } else {
      if (target.correlation.name !== undefined) names.add(target.correlation.name);
      if (target.correlation.id !== undefined) names.add(target.correlation.id);
    }
    const source = (field: string): FieldSource => {
      let name = field;
      const alias = correlation.aliases[field];
      if (alias !== undefined) {
        for (const n of names) {
          if (alias[n] !== undefined) {
            name = alias[n];
            break;
          }
        }
      }
      const paths =
        target.kind === 'rule'
          ? mappings.resolve(target.rule.logsource, name)
          : [...new Set(target.leaves.flatMap((leaf) => mappings.resolve(leaf.logsource, name)))];
      return new FieldSource(name, new FieldAccessor(paths.length > 0 ? paths : [name]));
    };
    this.group = correlation.groupBy.map(source);
    this.condition = (correlation.condition.field ?? []).map(source);
  }

  /** Fills `out` with the group-by values; false when one is missing. */
  groupValues(event: EcsEvent | undefined, hit: CorrelationHit | undefined, out: string[]): boolean {
    for (let i = 0; i < this.group.length; i++) {
      const f = this.group[i];
      const v = text(hit !== undefined ? f.fromHit(hit) : f.fromEvent(event as EcsEvent));
      if (v === undefined) return false;
      out[i] = v;
    }
    return true;
  }

  /** The condition field value(s) as one key; undefined when one is missing. */
  conditionKey(event: EcsEvent | undefined, hit: CorrelationHit | undefined): string | undefined {
    let key = '';
    for (let i = 0; i < this.condition.length; i++) {
      const f = this.condition[i];
      const v = text(hit !== undefined ? f.fromHit(hit) : f.fromEvent(event as EcsEvent));
      if (v === undefined) return undefined;
      key = i === 0 ? v : key + KEY_SEPARATOR + v;
    }
    return key;
  }

  /** The (single) condition field as a number; NaN when absent or not numeric. */
  conditionNumber(event: EcsEvent | undefined, hit: CorrelationHit | undefined): number {
    const f = this.condition[0];
    if (f === undefined) return Number.NaN;
    return numeric(hit !== undefined ? f.fromHit(hit) : f.fromEvent(event as EcsEvent));
  }
}
