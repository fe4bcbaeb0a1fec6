/**
 * Correlation rules written for socnoc (testdata/) and the specification's example, replayed
 * through SigmaRuleSet + CorrelationEngine: each test states after which event a correlation
 * must fire, and checks it fires there and nowhere else.
 */
import { join } from 'node:path';
import type { EcsEvent } from '../../../core/event';
import { loadSigmaRules } from '../load';
import { SigmaRuleSet } from '../ruleset';
import { CorrelationEngine, type CorrelationEngineInit } from './engine';
import type { CorrelationHit } from './types';

const testdata = join(__dirname, 'testdata');
const T0 = Date.parse('2025-03-01T10:00:00Z');
let seq = 0;

function at(sec: number): string {
  return new Date(T0 + sec * 1000).toISOString();
}

function auth(sec: number, outcome: 'failure' | 'success', ip: string, user = 'root', org = 'agency-a'): EcsEvent {
  return {
    '@timestamp': at(sec),
    event: { id: `auth-${++seq}`, category: ['authentication'], outcome, dataset: 'system.auth' },
    source: { ip },
    user: { name: user },
    organization: { id: org },
    message: `${outcome === 'failure' ? 'Failed' : 'Accepted'} password for ${user} from ${ip} port 52814 ssh2`,
  };
}

interface Setup {
  set: SigmaRuleSet;
  engine: CorrelationEngine;
}

function setup(files: string[], options: CorrelationEngineInit = {}): Setup {
  const loaded = loadSigmaRules(files.map((f) => (f.includes('/') ? f : join(testdata, f))));
  expect(loaded.errors).toEqual([]);
  const engine = new CorrelationEngine(loaded.rules, loaded.correlations, options);
  expect(engine.errors).toEqual([]);
  return { set: new SigmaRuleSet(loaded.rules, { routing: 'all' }), engine };
}

interface Fired {
  /** 1-based position of the event after which the hit came out (0 = flush/advance). */
  after: number;
  hit: CorrelationHit;
}

function replay({ set, engine }: Setup, events: EcsEvent[], flush = false): Fired[] {
  const fired: Fired[] = [];
  events.forEach((e, i) => {
    for (const hit of engine.process(e, set.match(e))) fired.push({ after: i + 1, hit });
  });
  if (flush) for (const hit of engine.flush()) fired.push({ after: 0, hit });
  return fired;
}

function titled(fired: Fired[], title: string): Fired[] {
  return fired.filter((f) => f.hit.correlation.title === title);
}

const BRUTE = 'Login brute force from one source';
const CHAIN = 'Login brute force followed by a successful login from the same source';

