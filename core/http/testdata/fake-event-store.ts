/**
 * An in-memory EventStore for route tests: applies organizations, time bounds, a subset of the query
 * language and offset cursors, so the routes' scoping can be checked without the SQLite store.
 */
import { getField, type EcsEvent } from '../../event';
import type { QueryNode } from '../../query/ast';
import type { EventSearch, EventSearchResult, EventStore, TermCount } from '../../store/event-store';

type Filter = Omit<EventSearch, 'limit' | 'cursor'>;

function wildcardMatch(value: string, pattern: string): boolean {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i').test(value);
}

function matches(node: QueryNode, e: EcsEvent): boolean {
  switch (node.kind) {
    case 'and':
      return node.children.every((c) => matches(c, e));
    case 'or':
      return node.children.some((c) => matches(c, e));
    case 'not':
      return !matches(node.child, e);
    case 'exists':
      return getField(e, node.field) !== undefined;
    case 'term': {
      const v = getField(e, node.field);
      const values = Array.isArray(v) ? v : [v];
      return values.some((x) => x !== undefined && (node.wildcard ? wildcardMatch(String(x), node.value) : String(x) === node.value));
    }
    case 'range': {
      const v = Number(getField(e, node.field));
      const bound = Number(node.value);
      if (node.op === '>') return v > bound;
      if (node.op === '>=') return v >= bound;
      if (node.op === '<') return v < bound;
      return v <= bound;
    }
    case 'text':
      return (e.message ?? '').toLowerCase().includes(node.value.toLowerCase());
  }
}

export class FakeEventStore implements EventStore {
  readonly events: EcsEvent[] = [];
  /** Every search's parameters, to assert what the routes passed. */
  readonly calls: Array<{ method: string; params: Filter & { limit?: number; cursor?: string } }> = [];

  async append(events: EcsEvent[]): Promise<void> {
    for (const e of events) if (!this.events.some((x) => x.event.id === e.event.id)) this.events.push(e);
  }

  private filtered(p: Filter): EcsEvent[] {
    return this.events
      .filter((e) => {
        const t = Date.parse(e['@timestamp']);
        if (p.from !== undefined && t < p.from) return false;
        if (p.to !== undefined && t >= p.to) return false;
        if (p.organizations !== undefined && !p.organizations.includes(e.organization?.id ?? '')) return false;
        return p.query === undefined || matches(p.query, e);
      })
      .sort((a, b) => Date.parse(b['@timestamp']) - Date.parse(a['@timestamp']) || b.event.id.localeCompare(a.event.id));
  }

  async search(params: EventSearch): Promise<EventSearchResult> {
    this.calls.push({ method: 'search', params });
    const all = this.filtered(params);
    const offset = params.cursor === undefined ? 0 : Number(Buffer.from(params.cursor, 'base64url').toString());
    const page = all.slice(offset, offset + params.limit);
    const nextOffset = offset + page.length;
    return { total: all.length, events: page, next: nextOffset < all.length ? Buffer.from(String(nextOffset)).toString('base64url') : null };
  }

  async count(params: Filter): Promise<number> {
    return this.filtered(params).length;
  }

  async topValues(params: Filter & { field: string; size: number }): Promise<TermCount[]> {
    this.calls.push({ method: 'topValues', params });
    const counts = new Map<string, number>();
    for (const e of this.filtered(params)) {
      const v = getField(e, params.field);
      if (v !== undefined) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    }
    return [...counts]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
      .slice(0, params.size);
  }

  async histogram(params: Filter & { intervalMs: number }): Promise<Array<{ start: number; count: number }>> {
    this.calls.push({ method: 'histogram', params });
    const counts = new Map<number, number>();
    for (const e of this.filtered(params)) {
      const start = Math.floor(Date.parse(e['@timestamp']) / params.intervalMs) * params.intervalMs;
      counts.set(start, (counts.get(start) ?? 0) + 1);
    }
    return [...counts].map(([start, count]) => ({ start, count })).sort((a, b) => a.start - b.start);
  }

  async applyRetention(): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {}
}
