/**
 * The specification's correlation examples (testdata/spec_examples.yml), each driven to the
 * exact event where it must fire. The temporal_ordered example (failed logins followed by a
 * success) is in engine.test.ts.
 */
import { join } from 'node:path';
import type { EcsEvent } from '../../../core/event';
import { loadSigmaRules } from '../load';
import { SigmaRuleSet } from '../ruleset';
import { CorrelationEngine } from './engine';
import type { CorrelationHit } from './types';

const T0 = Date.parse('2025-06-02T08:00:00Z');
const at = (sec: number): string => new Date(T0 + sec * 1000).toISOString();

function boot() {
  const loaded = loadSigmaRules([join(__dirname, 'testdata', 'spec_examples.yml')]);
  expect(loaded.errors).toEqual([]);
  const engine = new CorrelationEngine(loaded.rules, loaded.correlations);
  expect(engine.errors).toEqual([]);
  return { set: new SigmaRuleSet(loaded.rules, { routing: 'all' }), engine };
}

/** Feeds the events; returns [1-based event position (0 = end of input), title] per hit. */
function replay(events: Record<string, unknown>[], flush = false): [number, string, CorrelationHit][] {
  const { set, engine } = boot();
  const out: [number, string, CorrelationHit][] = [];
  events.forEach((e, i) => {
    for (const h of engine.process(e as EcsEvent, set.match(e))) out.push([i + 1, h.correlation.title, h]);
  });
  if (flush) for (const h of engine.flush()) out.push([0, h.correlation.title, h]);
  return out;
}

const positions = (hits: [number, string, CorrelationHit][], title: string): number[] => hits.filter((h) => h[1] === title).map((h) => h[0]);

describe('specification examples', () => {
  it('event_count: the 100th failed logon on a computer within an hour', () => {
    const events = Array.from({ length: 120 }, (_v, i) => ({ '@timestamp': at(i * 30), EventID: 4625, ComputerName: i % 6 === 5 ? 'WS2' : 'DC1', User: 'alice' }));
    // DC1 gets 5 of every 6 events (every 6th goes to WS2): its 100th is event 119, at 3,540 s.
    expect(positions(replay(events), 'Many failed logins')).toEqual([119]);
    // Spread over more than an hour, 100 are never within one hour.
    const slow = Array.from({ length: 101 }, (_v, i) => ({ '@timestamp': at(i * 37), EventID: 4625, ComputerName: 'DC1' }));
    expect(positions(replay(slow), 'Many failed logins')).toEqual([]);
  });

  it('value_count: the 100th distinct user per computer and workstation within a day', () => {
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < 100; i++) {
      events.push({ '@timestamp': at(i * 60), EventID: 4625, ComputerName: 'DC1', WorkstationName: 'KIOSK7', User: `user${i}` });
      events.push({ '@timestamp': at(i * 60 + 1), EventID: 4625, ComputerName: 'DC1', WorkstationName: 'KIOSK7', User: 'user0' });
      events.push({ '@timestamp': at(i * 60 + 2), EventID: 4625, ComputerName: 'DC1', WorkstationName: 'KIOSK8', User: `other${i}` });
    }
    const hits = replay(events).filter((h) => h[1] === 'Failed login');
    // KIOSK7 reaches 100 distinct users at its 100th new name (event 298; user0 repeats do not count);
    // KIOSK8, a separate group, at event 300.
    expect(hits.map((h) => [h[0], h[2].groupKey, h[2].value])).toEqual([
      [298, { ComputerName: 'DC1', WorkstationName: 'KIOSK7' }, 100],
      [300, { ComputerName: 'DC1', WorkstationName: 'KIOSK8' }, 100],
    ]);
  });

  it('temporal: three recon commands by one user on one computer within 5 minutes, in any order', () => {
    const cmd = (sec: number, line: string, user = 'bob', host = 'WS9') => ({ '@timestamp': at(sec), CommandLine: line, User: user, ComputerName: host });
    const events = [cmd(0, 'ipconfig /all'), cmd(10, 'whoami'), cmd(20, 'net user /domain', 'eve'), cmd(299, 'net user admin'), cmd(400, 'whoami /priv')];
    const hits = replay(events).filter((h) => h[1] === 'Reconnaissance commands within 5 minutes');
    expect(hits.map((h) => [h[0], h[2].groupKey, h[2].value])).toEqual([[4, { ComputerName: 'WS9', User: 'bob' }, 3]]);
    // 0 → 300 s: the ipconfig is one second too old.
    const late = [cmd(0, 'ipconfig'), cmd(10, 'whoami'), cmd(301, 'net user')];
    expect(positions(replay(late), 'Reconnaissance commands within 5 minutes')).toEqual([]);
  });

  it('value_sum: more than 1,000,000 bytes sent by one source and user within an hour', () => {
    const post = (sec: number, bytes: number) => ({ '@timestamp': at(sec), 'cs-method': 'POST', SourceIP: '10.20.30.40', User: 'mallory', bytes_sent: bytes });
    const events = [post(0, 400_000), post(600, 300_000), post(1200, 300_000), post(1800, 1), post(1900, 5)];
    expect(positions(replay(events), 'Possible Exfiltration to Website')).toEqual([4]);
  });

  it('value_avg: average BytesOut above 500 over the day, tested when the day is over', () => {
    const out = (sec: number, bytes: number, user = 'ann') => ({ '@timestamp': at(sec), Direction: 'outbound', SourceIP: '10.1.1.1', User: user, BytesOut: bytes });
    const hits = replay([out(0, 2000), out(100, 10), out(200, 10), out(300, 10, 'ben'), out(86_401, 1)]);
    // ann: (2000 + 10 + 10) / 3 = 673.3 > 500 at the close; ben: 10.
    expect(hits.filter((h) => h[1] === 'Suspicious average network traffic').map((h) => [h[0], h[2].groupKey.User, Math.round(h[2].value)])).toEqual([[5, 'ann', 673]]);
  });

  it('value_percentile: a process name that is at most 1 % of the computer process starts', () => {
    const proc = (i: number, image: string) => ({ '@timestamp': at(i), EventID: 1, ComputerName: 'WS1', image });
    const common = (n: number) => Array.from({ length: n }, (_v, i) => proc(i, i % 3 === 0 ? 'svchost.exe' : 'chrome.exe'));
    const title = 'A computer spawned a processes name in the last 24h than 1% of all the processes.';
    // 1 of 100 = 1 %: fires; 1 of 99 = 1.01 %: does not.
    expect(positions(replay([...common(99), proc(200, 'mimikatz.exe')]), title)).toEqual([100]);
    expect(positions(replay([...common(98), proc(200, 'mimikatz.exe')]), title)).toEqual([]);
  });
});
