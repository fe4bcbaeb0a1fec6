/**
 * State across a restart: half-filled windows saved (as JSON, and through SQLite) resume in a new
 * engine and fire on exactly the event they would have fired on without the restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EcsEvent } from '../../../core/event';
import { loadSigmaRules } from '../load';
import { SigmaRuleSet } from '../ruleset';
import { CorrelationEngine } from './engine';
import { CorrelationSnapshotError } from './snapshot';
import { CorrelationStatePersister, openCorrelationStateStore } from './state-store';
import type { CorrelationHit } from './types';

const testdata = join(__dirname, 'testdata');
const T0 = Date.parse('2025-03-01T10:00:00Z');
const at = (sec: number): string => new Date(T0 + sec * 1000).toISOString();

function auth(sec: number, outcome: 'failure' | 'success', ip: string): EcsEvent {
  return { '@timestamp': at(sec), event: { id: `${outcome}-${sec}`, category: ['authentication'], outcome }, source: { ip }, user: { name: 'root' }, organization: { id: 'agency-a' } };
}

function flow(sec: number, ip: string, bytes: number): EcsEvent {
  return { '@timestamp': at(sec), event: { id: `flow-${sec}`, category: ['network'] }, network: { direction: 'outbound' }, source: { ip, bytes } };
}

/** A fresh process: rules loaded again, a new engine (nothing shared with the previous one). */
function boot(files: string[]) {
  const loaded = loadSigmaRules(files.map((f) => join(testdata, f)));
  return { loaded, set: new SigmaRuleSet(loaded.rules, { routing: 'all' }), engine: new CorrelationEngine(loaded.rules, loaded.correlations) };
}

function feed(b: ReturnType<typeof boot>, events: EcsEvent[]): { after: number; hit: CorrelationHit }[] {
  const out: { after: number; hit: CorrelationHit }[] = [];
  events.forEach((e, i) => {
    for (const hit of b.engine.process(e, b.set.match(e))) out.push({ after: i + 1, hit });
  });
  return out;
}

const AUTH_FILES = ['base_auth.yml', 'mr_bruteforce_then_success.yml'];

describe('snapshot and restore', () => {
  it('a half-filled event_count window resumes and fires on the fifth event overall', () => {
    const before = boot(AUTH_FILES);
    expect(feed(before, [0, 1, 2].map((t) => auth(t, 'failure', '192.0.2.10')))).toEqual([]);
    const saved = JSON.parse(JSON.stringify(before.engine.snapshot())) as unknown;

    const after = boot(AUTH_FILES);
    expect(after.engine.restore(saved)).toEqual({ groups: 1, discarded: [] });
    const fired = feed(after, [3, 4].map((t) => auth(t, 'failure', '192.0.2.10')));
    expect(fired.map((f) => [f.after, f.hit.correlation.name, f.hit.value])).toEqual([[2, 'brute_force', 5]]);
    expect(fired[0].hit.firstSeen).toBe(at(0));
    expect(fired[0].hit.events.map((e) => e.event.id)).toEqual(['failure-0', 'failure-1', 'failure-2', 'failure-3', 'failure-4']);
  });

  it('without the restore the same two events do not fire (the state is what carries it)', () => {
    const fresh = boot(AUTH_FILES);
    expect(feed(fresh, [3, 4].map((t) => auth(t, 'failure', '192.0.2.10')))).toEqual([]);
  });

  it('a sequence whose first step fired before the restart completes after it', () => {
    const before = boot(AUTH_FILES);
    feed(before, [0, 1, 2, 3, 4].map((t) => auth(t, 'failure', '192.0.2.11')));
    const after = boot(AUTH_FILES);
    after.engine.restore(JSON.parse(JSON.stringify(before.engine.snapshot())));
    const fired = feed(after, [auth(60, 'success', '192.0.2.11')]);
    expect(fired.map((f) => f.hit.correlation.title)).toEqual(['Login brute force followed by a successful login from the same source']);
  });

  it('a value_percentile value already reported stays reported after a restart', () => {
    const proc = (sec: number, name: string): EcsEvent => ({ '@timestamp': at(sec), event: { id: `p${sec}`, category: ['process'], type: ['start'] }, host: { name: 'web01' }, process: { name } });
    const before = boot(['mr_rare_process.yml']);
    const first = feed(before, [...Array.from({ length: 18 }, (_v, i) => proc(i, i % 2 === 0 ? 'nginx' : 'php-fpm')), proc(30, 'nc')]);
    expect(first.map((f) => f.hit.fieldValue)).toEqual(['nc']);
    const after = boot(['mr_rare_process.yml']);
    after.engine.restore(JSON.parse(JSON.stringify(before.engine.snapshot())));
    // 2 of 20 = 10 %: still rare, but already reported in this window.
    expect(feed(after, [proc(31, 'nc')])).toEqual([]);
    expect(feed(after, [proc(32, 'socat')]).map((f) => f.hit.fieldValue)).toEqual(['socat']);
  });

  it('discards the state of a correlation rule that changed shape', () => {
    const before = boot(AUTH_FILES);
    feed(before, [0, 1, 2].map((t) => auth(t, 'failure', '192.0.2.12')));
    const saved = before.engine.snapshot();
    const after = boot(AUTH_FILES);
    const brute = after.loaded.correlations.find((c) => c.name === 'brute_force');
    if (brute === undefined) throw new Error('brute_force not loaded');
    brute.timespanMs = 120_000;
    const changed = new CorrelationEngine(after.loaded.rules, after.loaded.correlations);
    const result = changed.restore(saved);
    expect(result.discarded).toEqual(['6c1f0b4e-3d0a-4f4e-9a51-1c0d2b7e0101']);
    expect(result.groups).toBe(0);
  });

  it('rejects a malformed snapshot, naming where', () => {
    const b = boot(AUTH_FILES);
    const bad = { version: 1, savedAt: 'x', watermark: null, correlations: [{ key: 'k', fingerprint: 'f', groups: [{ key: 'g', values: [], scope: null, openedAt: 0, newest: 0, window: { kind: 'count' } }] }] };
    expect(() => b.engine.restore(bad)).toThrow(CorrelationSnapshotError);
    expect(() => b.engine.restore(bad)).toThrow(/correlations\.0\.groups\.0\.window\.ts/);
    expect(() => b.engine.restore({ version: 2 })).toThrow(/version/);
  });
});

