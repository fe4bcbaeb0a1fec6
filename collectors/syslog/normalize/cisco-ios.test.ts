import { normalizeFixture } from './testdata/fixtures';

const results = normalizeFixture('cisco-ios.txt');

const ios = { vendor: 'Cisco', product: 'IOS', type: 'router' };
const change = (action: string) => ({ dataset: 'cisco.ios', module: 'cisco', category: ['network'], type: ['change'], action });

const expected: Array<[boolean, Record<string, unknown>]> = [
  // `*Mar  4 …`: an unsynchronised clock, so the receive time (FIXTURE_NOW) is the event time.
  [true, { '@timestamp': '2024-03-04T12:00:00.000Z', event: { ...change('interface-down'), code: 'LINK-3-UPDOWN' }, interface: { name: 'GigabitEthernet0/1' }, observer: ios }],
  [true, { event: { ...change('line-protocol-down'), code: 'LINEPROTO-5-UPDOWN' }, interface: { name: 'GigabitEthernet0/1' } }],
  [true, { event: change('interface-admin-down'), interface: { name: 'GigabitEthernet0/2' } }],
  [true, { event: change('interface-up'), interface: { name: 'TenGigabitEthernet1/1/1' }, observer: { ...ios, hostname: '10.10.0.1' } }],
  [true, { event: { category: ['authentication'], type: ['start'], outcome: 'success', action: 'login', code: 'SEC_LOGIN-5-LOGIN_SUCCESS' }, user: { name: 'netadmin' }, source: { ip: '10.20.0.15' }, destination: { port: 22 } }],
  [true, { event: { category: ['authentication'], outcome: 'failure', action: 'login', reason: 'Login Authentication Failed' }, user: { name: 'admin' }, source: { ip: '203.0.113.77' }, destination: { port: 22 } }],
  [true, { event: { category: ['configuration'], type: ['change'], action: 'configuration-change' }, user: { name: 'netadmin' }, source: { ip: '10.20.0.15' }, cisco: { ios: { line: 'vty0' } } }],
  [true, { event: { category: ['configuration'], action: 'configuration-change' } }],
  [true, { event: { category: ['configuration'], action: 'configuration-command' }, user: { name: 'netadmin' }, cisco: { ios: { command: 'interface GigabitEthernet0/3' } } }],
  [true, { event: { category: ['authentication'], outcome: 'success', action: 'ssh-login' }, user: { name: 'netadmin' }, source: { ip: '10.20.0.15' } }],
  [true, { event: { ...change('routing-neighbor-down'), reason: 'Neighbor Down: Dead timer expired' }, interface: { name: 'GigabitEthernet0/0' }, cisco: { ios: { neighbor: '10.255.0.2' } } }],
  [true, { event: change('routing-neighbor-up'), cisco: { ios: { neighbor: '192.0.2.1' } } }],
  [true, { event: { category: ['host'], type: ['start'], action: 'system-restart' } }],
  // IOS-XR: facility PKT_INFRA-LINK, state written "Down".
  [true, { event: { ...change('interface-down'), code: 'PKT_INFRA-LINK-3-UPDOWN' }, interface: { name: 'HundredGigE0/0/0/1' } }],
  [false, { event: { dataset: 'cisco.ios', code: 'DHCPD-6-ADDRESS_ASSIGN' }, observer: ios }],
  // NX-OS data-centre switches: same tag format, their own interface and configuration messages.
  [true, { event: { ...change('interface-down'), code: 'ETHPORT-5-IF_DOWN_LINK_FAILURE', reason: 'Link failure' }, interface: { name: 'Ethernet1/1' }, observer: { vendor: 'Cisco', product: 'NX-OS', type: 'switch' } }],
  [true, { event: change('interface-up'), interface: { name: 'Ethernet1/1' } }],
  [true, { event: { ...change('interface-admin-down'), reason: 'Administratively down' }, interface: { name: 'port-channel10' } }],
  [true, { event: { category: ['configuration'], type: ['change'], outcome: 'success', action: 'configuration-change' }, user: { name: 'netadmin' }, source: { ip: '10.20.0.15' }, cisco: { ios: { line: 'pts/0' } }, observer: { product: 'NX-OS' } }],  // Access-list logging: the router as a firewall.
  [true, { event: { category: ['network'], type: ['connection', 'denied'], outcome: 'failure', action: 'acl-denied', code: 'SEC-6-IPACCESSLOGP' }, rule: { name: '101' }, network: { transport: 'tcp', packets: 1 }, source: { ip: '203.0.113.9', port: 4444 }, destination: { ip: '10.1.1.10', port: 23 } }],
  [true, { event: { type: ['connection', 'allowed'], outcome: 'success', action: 'acl-permitted' }, rule: { name: 'OUTSIDE-IN' }, source: { ip: '10.1.1.5', port: 53000, mac: '00-11-22-33-44-55' }, destination: { ip: '8.8.8.8', port: 53 }, observer: { ingress: { interface: { name: 'GigabitEthernet0/1' } } }, cisco: { ios: { acl: { packets: 5 } } } }],
  [true, { event: { action: 'acl-denied' }, network: { transport: 'icmp' }, destination: { ip: '10.1.1.10' }, cisco: { ios: { acl: { icmp_type: '8', icmp_code: '0' } } } }],
  [true, { event: { action: 'acl-denied', code: 'SEC-6-IPACCESSLOGS' }, rule: { name: '10' }, source: { ip: '203.0.113.9' } }],
  [true, { event: { action: 'acl-denied', code: 'IPV6_ACL-6-ACCESSLOGP' }, rule: { name: 'V6-IN', id: '10' }, source: { ip: '2001:db8::9', port: 4444 }, destination: { ip: '2001:db8::10', port: 22 } }],
  // Access switches.
  [true, { event: { category: ['network'], type: ['connection', 'denied'], outcome: 'failure', action: 'port-security-violation' }, source: { mac: '00-11-22-33-44-55' }, interface: { name: 'GigabitEthernet1/0/5' } }],
  [true, { event: { category: ['network'], action: 'mac-flapping' }, source: { mac: '00-11-22-33-44-55' }, cisco: { ios: { switch: { vlan: '10', ports: ['Gi1/0/1', 'Gi1/0/2'] } } } }],
  [true, { event: { ...change('routing-neighbor-down'), reason: 'holding time expired' }, interface: { name: 'GigabitEthernet0/0' }, cisco: { ios: { neighbor: '10.255.0.6' } } }],
  [true, { event: change('hsrp-state-active'), interface: { name: 'Vlan10' }, cisco: { ios: { hsrp: { group: '1', from: 'Standby', to: 'Active' } } } }],
  [true, { event: { category: ['authentication'], outcome: 'failure', action: 'dot1x-authentication' }, source: { mac: '00-11-22-33-44-55' }, interface: { name: 'Gi1/0/5' }, cisco: { ios: { switch: { audit_session_id: '0A0000010000001234' } } } }],
  [true, { event: change('bpdu-guard-port-disabled'), interface: { name: 'GigabitEthernet1/0/7' } }],
  [true, { event: { category: ['authentication'], type: ['end'], action: 'logout' }, user: { name: 'netadmin' }, source: { ip: '10.20.0.15' } }],
  // login block-for tripped on the device.
  [true, { event: { category: ['authentication'], outcome: 'failure', action: 'login-quiet-mode', reason: 'Login Authentication Failed' }, user: { name: 'admin' }, source: { ip: '203.0.113.77' } }],
];

describe('Cisco IOS normalizer', () => {
  it('has one expectation per sample line', () => {
    expect(results).toHaveLength(expected.length);
  });

  it.each(expected.map((e, i) => [results[i]?.line.slice(0, 100) ?? String(i), i, e[0], e[1]] as const))('%s', (_title, i, normalized, fields) => {
    expect(results[i].normalized).toBe(normalized);
    expect(results[i].event).toMatchObject(fields);
  });

  it('puts the text after the tag in message', () => {
    expect(results[0].event.message).toBe('Interface GigabitEthernet0/1, changed state to down');
  });

  it('treats "by console" as a line, not a user', () => {
    expect(results[7].event.user).toBeUndefined();
  });
});
