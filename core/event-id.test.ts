import { timeOrderedUuid } from './event-id';

const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedUuid', () => {
  it('is a version 7 UUID carrying the millisecond timestamp', () => {
    const now = Date.UTC(2026, 10, 27, 5, 30, 0, 123);
    const id = timeOrderedUuid(now);
    expect(id).toMatch(UUID7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(now);
  });

  it('sorts in creation order within one millisecond and across milliseconds', () => {
    const base = Date.UTC(2030, 0, 1);
    const ids: string[] = [];
    for (let i = 0; i < 3000; i++) ids.push(timeOrderedUuid(base + Math.floor(i / 1000)));
    const sorted = [...ids].sort();
    expect(sorted).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('stays increasing when the counter of one millisecond is exhausted or the clock steps back', () => {
    const base = Date.UTC(2031, 0, 1);
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i++) ids.push(timeOrderedUuid(base));
    ids.push(timeOrderedUuid(base - 5_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(UUID7);
  });

  it('varies the random part between ids', () => {
    const tails = new Set<string>();
    for (let i = 0; i < 1000; i++) tails.add(timeOrderedUuid().slice(19));
    expect(tails.size).toBe(1000);
  });
});