describe('SQLite persistence', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'socnoc-corr-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('saves on stop and restores into the next process', () => {
    const file = join(dir, 'correlation-state.db');
    const first = boot([...AUTH_FILES, 'mr_traffic_metrics.yml']);
    const s1 = openCorrelationStateStore(file);
    const saved: number[] = [];
    const p1 = new CorrelationStatePersister(first.engine, s1.store, { onSaved: (info) => saved.push(info.groups) });
    expect(p1.restore()).toBeUndefined();
    p1.start();
    feed(first, [...[0, 1, 2, 3].map((t) => auth(t, 'failure', '192.0.2.20')), flow(5, '10.9.0.2', 900), flow(60, '10.9.0.2', 200)]);
    p1.stop();
    s1.db.close();
    // brute_force, value_sum and value_avg each hold one group.
    expect(saved).toEqual([3]);

    const second = boot([...AUTH_FILES, 'mr_traffic_metrics.yml']);
    const s2 = openCorrelationStateStore(file);
    const p2 = new CorrelationStatePersister(second.engine, s2.store);
    expect(p2.restore()).toEqual({ groups: 3, discarded: [] });
    const fired = feed(second, [auth(4, 'failure', '192.0.2.20')]);
    expect(fired.map((f) => [f.after, f.hit.correlation.name])).toEqual([[1, 'brute_force']]);
    // The value_avg window (900 + 200) closes at the end of input with its pre-restart values.
    const closed = second.engine.flush().filter((h) => h.correlation.type === 'value_avg');
    expect(closed.map((h) => [h.value, h.eventCount, h.firstSeen])).toEqual([[550, 2, at(5)]]);
    s2.db.close();
  });

  it('reports an unreadable saved state and starts empty', () => {
    const file = join(dir, 'state.db');
    const { db, store } = openCorrelationStateStore(file);
    db.prepare("INSERT INTO correlation_state_meta (id, version, saved_at, watermark) VALUES (1, 1, 'now', NULL)").run();
    db.prepare("INSERT INTO correlation_state (correlation_key, fingerprint, groups, state) VALUES ('k', 'f', 1, '{not json')").run();
    const errors: string[] = [];
    const p = new CorrelationStatePersister(boot(AUTH_FILES).engine, store, { onError: (e) => errors.push(e.message) });
    expect(p.restore()).toBeUndefined();
    expect(errors).toEqual([expect.stringMatching(/^correlation state of 'k': invalid JSON/)]);
    db.close();
  });
});
