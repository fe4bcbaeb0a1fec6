/**
 * A capped count of distinct values that allocates nothing until a second value appears: most addresses
 * of a minute talk to one port or peer, and a Set per address per minute was the aggregation's largest cost.
 */
export class DistinctValues<T extends string | number> {
  private first: T | undefined = undefined;
  private set: Set<T> | null = null;

  get size(): number {
    if (this.set !== null) return this.set.size;
    return this.first === undefined ? 0 : 1;
  }

  add(value: T, cap: number): void {
    if (this.set !== null) {
      if (this.set.size < cap) this.set.add(value);
    } else if (this.first === undefined) this.first = value;
    else if (this.first !== value && cap > 1) this.set = new Set<T>([this.first, value]);
  }
}
