/**
 * Long jobs on the event loop in slices: a job is a generator that yields at points where it may pause
 * (every few hundred rows); `runSliced` runs it for about `budgetMs` per event-loop turn, then lets the
 * receive handlers run (setImmediate) before going on. `drainSteps` runs the same job at once, so the
 * sliced and the all-at-once paths compute the same thing by construction.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

/** A job that may pause at each yield; its return value is its result. */
export type Steps<T> = Generator<void, T, void>;

/** Rows or entries between two pause points: a few hundred microseconds of work on the busy paths. */
export const STEP_ITEMS = 512;

/** Runs a job to its end without pausing. */
export function drainSteps<T>(job: Steps<T>): T {
  let r = job.next();
  while (r.done !== true) r = job.next();
  return r.value;
}

export interface SliceTimes {
  /** Longest slice (ms) of the last job run, and its number of slices. */
  maxSliceMs: number;
  slices: number;
  /** The longest slice in process CPU time (user+system, ms): on a loaded machine wall time includes waits for a core. */
  maxSliceCpuMs: number;
}

/** Runs a job in slices of about `budgetMs`, yielding to the event loop between them. */
export async function runSliced<T>(job: Steps<T>, budgetMs: number, times?: SliceTimes): Promise<T> {
  let maxSliceMs = 0;
  let maxSliceCpuMs = 0;
  let slices = 0;
  for (;;) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    let r = job.next();
    while (r.done !== true && performance.now() - started < budgetMs) r = job.next();
    const took = performance.now() - started;
    if (took > maxSliceMs) maxSliceMs = took;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    if (cpuMs > maxSliceCpuMs) maxSliceCpuMs = cpuMs;
    slices++;
    if (r.done === true) {
      if (times !== undefined) {
        times.maxSliceMs = maxSliceMs;
        times.slices = slices;
        times.maxSliceCpuMs = maxSliceCpuMs;
      }
      return r.value;
    }
    await nextTurn();
  }
}
