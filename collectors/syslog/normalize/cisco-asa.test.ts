import { normalizeFixture } from './testdata/fixtures';

const results = normalizeFixture('cisco-asa.txt');

const asa = { vendor: 'Cisco', product: 'ASA', type: 'firewall' };
const allowed = { category: ['network'], type: ['connection', 'allowed', 'start'], outcome: 'success', action: 'flow-creation' };
const teardown = { category: ['network'], type: ['connection', 'end'], action: 'flow-expiration' };
const denied = { category: ['network'], type: ['connection', 'denied'], outcome: 'failure', action: 'firewall-rule' };
const vpn = (type: string, action: string) => ({ category: ['session', 'network'], type: [type], outcome: 'success', action });
const auth = (outcome: string, action: string) => ({ category: ['authentication'], type: ['start'], outcome, action });
const command = (type: string, action: string) => ({ category: ['configuration'], type: [type], outcome: 'success', action });

const expected: Array<[boolean, Record<string, unknown>]> = [
  [true, {
    event: { ...allowed, dataset: 'cisco.asa', module: 'cisco', code: '302013' },
    observer: { ...asa, hostname: 'fw01', ingress: { interface: { name: 'outside' } }, egress: { interface: { name: 'dmz' } } },
    network: { direction: 'inbound', transport: 'tcp', iana_number: '6' },
    source: { ip: '203.0.113.50', port: 51532 },
    destination: { ip: '172.16.10.20', port: 443, nat: { ip: '198.51.100.20', port: 443 } },
    cisco: { asa: { connection_id: '4158421' } },
  }],
  // Outbound: the inside host (listed second) initiated.
  [true, {
    event: allowed,
    network: { direction: 'outbound' },
    source: { ip: '10.1.20.33', port: 55012, nat: { ip: '198.51.100.2', port: 55012 } },
    destination: { ip: '93.184.216.34', port: 443 },
    observer: { ingress: { interface: { name: 'inside' } }, egress: { interface: { name: 'outside' } } },
  }],
  [true, { event: { ...allowed, code: '302015' }, network: { transport: 'udp', direction: 'outbound' }, source: { ip: '10.1.20.33', port: 61234 }, destination: { ip: '8.8.8.8', port: 53 } }],
  [true, { event: { ...teardown, duration: 121e9, reason: 'TCP FINs' }, network: { bytes: 48213, transport: 'tcp' }, source: { ip: '93.184.216.34', port: 443 }, destination: { ip: '10.1.20.33', port: 55012 } }],
  [true, { event: { ...teardown, duration: 2e9 }, network: { bytes: 412, transport: 'udp' } }],
  [true, { event: { ...denied, code: '106023' }, rule: { name: 'outside_access_in' }, source: { ip: '198.51.100.77', port: 44521 }, destination: { ip: '10.1.2.50', port: 3389 }, cisco: { asa: { acl_hash: '0x8ed66b60' } } }],
  [true, { event: denied, network: { transport: 'icmp' }, source: { ip: '198.51.100.77' }, destination: { ip: '10.1.2.50' }, cisco: { asa: { icmp_type: '8', icmp_code: '0' } } }],
  [true, { event: { ...denied, code: '106100' }, rule: { name: 'inside_access_in' }, network: { transport: 'udp' }, source: { ip: '10.1.20.44', port: 50123 }, destination: { ip: '192.0.2.99', port: 1900 }, cisco: { asa: { hit_count: 1 } } }],
  [true, { event: { category: ['network'], type: ['connection', 'allowed'], outcome: 'success' }, rule: { name: 'inside_access_in' }, cisco: { asa: { hit_count: 12 } } }],
  [true, { event: { ...denied, code: '106001' }, network: { direction: 'inbound', transport: 'tcp' }, source: { ip: '198.51.100.80', port: 40000 }, destination: { ip: '198.51.100.20', port: 23 }, observer: { ingress: { interface: { name: 'outside' } } }, cisco: { asa: { tcp_flags: 'SYN' } } }],
  [true, { event: { ...denied, code: '106006' }, network: { transport: 'udp' }, source: { ip: '198.51.100.81', port: 5060 }, destination: { port: 5060 } }],
  [true, { event: { ...denied, code: '106015' }, cisco: { asa: { tcp_flags: 'RST' } }, observer: { ingress: { interface: { name: 'inside' } } } }],
  [true, { event: { ...auth('success', 'aaa-authentication'), code: '113004' }, user: { name: 'jdoe' }, cisco: { asa: { aaa_server: '10.1.5.10' } } }],
  [true, { event: { ...auth('failure', 'aaa-authentication'), reason: 'AAA failure' }, user: { name: 'jdoe' }, source: { ip: '203.0.113.45' } }],
  [true, { event: { ...auth('failure', 'aaa-authentication'), reason: 'Invalid password' }, user: { name: 'admin' }, source: { ip: '203.0.113.46' } }],
  [true, { event: auth('success', 'admin-login'), user: { name: 'netadmin' }, source: { ip: '10.1.5.20', port: 51515 }, destination: { ip: '10.1.0.1' }, network: { protocol: 'ssh' } }],
  [true, { event: auth('failure', 'admin-login'), source: { ip: '203.0.113.47', port: 50213 }, network: { protocol: 'https' } }],
  [true, { event: auth('success', 'admin-login'), user: { name: 'netadmin' }, source: { ip: '10.1.5.20' } }],
  [true, { event: auth('failure', 'admin-login'), user: { name: 'admin' }, source: { ip: '203.0.113.47' } }],
  [true, { event: vpn('start', 'vpn-session-started'), user: { name: 'jdoe' }, source: { ip: '203.0.113.45' }, cisco: { asa: { tunnel_group: 'GP-Remote' } } }],
  [true, { event: vpn('start', 'vpn-tunnel-established'), network: { transport: 'tcp' }, user: { name: 'jdoe' } }],
  [true, { event: vpn('info', 'vpn-address-assigned'), cisco: { asa: { assigned_ip: '10.250.0.17' } } }],
  [true, { event: vpn('end', 'vpn-tunnel-terminated'), network: { transport: 'udp' } }],
  [true, { event: { ...vpn('end', 'vpn-session-ended'), duration: 4501e9, reason: 'User Requested' }, user: { name: 'jdoe' }, source: { ip: '203.0.113.45', bytes: 2097152 }, destination: { bytes: 15728640 }, cisco: { asa: { session_type: 'SSL' } } }],
  [true, { event: vpn('start', 'vpn-session-started'), user: { name: 'asmith' }, cisco: { asa: { session_type: 'WebVPN', tunnel_group: 'GP-Clientless' } } }],
  [true, { event: { ...vpn('end', 'vpn-session-ended'), reason: 'User Requested' }, user: { name: 'asmith' } }],
  [true, { event: auth('failure', 'vpn-authentication'), user: { name: 'mallory' }, source: { ip: '203.0.113.61' } }],
  [true, { event: vpn('info', 'vpn-address-assigned'), user: { name: 'carol' }, source: { ip: '203.0.113.62', port: 50466 }, destination: { ip: '198.51.100.1', port: 4500 }, cisco: { asa: { tunnel_group: 'GP-IKEv2', assigned_ip: '10.250.0.18' } } }],
  [true, { event: allowed, source: { ip: '2001:db8:bad::7', port: 51532 }, destination: { ip: '2001:db8:100::20', port: 443 } }],
  [false, { event: { dataset: 'cisco.asa', code: '305011' }, observer: asa }],
  [true, { event: { ...teardown, reason: 'TCP Reset-O' }, observer: { vendor: 'Cisco', product: 'Firepower Threat Defense', type: 'firewall' }, source: { ip: '203.0.113.51' } }],
  // `%ASA-auth-4-113005` (logging class in the tag) behind a relay header.
  [true, { event: { ...auth('failure', 'aaa-authentication'), code: '113005' }, user: { name: 'bsmith' }, source: { ip: '10.11.74.55' } }],
  // Administrators' commands: the audit trail of configuration changes.
  [true, { event: { ...command('change', 'configuration-command'), code: '111008' }, user: { name: 'netadmin' }, cisco: { asa: { command_line: 'access-list outside_access_in extended permit tcp any host 172.16.10.20 eq 3389' } } }],
  [true, { event: command('change', 'configuration-command'), cisco: { asa: { command_line: 'write memory' } } }],
  [true, { event: { ...command('access', 'command-executed'), code: '111009' }, user: { name: 'netadmin' }, cisco: { asa: { command_line: 'show running-config' } } }],
  [true, { event: { ...command('change', 'configuration-command'), code: '111010' }, user: { name: 'netadmin' }, source: { ip: '10.1.5.20' }, cisco: { asa: { command_line: 'no logging host inside 10.1.5.30', application: 'CLI' } } }],
  // Management access to the firewall itself.
  [true, { event: { category: ['network'], type: ['connection', 'denied'], outcome: 'failure', action: 'management-access-denied', code: '710003' }, network: { transport: 'tcp', direction: 'inbound' }, source: { ip: '203.0.113.47', port: 50213 }, destination: { ip: '198.51.100.1', port: 22 }, observer: { ingress: { interface: { name: 'outside' } } } }],
  [true, { event: { type: ['connection', 'allowed'], outcome: 'success', action: 'management-access-permitted' }, source: { ip: '10.1.5.20', port: 51515 }, destination: { ip: '10.1.0.1' }, network: { protocol: 'https' } }],
  [true, { event: { type: ['connection', 'denied'], action: 'management-request-discarded' }, network: { transport: 'udp', protocol: 'netbios-ns' }, source: { ip: '10.1.20.33', port: 137 } }],  // ICMP through and to the firewall.
  [true, { event: { ...allowed, code: '302020' }, network: { transport: 'icmp', direction: 'inbound' }, source: { ip: '203.0.113.9' }, destination: { ip: '172.16.10.20', nat: { ip: '198.51.100.20' } }, cisco: { asa: { icmp_type: '8', icmp_code: '0' } } }],
  [true, { event: allowed, network: { direction: 'outbound' }, source: { ip: '10.1.20.33', nat: { ip: '198.51.100.2' } }, destination: { ip: '8.8.8.8' } }],
  [true, { event: { category: ['network'], type: ['connection', 'end'], action: 'flow-expiration', code: '302021' }, network: { transport: 'icmp' }, source: { ip: '203.0.113.9' }, destination: { ip: '172.16.10.20' } }],
  [true, { event: { category: ['network'], type: ['connection', 'denied'], outcome: 'failure', action: 'icmp-denied', code: '313001' }, source: { ip: '203.0.113.9' }, observer: { ingress: { interface: { name: 'outside' } } }, cisco: { asa: { icmp_type: '8' } } }],
  [true, { event: { ...denied, code: '106016', reason: 'IP spoof' }, source: { ip: '10.1.20.99' }, destination: { ip: '10.1.20.1' } }],
  // Basic threat detection, by category and by host.
  [true, { event: { kind: 'alert', category: ['intrusion_detection'], type: ['info', 'denied'], action: 'drop-rate-exceeded', code: '733100' }, rule: { name: 'Scanning' }, cisco: { asa: { drop_total: 3000 } } }],
  [true, { event: { kind: 'alert', action: 'drop-rate-exceeded', reason: 'rate-2 exceeded: burst 100/s (max 80), average 60/s (max 40)' }, source: { ip: '203.0.113.9' } }],
  [true, { event: { category: ['web'], type: ['access', 'allowed'], action: 'url-accessed', code: '304001' }, source: { ip: '10.1.20.33' }, destination: { ip: '93.184.216.34' }, url: { original: 'http://www.example.com/index.html' } }],
  [true, { event: { action: 'url-accessed' }, user: { name: 'bob', domain: 'LOCAL' }, source: { ip: '10.1.20.33' } }],
];

describe('Cisco ASA normalizer', () => {
  it('has one expectation per sample line', () => {
    expect(results).toHaveLength(expected.length);
  });

  it.each(expected.map((e, i) => [results[i]?.line.slice(0, 110) ?? String(i), i, e[0], e[1]] as const))('%s', (_title, i, normalized, fields) => {
    expect(results[i].normalized).toBe(normalized);
    expect(results[i].event).toMatchObject(fields);
  });

  it('writes no NAT when the mapped address is the real one', () => {
    expect(results[0].event.source?.nat).toBeUndefined();
    expect(results[1].event.destination?.nat).toBeUndefined();
  });

  it('does not take a masked user name (*****)', () => {
    expect(results[16].event.user).toBeUndefined();
  });

  it('takes no user name from a privilege-level session (enable_15)', () => {
    const line = results.findIndex((r) => r.line.includes("'enable_15'"));
    expect(line).toBeGreaterThan(0);
    expect(results[line].event.user).toBeUndefined();
  });

  it('leaves out an empty vendor namespace', () => {
    expect(results[10].event.cisco).toBeUndefined();
  });
});
