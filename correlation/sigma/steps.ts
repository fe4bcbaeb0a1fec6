/**
 * Long loads (thousands of rule files) written once as generators that yield between units of
 * work, then run either to completion at once (CLI, tests) or in slices that give the event loop
 * back between them (`socnoc start`), so a reload of all of SigmaHQ (~5 s of CPU) never stalls
 * listeners: UDP inputs would drop what arrives during a stall.
 */
import { performance } from 'node:perf_hooks';

export type Steps<T> = Generator<void, T, void>;

/** Runs every step now. */
export function runSteps<T>(steps: Steps<T>): T {
  let r = steps.next();
  while (!r.done) r = steps.next();
  return r.value;
}

/** Runs the steps in slices of about `sliceMs`, yielding to the event loop between slices. */
export async function runStepsSliced<T>(steps: Steps<T>, sliceMs = 10): Promise<T> {
  let sliceStart = performance.now();
  let r = steps.next();
  while (!r.done) {
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
    r = steps.next();
  }
  return r.value;
}
