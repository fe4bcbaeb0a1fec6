import { BoundedQueue } from './bounded-queue';

describe('BoundedQueue', () => {
  it('keeps FIFO order across wrap-around and refuses when full', () => {
    const q = new BoundedQueue<number>(4);
    expect([1, 2, 3, 4].map((n) => q.push(n))).toEqual([true, true, true, true]);
    expect(q.push(5)).toBe(false);
    expect(q.take(3)).toEqual([1, 2, 3]);
    expect(q.push(6)).toBe(true);
    expect(q.push(7)).toBe(true);
    expect(q.isFull()).toBe(false);
    expect(q.take(10)).toEqual([4, 6, 7]);
    expect(q.length).toBe(0);
  });

  it('rejects a non-positive capacity', () => {
    expect(() => new BoundedQueue(0)).toThrow(/positive integer/);
  });
});