describe('event_count', () => {
  it('fires on exactly the fifth failure within a minute, then restarts its window', () => {
    const s = setup(['base_auth.yml', 'mr_bruteforce_then_success.yml']);
    const events = [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50].map((t) => auth(t, 'failure', '203.0.113.7'));
    const hits = titled(replay(s, events), BRUTE);
    expect(hits.map((h) => h.after)).toEqual([5, 10]);
    const first = hits[0].hit;
    expect(first.value).toBe(5);
    expect(first.groupKey).toEqual({ 'source.ip': '203.0.113.7' });
    expect(first.organizationId).toBe('agency-a');
    expect(first.eventCount).toBe(5);
    expect(first.firstSeen).toBe(at(0));
    expect(first.lastSeen).toBe(at(20));
    expect(first.events.map((e) => e.event.id)).toEqual(events.slice(0, 5).map((e) => e.event.id));
    // Referenced by a correlation with generate: false, so it raises no alert of its own.
    expect(first.standalone).toBe(false);
  });

  it('counts only events within the timespan; an event exactly one timespan older still counts', () => {
    const s = setup(['base_auth.yml', 'mr_bruteforce_then_success.yml']);
    // 0 and 60 are exactly one minute apart: inclusive, so the fifth event fires.
    expect(titled(replay(s, [0, 15, 30, 45, 60].map((t) => auth(t, 'failure', '198.51.100.1'))), BRUTE).map((h) => h.after)).toEqual([5]);
    // 60.5 s after the first: the first has expired, four remain; the sixth brings five again.
    const s2 = setup(['base_auth.yml', 'mr_bruteforce_then_success.yml']);
    const late = [0, 15, 30, 45, 60.5, 61].map((t) => auth(t, 'failure', '198.51.100.2'));
    expect(titled(replay(s2, late), BRUTE).map((h) => h.after)).toEqual([6]);
  });

  it('keeps groups apart by group-by value and by agency', () => {
    const s = setup(['base_auth.yml', 'mr_bruteforce_then_success.yml']);
    const events: EcsEvent[] = [];
    for (let i = 0; i < 4; i++) {
      events.push(auth(i, 'failure', '192.0.2.1'));
      events.push(auth(i, 'failure', '192.0.2.2'));
      events.push(auth(i, 'failure', '192.0.2.1', 'root', 'agency-b'));
    }
    expect(titled(replay(s, events), BRUTE)).toEqual([]);
    const more = titled(replay(s, [auth(5, 'failure', '192.0.2.1', 'root', 'agency-b')]), BRUTE);
    expect(more.map((h) => [h.hit.groupKey['source.ip'], h.hit.organizationId])).toEqual([['192.0.2.1', 'agency-b']]);
  });

  it('does not correlate events without the group-by field, and counts them', () => {
    const s = setup(['base_auth.yml', 'mr_bruteforce_then_success.yml']);
    const noSource = [0, 1, 2, 3, 4, 5].map((t) => {
      const e = auth(t, 'failure', 'x');
      delete e.source;
      return e;
    });
    expect(replay(s, noSource)).toEqual([]);
    const stats = s.engine.stats().correlations.find((c) => c.title === BRUTE);
    expect(stats?.missingGroupField).toBe(6);
  });

  it('ignores events older than the window (out of order beyond the timespan) and counts them', () => {
    const s = setup(['base_auth.yml', 'mr_bruteforce_then_success.yml']);
    const events = [100, 101, 102, 103, 10].map((t) => auth(t, 'failure', '192.0.2.9'));
    expect(titled(replay(s, events), BRUTE)).toEqual([]);
    expect(s.engine.stats().correlations.find((c) => c.title === BRUTE)?.late).toBe(1);
    // An out-of-order event inside the window counts.
    expect(titled(replay(s, [auth(99, 'failure', '192.0.2.9')]), BRUTE).map((h) => h.hit.firstSeen)).toEqual([at(99)]);
  });
});

describe('temporal_ordered over a chained correlation', () => {
  it('fires on the success that follows a brute force, not before', () => {
    const s = setup(['base_auth.yml', 'mr_bruteforce_then_success.yml']);
    const ip = '203.0.113.50';
    const events = [auth(0, 'success', ip), ...[10, 11, 12, 13].map((t) => auth(t, 'failure', ip)), auth(20, 'success', ip), auth(30, 'failure', ip), auth(40, 'success', ip)];
    const fired = replay(s, events);
    // The fifth failure (event 7) establishes the brute force; the success after it (event 8) completes the sequence.
    expect(titled(fired, BRUTE).map((f) => f.after)).toEqual([7]);
    const chain = titled(fired, CHAIN);
    expect(chain.map((f) => f.after)).toEqual([8]);
    expect(chain[0].hit.standalone).toBe(true);
    expect(chain[0].hit.value).toBe(2);
    expect(chain[0].hit.groupKey).toEqual({ 'source.ip': ip });
    // The failures behind the inner hit and the success.
    expect(chain[0].hit.eventCount).toBe(6);
    expect(chain[0].hit.firstSeen).toBe(at(10));
    expect(chain[0].hit.lastSeen).toBe(at(40));
    expect(chain[0].hit.events.at(-1)?.event.outcome).toBe('success');
  });

  it('does not fire when the success comes after the timespan, or before the brute force', () => {
    const s = setup(['base_auth.yml', 'mr_bruteforce_then_success.yml']);
    const ip = '203.0.113.51';
    const events = [...[0, 1, 2, 3, 4].map((t) => auth(t, 'failure', ip)), auth(4 + 601, 'success', ip)];
    expect(titled(replay(s, events), CHAIN)).toEqual([]);
    const ip2 = '203.0.113.52';
    const before = [auth(0, 'success', ip2), ...[1, 2, 3, 4, 5].map((t) => auth(t, 'failure', ip2))];
    expect(titled(replay(s, before), CHAIN)).toEqual([]);
  });

  it('the specification example: ten failed Windows logons then a success by the same user', () => {
    const s = setup([join(__dirname, '..', 'testdata', 'spec', 'mr_failed_then_success.yml')]);
    const logon = (sec: number, id: number, user: string): EcsEvent =>
      ({
        '@timestamp': at(sec),
        event: { id: `win-${++seq}`, code: String(id) },
        winlog: { channel: 'Security', event_id: String(id), computer_name: 'DC01.corp.example', event_data: { User: user, IpAddress: '10.1.2.3' } },
      }) as EcsEvent;
    const events = [...Array.from({ length: 9 }, (_v, i) => logon(i * 10, 4625, 'alice')), logon(95, 4624, 'alice'), logon(100, 4625, 'alice'), logon(110, 4625, 'bob'), logon(120, 4624, 'alice')];
    const fired = replay(s, events);
    expect(fired.map((f) => [f.hit.correlation.name ?? f.hit.correlation.title, f.after, f.hit.groupKey.User])).toEqual([
      ['multiple_failed_login', 11, 'alice'],
      ['Correlation - Multiple Failed Logins Followed by Successful Login', 13, 'alice'],
    ]);
    expect(fired[0].hit.standalone).toBe(false);
  });

  it('evtx_dump events (no @timestamp) are timed by Event.System.TimeCreated', () => {
    const s = setup([join(__dirname, '..', 'testdata', 'spec', 'mr_failed_then_success.yml')]);
    const evtx = (sec: number, id: number): EcsEvent =>
      ({
        Event: {
          System: { Channel: 'Security', EventID: id, TimeCreated: { '#attributes': { SystemTime: at(sec).replace('Z', '000Z') } } },
          EventData: { User: 'carol' },
        },
      }) as unknown as EcsEvent;
    const events = [...Array.from({ length: 10 }, (_v, i) => evtx(i, 4625)), evtx(700, 4624)];
    expect(replay(s, events).map((f) => f.after)).toEqual([10]);
    expect(replay(s, [evtx(30, 4625)]).length).toBe(0);
  });
});

