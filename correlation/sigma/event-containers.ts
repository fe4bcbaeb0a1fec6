/**
 * Per event, the objects that hold fields (`winlog.event_data`, `Event.EventData`, …), walked to
 * once and shared by every field read under them. A Windows rule field has about seven candidate
 * paths (Winlogbeat, evtx_dump, ECS, bare name), so without this a field read walks seven paths
 * from the root, and a Security event meets dozens of absent fields.
 *
 * A walk ends in one of three states:
 *   RESOLVED  the container is a plain object and no object above it has a dotted key: a field
 *             is `container[key]`, and a miss is final (no flat Winlogbeat key could supply it);
 *   ABSENT    the walk stopped at a missing or non-object value with no dotted keys above: every
 *             field under it is absent;
 *   FULL_READ arrays or dotted keys on the way: the reader takes its general path.
 */
import type { DottedKeys } from './event-view';

export const RESOLVED = 0;
export const ABSENT = 1;
export const FULL_READ = 2;

/** Container paths interned for one field table. */
export class ContainerPaths {
  readonly segments: string[][] = [];
  private readonly ids = new Map<string, number>();

  id(segments: readonly string[]): number {
    const key = segments.join('.');
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.segments.length;
      this.segments.push([...segments]);
      this.ids.set(key, id);
    }
    return id;
  }

  get size(): number {
    return this.segments.length;
  }
}

/** One event view's walks, stamped with its generation. */
export class ContainerCache {
  private stamps = new Uint32Array(0);
  private states = new Uint8Array(0);
  private readonly values: unknown[] = [];

  constructor(private readonly paths: ContainerPaths) {}

  /** Forgets every walk (the view's generation wrapped). */
  clear(): void {
    this.stamps.fill(0);
  }

  /** State of container `id` for `event` (walked once per generation); value() holds a RESOLVED object. */
  resolve(id: number, event: unknown, generation: number, dotted: DottedKeys): number {
    if (id >= this.stamps.length) this.grow();
    if (this.stamps[id] === generation) return this.states[id];
    const segs = this.paths.segments[id];
    let cur = event;
    let state = RESOLVED;
    for (let i = 0; i < segs.length; i++) {
      if (cur === null || typeof cur !== 'object') {
        state = ABSENT;
        break;
      }
      if (Array.isArray(cur) || dotted.has(cur)) {
        state = FULL_READ;
        break;
      }
      const next = (cur as Record<string, unknown>)[segs[i]];
      if (next === undefined || typeof next === 'function') {
        state = ABSENT;
        break;
      }
      cur = next;
    }
    if (state === RESOLVED && (cur === null || typeof cur !== 'object' || Array.isArray(cur))) state = FULL_READ;
    this.values[id] = state === RESOLVED ? cur : undefined;
    this.states[id] = state;
    this.stamps[id] = generation;
    return state;
  }

  value(id: number): Record<string, unknown> {
    return this.values[id] as Record<string, unknown>;
  }

  private grow(): void {
    const n = Math.max(this.paths.size, 16);
    const stamps = new Uint32Array(n);
    stamps.set(this.stamps);
    const states = new Uint8Array(n);
    states.set(this.states);
    this.stamps = stamps;
    this.states = states;
  }
}
