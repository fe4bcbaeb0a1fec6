import { chooseNormalizer } from './index';
import { normalizeKea } from './kea';
import { normalizeFixture, syslogMessage } from './testdata/fixtures';

const results = normalizeFixture('kea.txt');
const observer = { vendor: 'ISC', product: 'Kea', type: 'dhcp', hostname: 'dhcp2' };
const mac04 = '00-0C-01-02-03-04';

const expected: Array<[boolean, Record<string, unknown>]> = [
  [true, {
    event: { dataset: 'kea.dhcp4', module: 'kea', code: 'DHCP4_LEASE_ADVERT', category: ['network'], type: ['protocol'], action: 'dhcp-offer' },
    client: { ip: '10.1.5.20', mac: mac04 },
    host: { ip: ['10.1.5.20'], mac: [mac04] },
    kea: { dhcp4: { logger: 'kea-dhcp4.leases', client_id: '01:00:0c:01:02:03:04', transaction_id: '0x3fa1c2d9' } },
    observer,
    network: { protocol: 'dhcp', transport: 'udp' },
    log: { level: 'info' },
  }],
  [true, { event: { action: 'dhcp-ack', outcome: 'success', code: 'DHCP4_LEASE_ALLOC' }, client: { ip: '10.1.5.20', mac: mac04 }, kea: { dhcp4: { lease_duration: 3600 } } }],
  [true, { event: { action: 'dhcp-ack' }, client: { ip: '192.168.1.77', mac: 'A4-5E-60-D1-22-33' }, kea: { dhcp4: { logger: 'kea-dhcp4.leases', transaction_id: '0x6d2f0a11', lease_duration: 86400 } } }],
  [true, { event: { action: 'dhcp-offer', code: 'DHCP4_LEASE_OFFER' }, client: { ip: '10.1.5.21', mac: '00-0C-01-02-03-05' } }],
  [true, { event: { action: 'dhcp-release', outcome: 'success' }, client: { ip: '10.1.5.20', mac: mac04 } }],
  [true, { event: { action: 'dhcp-release', outcome: 'failure', reason: 'failed to remove lease for address 10.1.5.22' }, client: { ip: '10.1.5.22' }, log: { level: 'error' } }],
  [true, { event: { action: 'dhcp-decline', outcome: 'failure' }, client: { ip: '10.1.5.23', mac: '00-0C-01-02-03-07' }, kea: { dhcp4: { transaction_id: '0x22cc33dd' } } }],
  [true, { event: { action: 'dhcp-decline', outcome: 'failure', reason: 'but no such lease found.' }, client: { ip: '10.1.5.99', mac: '00-0C-01-02-03-08' } }],
  [true, { event: { action: 'dhcp-nak', outcome: 'failure', reason: 'failed to select a subnet for incoming packet, src 10.9.9.1, type DHCPREQUEST' }, client: { mac: '00-0C-01-02-03-09' }, kea: { dhcp4: { logger: 'kea-dhcp4.bad-packets' } } }],
  [true, { event: { action: 'dhcp-nak', outcome: 'failure' }, client: { ip: '192.168.1.78', mac: 'A4-5E-60-D1-22-33' }, log: { level: 'debug' } }],
  [true, { event: { action: 'dhcp-allocation-failed', outcome: 'failure', reason: 'failed to allocate an IPv4 address after 65534 attempt(s)' }, client: { mac: '00-0C-01-02-03-0A' }, kea: { dhcp4: { logger: 'kea-dhcp4.alloc-engine' } } }],
  [true, { event: { action: 'dhcp-expire', code: 'ALLOC_ENGINE_V4_LEASE_RECLAIM' }, client: { ip: '10.1.5.21', mac: '00-0C-01-02-03-05' } }],
  [true, { event: { action: 'dhcp-request' }, client: { ip: '10.1.5.30', mac: '00-0C-01-02-03-0B' } }],
  [true, { event: { action: 'dhcp-discover', code: 'DHCP4_PACKET_RECEIVED' }, client: { mac: '00-0C-01-02-03-0C' }, kea: { dhcp4: { interface: 'eth1', transaction_id: '0x4e6ff12' } } }],
  [true, { event: { action: 'dhcp-ack' }, client: { ip: '192.0.2.114', mac: '00-0D-93-29-2D-30' }, kea: { dhcp4: { client_id: '01:00:0d:93:29:2d:30', lease_duration: 4000 } } }],
  [true, { event: { action: 'dhcp-ack' }, client: { ip: '10.1.5.31', mac: '00-0C-01-02-03-0D' }, kea: { dhcp4: { logger: 'kea-dhcp4.leases', transaction_id: '0x1' } } }],
  [false, { event: { dataset: 'kea.dhcp4', code: 'DHCP4_STARTED' }, observer, host: { hostname: 'dhcp2' } }],
  [false, { event: { dataset: 'syslog' }, host: { hostname: 'dhcp2' } }],
  [false, { event: { dataset: 'syslog' } }],
];

describe('ISC Kea DHCPv4 normalizer', () => {
  it('has one expectation per sample line', () => {
    expect(results).toHaveLength(expected.length);
  });

  it.each(expected.map((e, i) => [results[i]?.line.slice(0, 110) ?? String(i), i, e[0], e[1]] as const))('%s', (_title, i, normalized, fields) => {
    expect(results[i].normalized).toBe(normalized);
    expect(results[i].event).toMatchObject(fields);
  });

  it('keeps the Kea server as observer and the client as host', () => {
    const ack = results[1].event;
    expect(ack.host?.name).toBeUndefined();
    expect(ack.log?.syslog?.hostname).toBe('dhcp2');
    expect(ack.observer?.hostname).toBe('dhcp2');
  });

  it('leaves no partial fields on the malformed line', () => {
    const bad = results[results.length - 2].event;
    expect(bad.client).toBeUndefined();
    expect(bad.kea).toBeUndefined();
    expect(bad.event.code).toBeUndefined();
    expect(bad.observer?.vendor).toBeUndefined();
  });

  it('is chosen by the kea-dhcp4 program name only', () => {
    const line = 'INFO  [kea-dhcp4.leases.1] DHCP4_LEASE_ALLOC [hwtype=1 00:0c:01:02:03:04], cid=[no info], tid=0x1: lease 10.1.5.20 has been allocated for 3600 seconds';
    expect(chooseNormalizer(syslogMessage({ appName: 'kea-dhcp4', message: line }))).toBe(normalizeKea);
    expect(chooseNormalizer(syslogMessage({ appName: 'myapp', message: line }))).toBeUndefined();
  });
});
