/**
 * Correlation conditions and when they are evaluated.
 *
 * A condition is one or more of gt/gte/lt/lte/eq/neq, ANDed (the spec writes a range as
 * `gt: 100, lte: 200`). temporal and temporal_ordered default to "every referenced rule"
 * (gte: number of rules), as pySigma does.
 *
 * When a condition can only become true by more activity (gt/gte on a count, a distinct count or a
 * sum, and the temporal types), it is tested on the event that makes it true: the correlation
 * fires on exactly that event and its window restarts empty. Any other condition (an upper bound,
 * eq, neq, or an average) needs the whole window, so it is tested once when the window closes.
 */
import type { CorrelationOperator, SigmaCorrelation } from '../types';

/**
 * - `rising`: sliding window, tested after each occurrence, reset after a fire.
 * - `closing`: window of one timespan opened by a group's first occurrence, tested when it closes.
 * - `each`: value_percentile; tested for each occurrence's value against a sliding window.
 */
export type EvaluationMode = 'rising' | 'closing' | 'each';

export interface CompiledCondition {
  readonly mode: EvaluationMode;
  readonly operators: Readonly<Partial<Record<CorrelationOperator, number>>>;
  test(value: number): boolean;
}

const RISING_TYPES: ReadonlySet<SigmaCorrelation['type']> = new Set(['event_count', 'value_count', 'value_sum', 'temporal', 'temporal_ordered']);

class Thresholds implements CompiledCondition {
  private readonly gt: number;
  private readonly gte: number;
  private readonly lt: number;
  private readonly lte: number;
  private readonly eq: number | undefined;
  private readonly neq: number | undefined;

  constructor(
    readonly mode: EvaluationMode,
    readonly operators: Readonly<Partial<Record<CorrelationOperator, number>>>,
  ) {
    this.gt = operators.gt ?? -Infinity;
    this.gte = operators.gte ?? -Infinity;
    this.lt = operators.lt ?? Infinity;
    this.lte = operators.lte ?? Infinity;
    this.eq = operators.eq;
    this.neq = operators.neq;
  }

  test(v: number): boolean {
    if (Number.isNaN(v)) return false;
    if (!(v > this.gt) || !(v >= this.gte) || !(v < this.lt) || !(v <= this.lte)) return false;
    if (this.eq !== undefined && v !== this.eq) return false;
    if (this.neq !== undefined && v === this.neq) return false;
    return true;
  }
}

export function compileCondition(c: SigmaCorrelation): CompiledCondition {
  const ops: Partial<Record<CorrelationOperator, number>> = { ...c.condition.operators };
  const temporal = c.type === 'temporal' || c.type === 'temporal_ordered';
  if (temporal && Object.keys(ops).length === 0) ops.gte = c.rules.length;
  let mode: EvaluationMode;
  if (c.type === 'value_percentile') mode = 'each';
  else {
    const onlyLowerBounds = Object.keys(ops).every((op) => op === 'gt' || op === 'gte');
    mode = RISING_TYPES.has(c.type) && onlyLowerBounds ? 'rising' : 'closing';
  }
  return new Thresholds(mode, ops);
}
