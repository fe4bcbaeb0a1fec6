import { applyCefRecord } from './cef';
import { normalizeFixture } from './testdata/fixtures';
import { buildBaseEvent } from '../to-event';

const results = normalizeFixture('cef.txt');

const expected: Array<[boolean, Record<string, unknown>]> = [
  [true, {
    event: { dataset: 'cef', module: 'cef', code: '00013', action: 'close' },
    observer: { vendor: 'Fortinet', product: 'Fortigate', serial_number: 'FG100FTK22000001', ingress: { interface: { name: 'port2' } }, egress: { interface: { name: 'wan1' } } },
    source: { ip: '10.1.100.11', port: 58012, bytes: 1188, nat: { ip: '198.51.100.2', port: 58012 } },
    destination: { ip: '93.184.216.34', port: 443, bytes: 5224, user: { name: 'bob' } },
    network: { transport: 'tcp', iana_number: '6', protocol: 'https' },
    user: { name: 'bob' },
    cef: { version: 0, device: { vendor: 'Fortinet', product: 'Fortigate', version: 'v7.2.5', event_class_id: '00013' }, name: 'traffic:forward close', severity: 3, extensions: { FTNTFGTlogid: '0000000013', cat: 'traffic:forward' } },
  }],
  [true, {
    '@timestamp': '2024-03-04T10:15:40.000Z',
    message: 'Multiple failed SSH logins from 203.0.113.15',
    // A plain verdict word with both ends known: the cross-vendor firewall verdict.
    event: { code: '4000030', action: 'Deny', outcome: 'failure', category: ['network'], type: ['connection', 'denied'] },
    source: { ip: '203.0.113.15', port: 51512, user: { name: 'root' } },
    destination: { ip: '10.1.50.10', port: 22 },
    network: { transport: 'tcp' },
    user: { name: 'root' },
    cef: { severity: 8, extensions: { cs1Label: 'RuleName', cs1: 'SSH-Bruteforce' } },
  }],
  [true, {
    event: { action: 'Allowed' },
    user: { name: 'alice@example.com' },
    url: { original: 'https://www.example.com/login?x=1' },
    http: { request: { method: 'GET' } },
    user_agent: { original: 'Mozilla/5.0' },
  }],
  [true, { event: { code: '100' }, destination: { ip: '10.0.0.1' } }],
  [true, {
    '@timestamp': '2024-03-04T10:15:55.000Z',
    event: { code: 'DetectionSummaryEvent', action: 'Quarantine' },
    cef: { severity: 8 },
    source: { ip: '10.1.20.42' },
    destination: { domain: 'WS042', user: { name: 'asmith' } },
    file: { name: 'mimikatz.exe', path: 'C:\\Users\\asmith\\Downloads' },
    process: { name: 'explorer.exe', pid: 4012 },
  }],
  [true, { event: { action: 'Drop', category: ['network'], type: ['connection', 'denied'], outcome: 'failure' }, source: { ip: '203.0.113.9', port: 4444 }, destination: { ip: '10.1.1.10', port: 3389 }, network: { direction: 'inbound' }, observer: { vendor: 'Check Point' } }],
  // The device's own outcome wins over the one the verdict implies.
  [true, { event: { action: 'accept', category: ['network'], type: ['connection', 'allowed'], outcome: 'failure' } }],
];

describe('CEF normalizer', () => {
  it('gives no connection verdict without both addresses or without a verdict word', () => {
    // 999.1.1.1 fails validation; Quarantine is an endpoint action and there is no destination.
    expect(results[3].event.event.category).toBeUndefined();
    expect(results[4].event.event.category).toBeUndefined();
    // close is a FortiGate session end, not a verdict.
    expect(results[0].event.event.category).toBeUndefined();
  });

  it('has one expectation per sample line', () => {
    expect(results).toHaveLength(expected.length);
  });

  it.each(expected.map((e, i) => [results[i]?.line.slice(0, 120) ?? String(i), i, e[0], e[1]] as const))('%s', (_title, i, normalized, fields) => {
    expect(results[i].normalized).toBe(normalized);
    expect(results[i].event).toMatchObject(fields);
  });

  it('writes no field from an invalid IP, port or byte count', () => {
    const { event } = results[3];
    expect(event.source).toBeUndefined();
    expect(event.destination?.port).toBeUndefined();
    expect(event.cef).toMatchObject({ extensions: { src: '999.1.1.1', spt: '99999', dpt: '-5', in: 'abc' } });
  });

  it('ignores the zone-less text form of rt and keeps the header time', () => {
    expect(results[2].event['@timestamp']).toBe('2024-03-04T10:15:45.000Z');
  });

  it('maps full key names like short ones', () => {
    const event = buildBaseEvent({ format: 'raw', message: '' }, { original: '', receivedAt: 0, peerAddress: '192.0.2.1', organization: { id: 'a' } });
    applyCefRecord(
      { version: 0, vendor: 'V', product: 'P', deviceVersion: '1', signatureId: 's', name: 'n', severity: 5, extensions: { sourceAddress: '10.9.8.7', destinationPort: '8443', sourceUserName: 'kim', deviceAction: 'blocked' } },
      event,
    );
    expect(event).toMatchObject({ source: { ip: '10.9.8.7' }, destination: { port: 8443 }, user: { name: 'kim' }, event: { action: 'blocked' } });
  });
});
