/**
 * Malformed input never throws and never yields a garbage field: every fixture line is cut at
 * many points and has digits and separators mangled, and each result is checked field by field.
 */
import { isIP } from 'node:net';
import type { EcsEndpoint, EcsEvent } from '../../../core/event';
import { fixtureLines, normalizeLine } from './testdata/fixtures';

const FILES = [
  'linux-sshd.txt', 'linux-sudo.txt', 'linux-pam.txt', 'linux-accounts.txt', 'cisco-ios.txt', 'cisco-asa.txt',
  'fortigate.txt', 'panos.txt', 'pfsense.txt', 'access-log.txt', 'windows.txt', 'json.txt', 'cef.txt', 'leef.txt',
  'bind.txt', 'dhcpd.txt', 'squid.txt', 'snare.txt', 'repeat.txt',
];

function checkEndpoint(ep: EcsEndpoint | undefined, where: string): void {
  if (ep === undefined) return;
  if (ep.ip !== undefined && isIP(ep.ip) === 0) throw new Error(`${where}.ip is not an IP: ${ep.ip}`);
  if (ep.port !== undefined && !(Number.isInteger(ep.port) && ep.port >= 0 && ep.port <= 65535)) throw new Error(`${where}.port out of range: ${ep.port}`);
  for (const n of [ep.bytes, ep.packets]) {
    if (n !== undefined && !(Number.isFinite(n) && n >= 0)) throw new Error(`${where} counter invalid: ${n}`);
  }
  if (ep.nat?.ip !== undefined && isIP(ep.nat.ip) === 0) throw new Error(`${where}.nat.ip is not an IP: ${ep.nat.ip}`);
  if (ep.nat?.port !== undefined && !(ep.nat.port >= 0 && ep.nat.port <= 65535)) throw new Error(`${where}.nat.port out of range`);
  if (ep.domain !== undefined && /^[\d.]+$/.test(ep.domain)) throw new Error(`${where}.domain looks like a broken IP: ${ep.domain}`);
}

function checkEvent(event: EcsEvent, line: string): void {
  try {
    checkEndpoint(event.source, 'source');
    checkEndpoint(event.destination, 'destination');
    if (Number.isNaN(Date.parse(event['@timestamp']))) throw new Error(`bad @timestamp ${event['@timestamp']}`);
    const d = event.event.duration;
    if (d !== undefined && !(Number.isFinite(d) && d >= 0)) throw new Error(`bad duration ${d}`);
    const net = event.network;
    if (net?.bytes !== undefined && !Number.isFinite(net.bytes)) throw new Error('bad network.bytes');
    if (event.observer?.ip?.some((ip) => isIP(ip) === 0)) throw new Error('bad observer.ip');
    if (event.event.category !== undefined && !Array.isArray(event.event.category)) throw new Error('category not an array');
  } catch (err) {
    throw new Error(`${(err as Error).message} for line: ${line}`, { cause: err });
  }
}

/** Deterministic mutations: truncations, then digits and separators replaced. */
function mutations(line: string): string[] {
  const out: string[] = [];
  const step = Math.max(1, Math.floor(line.length / 40));
  for (let cut = 1; cut < line.length; cut += step) out.push(line.slice(0, cut));
  out.push(line.replace(/\d/g, '9'));
  out.push(line.replace(/\d+/g, '99999999999999999999'));
  out.push(line.replace(/[.:]/g, ''));
  out.push(line.replace(/,/g, ',,'));
  out.push(line.replace(/"/g, ''));
  out.push(line.replace(/=/g, '= '));
  out.push(line.replace(/ /g, '  '));
  return out;
}

describe.each(FILES)('malformed variants of %s', (file) => {
  it('never throw and never write a field of the wrong shape', () => {
    let checked = 0;
    for (const line of fixtureLines(file)) {
      for (const variant of mutations(line)) {
        const { event } = normalizeLine(variant);
        checkEvent(event, variant);
        expect(event.error).toBeUndefined();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
