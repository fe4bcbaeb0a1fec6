/**
 * A restart anywhere in a stream changes nothing: for every correlation type, stopping after
 * event k (snapshot → JSON → a new engine restores it) yields the same hits as one uninterrupted
 * run, for every k.
 */
import { join } from 'node:path';
import type { EcsEvent } from '../../../core/event';
import { loadSigmaRules } from '../load';
import { SigmaRuleSet } from '../ruleset';
import { CorrelationEngine } from './engine';
import type { CorrelationHit } from './types';

const T0 = Date.parse('2025-06-02T08:00:00Z');
const at = (sec: number): string => new Date(T0 + sec * 1000).toISOString();
const files = ['spec_examples.yml', 'base_auth.yml', 'mr_bruteforce_then_success.yml', 'mr_password_spraying.yml', 'mr_alias_temporal.yml'].map((f) => join(__dirname, 'testdata', f));

function boot() {
  const loaded = loadSigmaRules(files);
  return { set: new SigmaRuleSet(loaded.rules, { routing: 'all' }), engine: new CorrelationEngine(loaded.rules, loaded.correlations) };
}

/** A mixed stream touching every correlation type in the files above. */
function stream(): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < 110; i++) {
    const t = i * 20;
    events.push({ '@timestamp': at(t), EventID: 4625, ComputerName: 'DC1', WorkstationName: 'K1', User: `u${i}` });
    for (let j = 0; j < 3; j++) {
      const outcome = i % 6 === 5 && j === 2 ? 'success' : 'failure';
      events.push({ '@timestamp': at(t + 1 + j / 10), event: { category: ['authentication'], outcome }, source: { ip: `10.0.0.${i % 2}` }, user: { name: `n${(i * 3 + j) % 5}` }, organization: { id: 'a' } });
    }
    events.push({ '@timestamp': at(t + 2), CommandLine: ['whoami', 'net user x', 'ipconfig'][i % 3], User: 'bob', ComputerName: 'WS9' });
    events.push({ '@timestamp': at(t + 3), 'cs-method': 'POST', SourceIP: '10.2.2.2', User: 'm', bytes_sent: 90_000 + i });
    events.push({ '@timestamp': at(t + 4), Direction: 'outbound', SourceIP: '10.1.1.1', User: i % 2 === 0 ? 'ann' : 'ben', BytesOut: i % 5 === 0 ? 2400 : 30 });
    events.push({ '@timestamp': at(t + 5), EventID: 1, ComputerName: 'WS1', image: i === 104 ? 'mimikatz.exe' : ['a.exe', 'b.exe', 'c.exe'][i % 3] });
    if (i % 9 === 4) {
      events.push({ '@timestamp': at(t + 6), http: { response: { status_code: 500 } }, source: { ip: '203.0.113.9' }, destination: { ip: '10.0.0.5' } });
      events.push({ '@timestamp': at(t + 9), event: { category: ['network'], type: ['connection'], outcome: 'success' }, source: { ip: '10.0.0.5' }, destination: { ip: '203.0.113.9' } });
    }
  }
  // A day later: closes the value_avg windows of the first day.
  events.push({ '@timestamp': at(90_000), Direction: 'outbound', SourceIP: '10.1.1.1', User: 'ann', BytesOut: 1 });
  return events;
}

function summary(h: CorrelationHit): string {
  return JSON.stringify([h.correlation.title, h.groupKey, h.organizationId, h.value, h.fieldValue, h.eventCount, h.firstSeen, h.lastSeen, h.events.length, h.standalone]);
}

function runAll(events: Record<string, unknown>[], restartAfter: number | undefined): string[] {
  let b = boot();
  const out: string[] = [];
  events.forEach((e, i) => {
    for (const h of b.engine.process(e as EcsEvent, b.set.match(e))) out.push(`${i}:${summary(h)}`);
    if (i + 1 === restartAfter) {
      const saved = JSON.parse(JSON.stringify(b.engine.snapshot())) as unknown;
      b = boot();
      expect(b.engine.restore(saved).discarded).toEqual([]);
    }
  });
  for (const h of b.engine.flush()) out.push(`end:${summary(h)}`);
  return out;
}

describe('restart equivalence', () => {
  const events = stream();
  const baseline = runAll(events, undefined);

  it('the stream fires every correlation type', () => {
    const titles = new Set(baseline.map((l) => (JSON.parse(l.slice(l.indexOf(':') + 1)) as string[])[0]));
    expect([...titles].sort()).toEqual(
      [
        'A computer spawned a processes name in the last 24h than 1% of all the processes.',
        'Failed login',
        'Internal server error and a connection between the same two hosts',
        'Login brute force followed by a successful login from the same source',
        'Login brute force from one source',
        'Many failed logins',
        'Password spraying from one source',
        'Possible Exfiltration to Website',
        'Reconnaissance commands within 5 minutes',
        'Suspicious average network traffic',
      ].sort(),
    );
  });

  it('gives the same hits whatever event the restart follows', () => {
    const step = Math.ceil(events.length / 30);
    for (let k = 1; k < events.length; k += step) expect(runAll(events, k)).toEqual(baseline);
  });
});
