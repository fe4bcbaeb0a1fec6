/** The window a correlation type and evaluation mode use, and restoring one from a snapshot. */
import type { SigmaCorrelation } from '../../types';
import type { EvaluationMode } from '../condition';
import { CountWindow } from './count-window';
import { DistinctWindow } from './distinct-window';
import { OrderedWindow } from './ordered-window';
import { ShareWindow } from './share-window';
import { SumWindow } from './sum-window';
import { TemporalWindow } from './temporal-window';
import type { CorrelationWindow, WindowState } from './window';

export type { CorrelationWindow, Occurrence, WindowState, SampleState } from './window';
export { ShareWindow, DistinctWindow };

export interface WindowLimits {
  sampleSize: number;
  maxEntriesPerGroup: number;
}

export function createWindow(c: SigmaCorrelation, mode: EvaluationMode, limits: WindowLimits): CorrelationWindow {
  const sliding = mode !== 'closing';
  switch (c.type) {
    case 'event_count':
      return new CountWindow(sliding, limits.sampleSize);
    case 'value_count':
      return new DistinctWindow(sliding, limits.sampleSize, limits.maxEntriesPerGroup);
    case 'value_sum':
      return new SumWindow(false, sliding, limits.sampleSize, limits.maxEntriesPerGroup);
    case 'value_avg':
      return new SumWindow(true, sliding, limits.sampleSize, limits.maxEntriesPerGroup);
    case 'value_percentile':
      return new ShareWindow(limits.sampleSize, limits.maxEntriesPerGroup);
    case 'temporal':
      return new TemporalWindow(c.rules.length, limits.sampleSize);
    case 'temporal_ordered':
      return new OrderedWindow(c.rules.length, limits.sampleSize);
  }
}

/** Loads a saved state into a fresh window of the matching kind; false when the kinds differ. */
export function loadWindow(w: CorrelationWindow, state: WindowState): boolean {
  if (w instanceof CountWindow && state.kind === 'count') w.load(state);
  else if (w instanceof DistinctWindow && state.kind === 'distinct') w.load(state);
  else if (w instanceof SumWindow && state.kind === 'sum') w.load(state);
  else if (w instanceof ShareWindow && state.kind === 'share') w.load(state);
  else if (w instanceof TemporalWindow && state.kind === 'temporal') w.load(state);
  else if (w instanceof OrderedWindow && state.kind === 'ordered') w.load(state);
  else return false;
  return true;
}
