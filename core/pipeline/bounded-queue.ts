/** A fixed-capacity FIFO ring buffer: O(1) push and shift, no reallocation, no hidden growth. */
export class BoundedQueue<T> {
  private readonly items: Array<T | undefined>;
  private head = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new Error(`queue capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.size;
  }

  isFull(): boolean {
    return this.size === this.capacity;
  }

  /** Returns false, storing nothing, when full. */
  push(item: T): boolean {
    if (this.size === this.capacity) return false;
    let tail = this.head + this.size;
    if (tail >= this.capacity) tail -= this.capacity;
    this.items[tail] = item;
    this.size++;
    return true;
  }

  /** Removes up to `max` items from the front, oldest first. */
  take(max: number): T[] {
    const n = Math.min(max, this.size);
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) {
      out[i] = this.items[this.head] as T;
      this.items[this.head] = undefined;
      this.head++;
      if (this.head === this.capacity) this.head = 0;
    }
    this.size -= n;
    return out;
  }
}