describe('temporal_ordered order within one event', () => {
  const ATTEMPT = 'Login attempt followed by a success from the same source';

  it('one event matching both steps is not a sequence; two events are', () => {
    const s = setup(['base_auth.yml', 'mr_attempt_then_success.yml']);
    expect(titled(replay(s, [auth(0, 'success', '10.2.0.1')]), ATTEMPT)).toEqual([]);
    expect(titled(replay(s, [auth(1, 'success', '10.2.0.1')]), ATTEMPT).map((f) => f.hit.eventCount)).toEqual([2]);
    expect(titled(replay(s, [auth(0, 'failure', '10.2.0.2'), auth(1, 'success', '10.2.0.2')]), ATTEMPT).map((f) => f.after)).toEqual([2]);
  });
});

describe('value_count', () => {
  it('fires on the third distinct user from one source, referenced by rule id', () => {
    const s = setup(['base_auth.yml', 'mr_password_spraying.yml']);
    const ip = '198.51.100.77';
    const events = [auth(0, 'failure', ip, 'admin'), auth(1, 'failure', ip, 'admin'), auth(2, 'failure', ip, 'root'), auth(3, 'failure', ip, 'root'), auth(4, 'failure', ip, 'oracle')];
    const fired = replay(s, events);
    expect(fired.map((f) => f.after)).toEqual([5]);
    expect(fired[0].hit.value).toBe(3);
    expect(fired[0].hit.fieldValue).toBe('admin, root, oracle');
  });

  it('values older than the timespan no longer count', () => {
    const s = setup(['base_auth.yml', 'mr_password_spraying.yml']);
    const ip = '198.51.100.78';
    const events = [auth(0, 'failure', ip, 'a'), auth(200, 'failure', ip, 'b'), auth(301, 'failure', ip, 'c'), auth(302, 'failure', ip, 'a')];
    expect(replay(s, events).map((f) => f.after)).toEqual([4]);
  });
});

describe('temporal with aliases', () => {
  const s = () => setup(['mr_alias_temporal.yml']);
  const httpError = (sec: number, server: string, client: string): EcsEvent => ({
    '@timestamp': at(sec),
    event: { id: `web-${++seq}`, category: ['web'] },
    http: { response: { status_code: 500 } },
    source: { ip: client },
    destination: { ip: server },
  });
  const connection = (sec: number, from: string, to: string): EcsEvent => ({
    '@timestamp': at(sec),
    event: { id: `net-${++seq}`, category: ['network'], type: ['connection'], outcome: 'success' },
    source: { ip: from },
    destination: { ip: to },
  });

  it('fires when the server connects back to the client within 10 s, in either order', () => {
    const fired = replay(s(), [httpError(0, '10.0.0.5', '203.0.113.9'), connection(4, '10.0.0.5', '203.0.113.9')]);
    expect(fired.map((f) => [f.after, f.hit.groupKey])).toEqual([[2, { internal_ip: '10.0.0.5', remote_ip: '203.0.113.9' }]]);
    expect(replay(s(), [connection(0, '10.0.0.5', '203.0.113.9'), httpError(10, '10.0.0.5', '203.0.113.9')]).map((f) => f.after)).toEqual([2]);
  });

  it('does not fire for the reverse direction, another host, or after the timespan', () => {
    expect(replay(s(), [httpError(0, '10.0.0.5', '203.0.113.9'), connection(1, '203.0.113.9', '10.0.0.5')])).toEqual([]);
    expect(replay(s(), [httpError(0, '10.0.0.5', '203.0.113.9'), connection(1, '10.0.0.6', '203.0.113.9')])).toEqual([]);
    expect(replay(s(), [httpError(0, '10.0.0.5', '203.0.113.9'), connection(11, '10.0.0.5', '203.0.113.9')])).toEqual([]);
  });
});

