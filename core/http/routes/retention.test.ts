import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../store/sqlite-event-store';
import { sampleEvents, startHarness, type Harness } from '../testdata/harness';
import { retentionHttpModule, type RetentionAnswer } from './retention';

const NOW = Date.parse('2025-06-20T08:00:00.000Z');

describe('GET /api/v1/admin/retention', () => {
  let dir: string;
  let events: SqliteEventStore;
  let h: Harness;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-retention-'));
    events = new SqliteEventStore({ dir: join(dir, 'events') });
    // The harness's sample events spread over three UTC days, the oldest at 2025-06-17T23:59:58Z.
    const days = ['2025-06-17T23:59:58.000Z', '2025-06-18T00:00:01.000Z', '2025-06-19T12:30:00.000Z'];
    const batch = sampleEvents().map((e, i) => ({ ...e, '@timestamp': days[i % days.length], event: { ...e.event, id: `ret-${i}` } }));
    await events.append(batch);
    h = await startHarness({
      events,
      modules: [
        retentionHttpModule({
          retentionDays: 2,
          eventsDir: join(dir, 'events'),
          otherSettings: [{ key: 'netflow.aggregate.retentionDays', days: 90 }],
          now: () => NOW,
        }),
      ],
    });
  });

  afterAll(async () => {
    await h.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the settings, the partitions with their sizes and the oldest event to an admin', async () => {
    const admin = await h.login('admin');
    const res = await h.get('/api/v1/admin/retention', admin);
    expect(res.status).toBe(200);
    const body = (await res.json()) as RetentionAnswer;
    expect(body.settings).toEqual([
      { key: 'retention.days', days: 2 },
      { key: 'netflow.aggregate.retentionDays', days: 90 },
    ]);
    expect(body.events.partitions.map((p) => p.day)).toEqual(['2025-06-17', '2025-06-18', '2025-06-19']);
    for (const p of body.events.partitions) expect(p.bytes).toBeGreaterThan(4096);
    expect(body.events.totalBytes).toBe(body.events.partitions.reduce((n, p) => n + p.bytes, 0));
    expect(body.events.oldestEventAt).toBe('2025-06-17T23:59:58.000Z');
    expect(body.events.deletesBefore).toBe('2025-06-18');
  });

  it('follows retention: after the oldest day is dropped, the next day holds the oldest event', async () => {
    expect(await events.applyRetention(NOW - 2 * 86_400_000)).toBe(1);
    const admin = await h.login('admin');
    const body = (await (await h.get('/api/v1/admin/retention', admin)).json()) as RetentionAnswer;
    expect(body.events.partitions.map((p) => p.day)).toEqual(['2025-06-18', '2025-06-19']);
    expect(body.events.oldestEventAt).toBe('2025-06-18T00:00:01.000Z');
  });

  it('is for admins only', async () => {
    for (const user of ['analyst.hn', 'auditor', 'noc.hn'] as const) {
      const session = await h.login(user);
      expect((await h.get('/api/v1/admin/retention', session)).status).toBe(403);
    }
    expect((await h.get('/api/v1/admin/retention')).status).toBe(401);
  });

  it('answers an empty store (no folder yet) with no partitions and no oldest event', async () => {
    const empty = await startHarness({ modules: [retentionHttpModule({ retentionDays: 90, eventsDir: join(dir, 'missing') })] });
    try {
      const body = (await (await empty.get('/api/v1/admin/retention', await empty.login('admin'))).json()) as RetentionAnswer;
      expect(body.events).toMatchObject({ partitions: [], totalBytes: 0, oldestEventAt: null, retentionDays: 90 });
    } finally {
      await empty.close();
    }
  });
});
