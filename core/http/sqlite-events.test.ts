/** The event routes over the real embedded store: agency scoping must hold in SQL too. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../store/sqlite-event-store';
import { sampleEvents, startHarness, type Harness } from './testdata/harness';

type Page = { total: number; events: Array<{ event: { id: string }; organization: { id: string }; '@timestamp': string }>; next: string | null };
type ErrorBody = { error: { code: string; message: string; parameter?: string } };

const ALL = sampleEvents();
const HANOI = ALL.filter((e) => e.organization?.id === 'hanoi-doh').map((e) => e.event.id).sort();
const DANANG = ALL.filter((e) => e.organization?.id === 'danang-dof').map((e) => e.event.id).sort();

describe('event routes over SqliteEventStore', () => {
  let dir: string;
  let store: SqliteEventStore;
  let h: Harness;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-http-events-'));
    store = new SqliteEventStore({ dir: join(dir, 'events') });
    await store.append(ALL);
    h = await startHarness({ events: store });
    for (const u of ['admin', 'analyst.hn', 'analyst.dn'] as const) tokens[u] = (await h.login(u)).token;
  });
  afterAll(async () => {
    await h.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async <T>(path: string, user: string, status = 200): Promise<T> => {
    const res = await h.get(path, { token: tokens[user] });
    const body = (await res.json()) as T;
    expect({ path, status: res.status, body }).toEqual({ path, status, body });
    return body;
  };

  async function allPages(user: string, query: string, limit: number, firstCursor?: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null | undefined = firstCursor;
    do {
      const page: Page = await get<Page>(`/api/v1/events?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, user);
      ids.push(...page.events.map((e) => e.event.id));
      cursor = page.next;
    } while (cursor);
    return ids;
  }

  it('scopes search, paging and queries to the agency', async () => {
    expect((await allPages('analyst.hn', '', 2)).sort()).toEqual(HANOI);
    expect((await allPages('analyst.dn', '', 3)).sort()).toEqual(DANANG);
    expect((await allPages('admin', '', 4)).length).toBe(ALL.length);
    const page = await get<Page>('/api/v1/events?q=organization.id:danang-dof or source.ip:203.0.113.45', 'analyst.hn');
    expect(page.events.map((e) => e.event.id).sort()).toEqual(['evt-001', 'evt-002']);
    expect(page.total).toBe(2);
  });

  it('keeps the agency filter when a user replays a cursor minted for admin', async () => {
    const first = await get<Page>('/api/v1/events?limit=2', 'admin');
    expect(first.next).not.toBeNull();
    const rest = await allPages('analyst.dn', '', 100, first.next!);
    expect(rest.length).toBeGreaterThan(0);
    for (const id of rest) expect(DANANG).toContain(id);
  });

  it('answers 400 for a forged cursor and for a query the store cannot run', async () => {
    const forged = await get<ErrorBody>('/api/v1/events?cursor=bm90LWEtY3Vyc29y', 'analyst.hn', 400);
    expect(forged.error).toMatchObject({ code: 'invalid_parameter', parameter: 'cursor' });
    const badDate = await get<ErrorBody>(`/api/v1/events?q=${encodeURIComponent('@timestamp < "soon"')}`, 'analyst.hn', 400);
    expect(badDate.error).toMatchObject({ code: 'invalid_query', parameter: 'q' });
    const syntax = await get<ErrorBody & { error: { position: number } }>(`/api/v1/events?q=${encodeURIComponent('source.ip:')}`, 'analyst.hn', 400);
    expect(syntax.error.code).toBe('query_syntax');
    expect(syntax.error.message).toContain(`at position ${syntax.error.position}`);
  });

  it('scopes histogram and top values', async () => {
    const range = 'from=2025-03-01T00:00:00Z&to=2025-03-01T04:00:00Z&interval=1h';
    const hn = await get<{ buckets: Array<{ start: string; count: number }> }>(`/api/v1/events/histogram?${range}`, 'analyst.hn');
    expect(hn.buckets.map((b) => b.count)).toEqual([0, 3, 2, 1]);
    const dn = await get<{ buckets: Array<{ count: number }> }>(`/api/v1/events/histogram?${range}`, 'analyst.dn');
    expect(dn.buckets.map((b) => b.count)).toEqual([0, 2, 1, 1]);
    const top = await get<{ values: Array<{ value: string; count: number }> }>('/api/v1/events/top?field=source.ip&size=10', 'analyst.dn');
    expect(top.values.map((v) => v.value).sort()).toEqual(['172.16.5.10', '185.220.101.4', '192.0.2.200', '203.0.113.45']);
    expect(top.values.every((v) => v.count === 1)).toBe(true);
    const topAll = await get<{ values: Array<{ value: string; count: number }> }>('/api/v1/events/top?field=source.ip&size=1', 'admin');
    expect(topAll.values).toEqual([{ value: '203.0.113.45', count: 3 }]);
  });

  it('answers 400 when an unbounded histogram would have too many buckets', async () => {
    await store.append([{ ...ALL[0], '@timestamp': '2024-01-01T00:00:00.000Z', event: { ...ALL[0].event, id: 'evt-old' } }]);
    const body = await get<ErrorBody>('/api/v1/events/histogram?interval=1s', 'admin', 400);
    expect(body.error.parameter).toBe('interval');
  });
});
