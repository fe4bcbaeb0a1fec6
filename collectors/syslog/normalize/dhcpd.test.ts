import { normalizeFixture } from './testdata/fixtures';

const results = normalizeFixture('dhcpd.txt');
const observer = { vendor: 'ISC', product: 'dhcpd', type: 'dhcp', hostname: 'dhcp1' };
const pc042 = { name: 'PC-042', hostname: 'PC-042' };

const expected: Array<[boolean, Record<string, unknown>]> = [
  [true, { event: { dataset: 'dhcpd.lease', module: 'dhcpd', category: ['network'], type: ['protocol'], action: 'dhcp-discover' }, client: { mac: '00-1A-2B-3C-4D-5E' }, host: pc042, dhcpd: { message_type: 'DHCPDISCOVER', via: 'eth1' }, observer, network: { protocol: 'dhcp' } }],
  [true, { event: { action: 'dhcp-offer' }, client: { ip: '10.1.5.20', mac: '00-1A-2B-3C-4D-5E' }, host: { ...pc042, ip: ['10.1.5.20'] } }],
  [true, { event: { action: 'dhcp-request' }, client: { ip: '10.1.5.20', mac: '00-1A-2B-3C-4D-5E' }, host: pc042 }],
  [true, { event: { action: 'dhcp-ack', outcome: 'success' }, client: { ip: '10.1.5.20', mac: '00-1A-2B-3C-4D-5E' }, host: { ...pc042, ip: ['10.1.5.20'] } }],
  [true, { event: { action: 'dhcp-ack', outcome: 'success' }, client: { ip: '10.20.30.41', mac: '00-50-56-A1-0B-0C' }, host: { ip: ['10.20.30.41'] }, dhcpd: { via: '10.20.30.1' } }],
  [true, { event: { action: 'dhcp-request', outcome: 'failure', reason: 'wrong network.' }, client: { ip: '192.168.1.77', mac: 'A4-5E-60-D1-22-33' }, host: { hostname: 'iPhone-cua-Lan' } }],
  [true, { event: { action: 'dhcp-nak', outcome: 'failure' }, client: { ip: '192.168.1.77', mac: 'A4-5E-60-D1-22-33' } }],
  [true, { event: { action: 'dhcp-release' }, client: { ip: '10.1.5.20' }, dhcpd: { lease_status: 'found' } }],
  [true, { event: { action: 'dhcp-decline', outcome: 'failure', reason: 'abandoned' }, client: { ip: '10.1.5.21', mac: '00-1A-2B-3C-4D-60' } }],
  [true, { event: { action: 'dhcp-inform' }, client: { ip: '10.1.5.30' } }],
  [true, { event: { action: 'dhcp-ack' }, client: { ip: '10.1.5.30', mac: '00-1A-2B-3C-4D-61' } }],
  [true, { event: { action: 'dhcp-discover', outcome: 'failure', reason: 'network 10.1.6.0/24: no free leases' }, client: { mac: '00-1A-2B-3C-4D-62' } }],
  [false, { event: { dataset: 'syslog' }, host: { hostname: 'dhcp1' } }],
  [false, { event: { dataset: 'syslog' } }],
];

describe('ISC dhcpd normalizer', () => {
  it('has one expectation per sample line', () => {
    expect(results).toHaveLength(expected.length);
  });

  it.each(expected.map((e, i) => [results[i]?.line.slice(0, 90) ?? String(i), i, e[0], e[1]] as const))('%s', (_title, i, normalized, fields) => {
    expect(results[i].normalized).toBe(normalized);
    expect(results[i].event).toMatchObject(fields);
  });

  it('keeps the DHCP server as observer and describes the client by its MAC for a discover without a name', () => {
    expect(results[11].event.host?.name).toBeUndefined();
    expect(results[11].event.host?.mac).toEqual([results[11].event.client?.mac]);
    expect(results[11].event.log?.syslog?.hostname).toBe('dhcp1');
  });

});
