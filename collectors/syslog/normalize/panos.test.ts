import { normalizeFixture } from './testdata/fixtures';

const results = normalizeFixture('panos.txt');

const pan = { vendor: 'Palo Alto Networks', product: 'PAN-OS', type: 'firewall', serial_number: '012801096514', name: 'pa-fw01' };

const expected: Array<[boolean, Record<string, unknown>]> = [
  [true, {
    event: { dataset: 'panw.panos', module: 'panw', code: 'TRAFFIC:end', category: ['network'], type: ['connection', 'allowed', 'end'], outcome: 'success', action: 'allow', duration: 16e9, reason: 'tcp-fin' },
    observer: { ...pan, ingress: { interface: { name: 'ethernet1/2' }, zone: 'trust' }, egress: { interface: { name: 'ethernet1/1' }, zone: 'untrust' } },
    source: { ip: '10.1.20.33', port: 49583, bytes: 2228, packets: 12, nat: { ip: '198.51.100.2', port: 50464 } },
    destination: { ip: '93.184.216.34', port: 443, bytes: 5084, packets: 10, geo: { country_name: 'United States' } },
    network: { transport: 'tcp', application: 'ssl', bytes: 7312, packets: 22 },
    rule: { name: 'Allow-Web', uuid: '90431d13-81da-4129-8bc5-ce968fa06b76' },
    user: { domain: 'corp', name: 'jdoe' },
    panw: { panos: { type: 'TRAFFIC', subtype: 'end', session_id: '72568134', url_category: 'business-and-economy', action_source: 'from-policy' } },
  }],
  [true, {
    event: { code: 'TRAFFIC:drop', type: ['connection', 'denied'], outcome: 'failure', action: 'deny', reason: 'policy-deny' },
    source: { ip: '203.0.113.40', port: 51000, geo: { country_name: 'Russian Federation' } },
    destination: { ip: '198.51.100.20', port: 3389 },
    rule: { name: 'Deny-All' },
    observer: { egress: { zone: 'dmz' } },
  }],
  [true, {
    event: { kind: 'alert', code: 'THREAT:vulnerability', category: ['intrusion_detection', 'network'], type: ['info', 'denied'], outcome: 'failure', action: 'reset-both' },
    source: { ip: '203.0.113.66', port: 41222 },
    destination: { ip: '172.16.10.20', port: 80, nat: { ip: '198.51.100.20' } },
    url: { original: 'portal.example.com/cgi-bin/.%2e/.%2e/bin/sh' },
    network: { direction: 'outbound' },
    panw: { panos: { threat: { id: '91781', name: 'Apache HTTP Server Path Traversal Vulnerability', severity: 'critical', category: 'code-execution' } } },
  }],
  [true, {
    event: { kind: 'event', code: 'THREAT:url', category: ['web', 'network'], type: ['access', 'denied'], action: 'block-url' },
    url: { original: 'malicious.example.net/payload/dropper.php' },
    user_agent: { original: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' },
    http: { request: { referrer: 'http://www.example.com/', method: 'get' } },
    user: { domain: 'corp', name: 'alice' },
    panw: { panos: { url_category: 'malware', content_type: 'text/html', threat: { id: '9999' } } },
  }],
  [true, {
    event: { kind: 'alert', category: ['malware', 'network'], action: 'reset-both' },
    file: { name: 'eicar.com', hash: { sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f' } },
    network: { direction: 'inbound' },
    panw: { panos: { threat: { name: 'Eicar File Detected', id: '39040', severity: 'medium' } } },
  }],
  [true, { event: { code: 'CONFIG:0', category: ['configuration'], type: ['change'], outcome: 'success', action: 'edit' }, user: { name: 'admin' }, source: { ip: '10.1.5.20' }, observer: { name: 'pa-fw01' }, panw: { panos: { client: 'Web' } } }],
  [true, { event: { code: 'SYSTEM:auth', category: ['authentication'], outcome: 'failure', action: 'auth-fail' }, user: { name: 'admin' }, source: { ip: '203.0.113.80' }, message: "failed authentication for user 'admin'. Reason: Invalid username/password. From: 203.0.113.80." }],
  // GlobalProtect remote access: logins at the gateway, then the tunnel's life.
  [true, { event: { code: 'GLOBALPROTECT:0', category: ['authentication'], type: ['start'], outcome: 'success', action: 'gateway-auth' }, user: { name: 'jdoe', domain: 'HCM' }, source: { ip: '203.0.113.50', geo: { country_iso_code: 'VN' } }, observer: { name: 'PA-5220' }, panw: { panos: { stage: 'login', auth_method: 'LDAP', tunnel_type: 'ipsec', machine_name: 'HCM-LAPTOP1', client_os: 'Windows', portal: 'GP-Portal' } } }],
  [true, { event: { category: ['authentication'], outcome: 'failure', action: 'gateway-auth', reason: 'Authentication failed: Invalid username or password' }, user: { name: 'mallory' }, source: { ip: '203.0.113.61' } }],
  [true, { event: { category: ['session', 'network'], type: ['start'], outcome: 'success', action: 'gateway-connected' }, panw: { panos: { private_ip: '10.10.10.5' } } }],
  [true, { event: { category: ['session', 'network'], type: ['end'], action: 'gateway-logout' }, user: { name: 'jdoe' } }],
];

describe('PAN-OS normalizer', () => {
  it('has one expectation per sample line', () => {
    expect(results).toHaveLength(expected.length);
  });

  it.each(expected.map((e, i) => [results[i]?.line.slice(0, 120) ?? String(i), i, e[0], e[1]] as const))('%s', (_title, i, normalized, fields) => {
    expect(results[i].normalized).toBe(normalized);
    expect(results[i].event).toMatchObject(fields);
  });

  it('writes no NAT for 0.0.0.0 or for an untranslated side', () => {
    expect(results[1].event.source?.nat).toBeUndefined();
    expect(results[0].event.destination?.nat).toBeUndefined();
  });

  it('keeps private-range "locations" out of geo', () => {
    expect(results[0].event.source?.geo).toBeUndefined();
  });
});