describe('value_sum and value_avg', () => {
  const flow = (sec: number, ip: string, bytes: number | string): EcsEvent =>
    ({ '@timestamp': at(sec), event: { id: `flow-${++seq}`, category: ['network'] }, network: { direction: 'outbound' }, source: { ip, bytes } }) as EcsEvent;

  it('value_sum fires on the flow that takes the sum past 1000 bytes', () => {
    const s = setup(['mr_traffic_metrics.yml']);
    const fired = titled(replay(s, [flow(0, '10.9.0.1', 400), flow(10, '10.9.0.1', '300'), flow(20, '10.9.0.1', 300), flow(30, '10.9.0.1', 1)]), 'Large upload volume from one source');
    expect(fired.map((f) => [f.after, f.hit.value])).toEqual([[4, 1001]]);
  });

  it('value_avg is tested when the window closes, not on the first large flow', () => {
    const s = setup(['mr_traffic_metrics.yml']);
    const avgTitle = 'High average upload size from one source';
    const early = titled(replay(s, [flow(0, '10.9.0.2', 900), flow(60, '10.9.0.2', 200), flow(120, '10.9.0.3', 100)]), avgTitle);
    expect(early).toEqual([]);
    // An event after the hour closes 10.9.0.2's window (average 550 > 500) and opens a new one.
    const closed = titled(replay(s, [flow(3601, '10.9.0.2', 10)]), avgTitle);
    expect(closed.map((f) => [f.hit.groupKey['source.ip'], f.hit.value, f.hit.eventCount])).toEqual([['10.9.0.2', 550, 2]]);
    // At the end of input, the remaining windows are tested: 10.9.0.3 (100) and the new 10.9.0.2 (10) do not fire.
    expect(titled(replay(s, [], true), avgTitle)).toEqual([]);
  });

  it('skips flows without a numeric field and counts them', () => {
    const s = setup(['mr_traffic_metrics.yml']);
    replay(s, [flow(0, '10.9.0.4', 'n/a')]);
    expect(s.engine.stats().correlations.every((c) => c.missingConditionField === 1)).toBe(true);
  });
});

describe('closing windows with an upper bound', () => {
  const beat = (sec: number, host: string): EcsEvent => ({ '@timestamp': at(sec), event: { id: `hb-${++seq}`, action: 'heartbeat' }, host: { name: host } });

  it('event_count lt 3 fires for a host with two heartbeats once its ten minutes are over', () => {
    const s = setup(['mr_quiet_host.yml']);
    const fired = replay(s, [beat(0, 'quiet'), beat(0, 'busy'), beat(100, 'quiet'), beat(200, 'busy'), beat(300, 'busy')]);
    expect(fired).toEqual([]);
    const closed = s.engine.advance(T0 + 601_000);
    expect(closed.map((h) => [h.groupKey['host.name'], h.value])).toEqual([['quiet', 2]]);
    expect(s.engine.stats().correlations[0].groups).toBe(0);
  });

  it('an event just inside the window counts; one just after opens a new window', () => {
    const s = setup(['mr_quiet_host.yml']);
    expect(replay(s, [beat(0, 'h'), beat(300, 'h'), beat(600, 'h')], true)).toEqual([]);
    const s2 = setup(['mr_quiet_host.yml']);
    const fired = replay(s2, [beat(0, 'h'), beat(300, 'h'), beat(601, 'h')], true);
    expect(fired.map((f) => [f.after, f.hit.value])).toEqual([
      [3, 2],
      [0, 1],
    ]);
  });
});

