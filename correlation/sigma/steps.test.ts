import { runSteps, runStepsSliced, type Steps } from './steps';

function* busySteps(count: number, msEach: number): Steps<number> {
  for (let i = 0; i < count; i++) {
    const until = Date.now() + msEach;
    while (Date.now() < until);
    yield;
  }
  return count;
}

describe('load steps', () => {
  it('runSteps runs every step before anything else gets the event loop', () => {
    let ticked = false;
    setImmediate(() => (ticked = true));
    expect(runSteps(busySteps(10, 1))).toBe(10);
    expect(ticked).toBe(false);
  });

  it('runStepsSliced lets queued callbacks run between slices and returns the same result', async () => {
    let ticks = 0;
    const tick = (): void => {
      ticks++;
      if (ticks < 1000) timer = setImmediate(tick);
    };
    let timer = setImmediate(tick);
    const result = await runStepsSliced(busySteps(20, 2), 5);
    clearImmediate(timer);
    expect(result).toBe(20);
    // 40 ms of work in 5 ms slices: the event loop came back several times during the load.
    expect(ticks).toBeGreaterThanOrEqual(4);
  });

  it('propagates a step failure', async () => {
    function* failing(): Steps<number> {
      yield;
      throw new Error('rule folder vanished');
    }
    await expect(runStepsSliced(failing(), 1)).rejects.toThrow('rule folder vanished');
  });
});
