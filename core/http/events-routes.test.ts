import { startHarness, sampleEvents, type Harness } from './testdata/harness';
import type { FakeEventStore } from './testdata/fake-event-store';

interface Page {
  total: number;
  events: Array<{ '@timestamp': string; event: { id: string }; organization: { id: string }; source?: { ip?: string } }>;
  next: string | null;
}

const ALL = sampleEvents();
const HANOI = ALL.filter((e) => e.organization?.id === 'hanoi-doh').map((e) => e.event.id).sort();
const DANANG = ALL.filter((e) => e.organization?.id === 'danang-dof').map((e) => e.event.id).sort();

describe('event routes', () => {
  let h: Harness;
  let tokens: Record<string, string>;
  beforeAll(async () => {
    h = await startHarness();
    tokens = {};
    for (const u of ['admin', 'analyst.hn', 'analyst.dn', 'auditor', 'noc.hn'] as const) tokens[u] = (await h.login(u)).token;
  });
  afterAll(async () => {
    await h.close();
  });

  const getJson = async <T>(path: string, user: string, status = 200): Promise<T> => {
    const res = await h.get(path, { token: tokens[user] });
    const body = (await res.json()) as T;
    expect({ path, status: res.status, body }).toEqual({ path, status, body });
    return body;
  };

  it('returns ECS events nested as stored, newest first', async () => {
    const page = await getJson<Page>('/api/v1/events', 'admin');
    expect(page.total).toBe(10);
    expect(page.next).toBeNull();
    const times = page.events.map((e) => Date.parse(e['@timestamp']));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const asa = page.events.find((e) => e.event.id === 'evt-004')!;
    expect(asa).toEqual(ALL.find((e) => e.event.id === 'evt-004'));
    expect(asa.source).toEqual({ ip: '198.51.100.7', port: 44321 });
  });

  it('limits every user to their agencies; admin sees all', async () => {
    const ids = async (user: string): Promise<string[]> => (await getJson<Page>('/api/v1/events', user)).events.map((e) => e.event.id).sort();
    expect(await ids('analyst.hn')).toEqual(HANOI);
    expect(await ids('noc.hn')).toEqual(HANOI);
    expect(await ids('analyst.dn')).toEqual(DANANG);
    expect(await ids('auditor')).toEqual([...HANOI, ...DANANG].sort());
    expect((await ids('admin')).length).toBe(10);
    const store = h.events as FakeEventStore;
    const last = store.calls.filter((c) => c.method === 'search').slice(-5).map((c) => c.params.organizations);
    expect(last).toEqual([['hanoi-doh'], ['hanoi-doh'], ['danang-dof'], ['danang-dof', 'hanoi-doh'], undefined]);
  });

  it('does not let a query naming another agency widen the scope', async () => {
    const page = await getJson<Page>('/api/v1/events?q=organization.id:danang-dof', 'analyst.hn');
    expect(page).toEqual({ total: 0, events: [], next: null });
    const admin = await getJson<Page>('/api/v1/events?q=organization.id:danang-dof', 'admin');
    expect(admin.total).toBe(DANANG.length);
  });

  it('pages with cursors, staying inside the agency even with a cursor minted for admin', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await getJson<Page>(`/api/v1/events?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, 'analyst.hn');
      expect(page.events.length).toBeLessThanOrEqual(2);
      expect(page.total).toBe(HANOI.length);
      seen.push(...page.events.map((e) => e.event.id));
      cursor = page.next;
    } while (cursor !== null);
    expect(seen.sort()).toEqual(HANOI);

    const adminPage = await getJson<Page>('/api/v1/events?limit=3', 'admin');
    expect(adminPage.next).not.toBeNull();
    const reused = await getJson<Page>(`/api/v1/events?limit=1000&cursor=${encodeURIComponent(adminPage.next!)}`, 'analyst.dn');
    for (const e of reused.events) expect(e.organization.id).toBe('danang-dof');
  });

  it('applies from/to and q together', async () => {
    const page = await getJson<Page>('/api/v1/events?from=2025-03-01T01:00:00Z&to=2025-03-01T09:00:00%2B07:00&q=event.outcome:failure', 'analyst.hn');
    expect(page.events.map((e) => e.event.id).sort()).toEqual(['evt-001', 'evt-002']);
  });

  it('uses limit 100 by default and accepts the maximum of 1000', async () => {
    await getJson<Page>('/api/v1/events', 'admin');
    const store = h.events as FakeEventStore;
    expect(store.calls[store.calls.length - 1].params.limit).toBe(100);
    await getJson<Page>('/api/v1/events?limit=1000', 'admin');
    expect(store.calls[store.calls.length - 1].params.limit).toBe(1000);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['from=yesterday', 'from'],
    ['to=2025-02-30T00:00:00Z', 'to'],
    ['from=2025-03-02&to=2025-03-01', 'from'],
  ])('answers 400 naming the parameter for %s', async (qs, parameter) => {
    const body = await getJson<{ error: { code: string; message: string; parameter: string } }>(`/api/v1/events?${qs}`, 'analyst.hn', 400);
    expect(body.error).toMatchObject({ code: 'invalid_parameter', parameter });
    expect(body.error.message).toContain(`"${parameter}"`);
  });

  it('answers 400 with the syntax error and its position for a bad query', async () => {
    const body = await getJson<{ error: { code: string; message: string; position: number; parameter: string } }>(
      `/api/v1/events?q=${encodeURIComponent('(source.ip:10.1.2.3 and user.name:root')}`,
      'analyst.hn',
      400,
    );
    expect(body.error.code).toBe('query_syntax');
    expect(body.error.parameter).toBe('q');
    expect(typeof body.error.position).toBe('number');
    expect(body.error.message).toMatch(/^query: .* at position \d+$/);
  });

  describe('histogram', () => {
    type Histogram = { intervalMs: number; buckets: Array<{ start: string; count: number }> };
    const range = 'from=2025-03-01T00:00:00Z&to=2025-03-01T04:00:00Z';

    it('counts per bucket within the agency, filling empty buckets with zero', async () => {
      const hn = await getJson<Histogram>(`/api/v1/events/histogram?${range}&interval=1h`, 'analyst.hn');
      expect(hn.intervalMs).toBe(3_600_000);
      expect(hn.buckets).toEqual([
        { start: '2025-03-01T00:00:00.000Z', count: 0 },
        { start: '2025-03-01T01:00:00.000Z', count: 3 },
        { start: '2025-03-01T02:00:00.000Z', count: 2 },
        { start: '2025-03-01T03:00:00.000Z', count: 1 },
      ]);
      const dn = await getJson<Histogram>(`/api/v1/events/histogram?${range}&interval=1h`, 'analyst.dn');
      expect(dn.buckets.map((b) => b.count)).toEqual([0, 2, 1, 1]);
      const all = await getJson<Histogram>(`/api/v1/events/histogram?${range}&interval=1h`, 'admin');
      expect(all.buckets.reduce((n, b) => n + b.count, 0)).toBe(10);
    });

    it('chooses an interval when none is given', async () => {
      const hn = await getJson<Histogram>(`/api/v1/events/histogram?${range}`, 'analyst.hn');
      expect(hn.intervalMs).toBe(300_000);
      expect(hn.buckets).toHaveLength(48);
      expect(hn.buckets.reduce((n, b) => n + b.count, 0)).toBe(HANOI.length);
    });

    it('rejects bad intervals and too many buckets', async () => {
      for (const interval of ['5x', '0', '500ms']) {
        const body = await getJson<{ error: { parameter: string } }>(`/api/v1/events/histogram?${range}&interval=${interval}`, 'analyst.hn', 400);
        expect(body.error.parameter).toBe('interval');
      }
      const body = await getJson<{ error: { parameter: string } }>('/api/v1/events/histogram?from=2020-01-01&to=2025-01-01&interval=1s', 'analyst.hn', 400);
      expect(body.error.parameter).toBe('interval');
    });
  });

  describe('top values', () => {
    type Top = { field: string; values: Array<{ value: string; count: number }> };

    it('counts values within the agency only', async () => {
      const hn = await getJson<Top>('/api/v1/events/top?field=source.ip&size=2', 'analyst.hn');
      expect(hn.field).toBe('source.ip');
      expect(hn.values[0]).toEqual({ value: '203.0.113.45', count: 2 });
      expect(hn.values).toHaveLength(2);
      const all = await getJson<Top>('/api/v1/events/top?field=source.ip&size=1', 'admin');
      expect(all.values).toEqual([{ value: '203.0.113.45', count: 3 }]);
      const dn = await getJson<Top>('/api/v1/events/top?field=observer.hostname', 'analyst.dn');
      expect(dn.values).toEqual([{ value: 'DN-FGT60F', count: 2 }]);
    });

    it('requires a field name and bounds size', async () => {
      expect((await getJson<{ error: { parameter: string } }>('/api/v1/events/top', 'analyst.hn', 400)).error.parameter).toBe('field');
      expect((await getJson<{ error: { parameter: string } }>('/api/v1/events/top?field=a%20b', 'analyst.hn', 400)).error.parameter).toBe('field');
      expect((await getJson<{ error: { parameter: string } }>('/api/v1/events/top?field=source.ip&size=101', 'analyst.hn', 400)).error.parameter).toBe('size');
    });
  });
});