describe('value_percentile', () => {
  const proc = (sec: number, name: string, host = 'web01'): EcsEvent => ({
    '@timestamp': at(sec),
    event: { id: `proc-${++seq}`, category: ['process'], type: ['start'] },
    host: { name: host },
    process: { name },
  });

  it('fires once for a process name holding 10 % or less of the host starts in the hour', () => {
    const s = setup(['mr_rare_process.yml']);
    const common = Array.from({ length: 18 }, (_v, i) => proc(i, i % 2 === 0 ? 'nginx' : 'php-fpm'));
    const fired = replay(s, [...common, proc(30, 'nc'), proc(31, 'nc'), proc(32, 'nginx')]);
    expect(fired.map((f) => [f.after, f.hit.fieldValue, Number(f.hit.value.toFixed(2))])).toEqual([[19, 'nc', 5.26]]);
    expect(fired[0].hit.events.map((e) => e.process?.name)).toEqual(['nc']);
  });
});

describe('generate', () => {
  it('generate: true keeps the referenced rule alerting on its own', () => {
    const loaded = loadSigmaRules([join(testdata, 'mr_generate.yml')]);
    expect(loaded.rules.find((r) => r.name === 'config_change')?.standalone).toBe(true);
    const s = setup(['mr_generate.yml']);
    const change = (sec: number): EcsEvent => ({ '@timestamp': at(sec), event: { id: `cfg-${++seq}`, action: 'config-change' }, observer: { hostname: 'fw01' } });
    const fired = replay(s, [change(0), change(1), change(2), change(3)]);
    expect(fired.map((f) => [f.after, f.hit.standalone])).toEqual([[3, true]]);
  });
});

describe('bounded state', () => {
  it('evicts the least recently used group past the cap and counts it', () => {
    const s = setup(['base_auth.yml', 'mr_bruteforce_then_success.yml'], { maxGroupsPerRule: 2 });
    const events = [auth(0, 'failure', '192.0.2.1'), auth(1, 'failure', '192.0.2.2'), auth(2, 'failure', '192.0.2.1'), auth(3, 'failure', '192.0.2.3')];
    replay(s, events);
    const stats = s.engine.stats().correlations.find((c) => c.title === BRUTE);
    expect(stats?.groups).toBe(2);
    expect(stats?.evicted).toBe(1);
    // 192.0.2.2 was evicted: four more failures from it are not enough.
    expect(titled(replay(s, [4, 5, 6, 7].map((t) => auth(t, 'failure', '192.0.2.2'))), BRUTE)).toEqual([]);
  });

  it('drops groups whose window has passed as event time moves on', () => {
    const s = setup(['base_auth.yml', 'mr_bruteforce_then_success.yml']);
    replay(s, Array.from({ length: 50 }, (_v, i) => auth(i, 'failure', `10.0.${i}.1`)));
    expect(s.engine.stats().correlations.find((c) => c.title === BRUTE)?.groups).toBe(50);
    replay(s, [auth(3600, 'failure', '10.99.0.1')]);
    const stats = s.engine.stats().correlations.find((c) => c.title === BRUTE);
    expect(stats?.groups).toBe(1);
    expect(stats?.expired).toBe(50);
  });

  it('keeps at most sampleSize events from each end of a window', () => {
    const s = setup(['base_auth.yml', 'mr_quiet_host.yml'], { sampleSize: 2 });
    const beats = Array.from({ length: 2 }, (_v, i): EcsEvent => ({ '@timestamp': at(i), event: { id: `b${i}`, action: 'heartbeat' }, host: { name: 'h' } }));
    const hits = replay(s, beats, true);
    expect(hits[0].hit.events.map((e) => e.event.id)).toEqual(['b0', 'b1']);
    const s2 = setup(['base_auth.yml', 'mr_bruteforce_then_success.yml'], { sampleSize: 2 });
    const fired = titled(replay(s2, [0, 1, 2, 3, 4].map((t) => auth(t, 'failure', '10.1.1.1'))), BRUTE);
    expect(fired[0].hit.events.map((e) => e['@timestamp'])).toEqual([at(0), at(1), at(3), at(4)]);
    expect(fired[0].hit.eventCount).toBe(5);
  });
});

describe('setup errors', () => {
  it('reports a correlation whose reference is not among the rules given', () => {
    const loaded = loadSigmaRules([join(testdata, 'base_auth.yml'), join(testdata, 'mr_bruteforce_then_success.yml')]);
    const engine = new CorrelationEngine(
      loaded.rules.filter((r) => r.name !== 'auth_success'),
      loaded.correlations,
    );
    expect(engine.errors.map((e) => [e.correlation.title, e.reason])).toEqual([[CHAIN, "references 'auth_success', which is no loaded rule id or name"]]);
    expect(engine.correlations.map((c) => c.title)).toEqual([BRUTE]);
  });
});
