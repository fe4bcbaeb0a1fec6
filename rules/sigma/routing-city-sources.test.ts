/**
 * Routing and field mappings for the syslog sources a city network adds to the usual devices:
 * ISC BIND query logs (Sigma `category: dns`), ISC dhcpd, Squid access logs (`category: proxy`)
 * and Snare for Windows (product windows through winlog.channel). Raw lines go through the real
 * syslog parser and normalizers; the rules are SigmaHQ's, copied under testdata/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSigmaRules } from '../../correlation/sigma/load';
import { loadFieldMappings } from '../../correlation/sigma/field-mapping';
import { loadLogsourceTable } from '../../correlation/sigma/logsource';
import { SigmaRuleSet } from '../../correlation/sigma/ruleset';
import { syslogEvent } from './testing/events';

const table = loadLogsourceTable(join(__dirname, 'logsources.yaml'));
const mappings = loadFieldMappings(join(__dirname, 'mappings'));

const BIND_QUERY = '<30>Mar  4 10:15:32 ns1 named[812]: client @0x7f3b2c0a1168 10.1.2.3#53012 (www.example.com): query: www.example.com IN A +E(0)K (10.0.0.53)';
const BIND_DENIED = "<28>Mar  4 10:15:37 ns1 named[812]: client @0x7f3b2c0c3380 203.0.113.7#40001 (example.org): zone transfer 'example.org/AXFR/IN' denied";
const DHCP_ACK = '<30>Mar  4 08:01:11 dhcp1 dhcpd[1234]: DHCPACK on 10.1.5.20 to 00:1a:2b:3c:4d:5e (PC-042) via eth1';
const KEA_ACK = '<30>Mar  4 08:01:11 dhcp2 kea-dhcp4[1234]: INFO  [kea-dhcp4.leases.139820564641536] DHCP4_LEASE_ALLOC [hwtype=1 00:0c:01:02:03:04], cid=[no info], tid=0x3fa1: lease 10.1.5.20 has been allocated for 3600 seconds';
const SQUID = '<166>Mar  4 10:15:32 proxy1 squid[2001]: 1709547332.123    245 10.1.2.3 TCP_MISS/200 1534 GET http://example.com/ - HIER_DIRECT/93.184.216.34 text/html';
const SNARE = readFileSync(join(__dirname, '../../collectors/syslog/normalize/testdata/snare.txt'), 'utf8').split('\n').filter((l) => l.startsWith('<'));
const SNARE_4625 = SNARE[0];
const SNARE_4720 = SNARE[2];

describe('logsource derived for BIND, dhcpd, Squid and Snare events', () => {
  it.each<[string, string, { product?: string; services: string[]; categories: string[] }]>([
    ['BIND query', BIND_QUERY, { product: 'linux', services: ['syslog', 'named'], categories: ['dns'] }],
    ['BIND refused transfer', BIND_DENIED, { product: 'linux', services: ['syslog', 'named'], categories: ['dns'] }],
    ['dhcpd lease', DHCP_ACK, { product: 'linux', services: ['syslog', 'dhcpd'], categories: [] }],
    ['Kea DHCPv4 lease', KEA_ACK, { product: 'linux', services: ['syslog', 'kea'], categories: [] }],
    ['Squid access', SQUID, { product: 'squid', services: ['access'], categories: ['proxy'] }],
    ['Snare Security 4625', SNARE_4625, { product: 'windows', services: ['security'], categories: [] }],
  ])('%s', (_name, line, expected) => {
    const event = syslogEvent(line);
    expect(event.error).toBeUndefined();
    const ls = table.derive(event);
    expect({ product: ls.product, services: [...ls.services], categories: [...ls.categories] }).toEqual(expected);
  });
});

describe('SigmaHQ rules fire on BIND, Squid and Snare events', () => {
  const loaded = loadSigmaRules(
    [
      join(__dirname, 'testdata', 'sigmahq', 'net_dns_susp_b64_queries.yml'),
      join(__dirname, 'testdata', 'sigmahq', 'win_security_user_creation.yml'),
      join(__dirname, '../../correlation/sigma/testdata/sigmahq/proxy_susp_ipfs_cred_harvest.yml'),
      join(__dirname, 'testdata', 'sigmahq', 'proxy_download_susp_dyndns.yml'),
    ],
    { mappings },
  );
  const set = new SigmaRuleSet(loaded.rules, { logsources: table });
  const titles = (line: string): string[] => set.match(syslogEvent(line)).map((r) => r.title);

  it('loads the four rules', () => {
    expect(loaded.errors).toEqual([]);
    expect(loaded.rules).toHaveLength(4);
  });

  it('dns: the query field reads dns.question.name of a BIND query', () => {
    const title = loaded.rules.find((r) => r.rule.location.file.endsWith('net_dns_susp_b64_queries.yml'))?.title;
    expect(titles(BIND_QUERY.replace(/www\.example\.com/g, 'aGVsbG8gd29ybGQ==.x.example.net'))).toContain(title);
    expect(titles(BIND_QUERY)).not.toContain(title);
  });

  it('proxy: cs-uri reads url.original of a Squid line', () => {
    const title = loaded.rules.find((r) => r.rule.location.file.endsWith('proxy_susp_ipfs_cred_harvest.yml'))?.title;
    const phish = SQUID.replace('http://example.com/', 'https://ipfs.io/ipfs/bafybeih4x2/login.html#nguyenvana@example.gov.vn');
    expect(titles(phish)).toContain(title);
    expect(titles(SQUID)).not.toContain(title);
  });

  it('proxy: c-uri-extension reads the url.extension of a Squid download', () => {
    const title = loaded.rules.find((r) => r.rule.location.file.endsWith('proxy_download_susp_dyndns.yml'))?.title;
    const download = SQUID.replace('http://example.com/', 'http://update.hopto.org/files/invoice.exe?id=7');
    expect(titles(download)).toContain(title);
    expect(titles(download.replace('invoice.exe', 'invoice.txt'))).not.toContain(title);
    expect(titles(SQUID)).not.toContain(title);
  });

  it('windows/security: EventID reads the Snare event id', () => {
    const title = loaded.rules.find((r) => r.rule.location.file.endsWith('win_security_user_creation.yml'))?.title;
    expect(titles(SNARE_4720)).toContain(title);
    expect(titles(SNARE_4625)).not.toContain(title);
  });

  it('proxy field names resolve to what the Squid normalizer writes', () => {
    expect(mappings.resolve({ category: 'proxy' }, 'sc-status')).toEqual(['http.response.status_code', 'sc-status']);
    expect(mappings.resolve({ category: 'proxy' }, 'cs-method')).toEqual(['http.request.method', 'cs-method']);
    const event = syslogEvent(SQUID) as unknown as { http: { response: { status_code: number }; request: { method: string } } };
    expect(event.http.response.status_code).toBe(200);
    expect(event.http.request.method).toBe('GET');
  });
});
