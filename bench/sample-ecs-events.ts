/**
 * Realistic normalized ECS events of about 1 KB, as the syslog path produces them (sshd, Cisco ASA,
 * FortiGate, Windows via syslog, nginx), for benchmarks. Deterministic: the same seed gives the same
 * events, so runs compare.
 */
import type { EcsEvent } from '../core/event';

const USERS = ['root', 'admin', 'nguyenvana', 'tranthib', 'svc_backup', 'oracle', 'postgres', 'le.van.c', 'pham.thi.d', 'hoang.e'];
const HOSTS = ['web-01', 'web-02', 'db-01', 'mail-gw', 'bastion-01', 'app-03', 'dc01.sotttt.gov.vn'];
const ORGS = ['so-tttt', 'so-yte', 'so-gd', 'ubnd-q1', 'ubnd-q3', 'so-tc'];
const PATHS = ['/', '/login', '/wp-login.php', '/api/v1/ho-so', '/.env', '/dang-nhap', '/static/app.js'];

export class SampleEventGenerator {
  private state: number;
  private serial = 0;

  constructor(seed = 0x5eed) {
    this.state = seed >>> 0 || 1;
  }

  /** xorshift32 */
  private next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  private pick<T>(list: readonly T[]): T {
    return list[this.next() % list.length];
  }

  private ip(publicAddress: boolean): string {
    const r = this.next();
    return publicAddress ? `${[203, 198, 45, 113][r & 3]}.${(r >>> 2) & 255}.${(r >>> 10) & 255}.${(r >>> 18) & 255}` : `10.${(r >>> 2) & 31}.${(r >>> 10) & 255}.${(r >>> 18) & 255}`;
  }

  private id(): string {
    const a = this.next().toString(16).padStart(8, '0');
    const b = this.next().toString(16).padStart(8, '0');
    const c = this.next().toString(16).padStart(8, '0');
    const d = (this.serial++).toString(16).padStart(12, '0');
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-a${c.slice(1, 4)}-${d}`;
  }

  /** One event at `ts` (epoch ms). */
  event(ts: number): EcsEvent {
    const iso = new Date(ts).toISOString();
    const kind = this.next() % 5;
    const user = this.pick(USERS);
    const host = this.pick(HOSTS);
    const org = this.pick(ORGS);
    const src = this.ip(kind !== 4);
    const dst = this.ip(false);
    const sport = 1024 + (this.next() % 60000);
    const pid = this.next() % 65000;
    const common = { created: iso, ingested: iso, kind: 'event' as const };
    switch (kind) {
      case 0: {
        const message = `Failed password for ${user} from ${src} port ${sport} ssh2`;
        return {
          '@timestamp': iso,
          message,
          event: { id: this.id(), ...common, original: `<38>Nov 27 01:04:05 ${host} sshd[${pid}]: ${message}`, category: ['authentication'], type: ['start'], action: 'ssh_login', outcome: 'failure', dataset: 'syslog.linux_sshd', module: 'system' },
          organization: { id: org },
          source: { ip: src, port: sport },
          user: { name: user },
          host: { name: host, hostname: host },
          process: { name: 'sshd', pid },
          log: { syslog: { facility: { code: 4, name: 'auth' }, severity: { code: 6, name: 'informational' }, priority: 38, hostname: host, appname: 'sshd', procid: String(pid) }, source: { address: `${src}:514` } },
          related: { ip: [src], user: [user] },
          tags: ['syslog', 'ssh'],
        };
      }
      case 1: {
        const conn = this.next() % 9999999;
        const message = `%ASA-6-302013: Built inbound TCP connection ${conn} for outside:${src}/${sport} (${src}/${sport}) to inside:${dst}/443 (${dst}/443)`;
        return {
          '@timestamp': iso,
          message,
          event: { id: this.id(), ...common, original: `<166>Nov 27 2026 01:04:05 fw-hcm-01 : ${message}`, category: ['network'], type: ['connection', 'start'], action: 'firewall-rule', outcome: 'success', dataset: 'syslog.cisco_asa', module: 'cisco', code: '302013', severity: 6 },
          organization: { id: org },
          source: { ip: src, port: sport },
          destination: { ip: dst, port: 443 },
          network: { transport: 'tcp', direction: 'inbound' },
          observer: { hostname: 'fw-hcm-01', ip: ['10.0.0.1'], vendor: 'Cisco', product: 'ASA', type: 'firewall', ingress: { zone: 'outside' }, egress: { zone: 'inside' } },
          log: { syslog: { facility: { code: 20, name: 'local4' }, severity: { code: 6, name: 'informational' }, priority: 166, hostname: 'fw-hcm-01' } },
          cisco: { asa: { connection_id: String(conn) } },
          tags: ['syslog'],
        };
      }
      case 2: {
        const sent = this.next() % 5000;
        const received = this.next() % 90000;
        const message = `date=2026-11-27 time=01:04:05 devname="FGT60F-HCM" devid="FGT60FTK2109A1B2" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=${dst} srcport=${sport} srcintf="port1" dstip=${src} dstport=53 dstintf="wan1" proto=17 action="accept" policyid=5 service="DNS" sentbyte=${sent} rcvdbyte=${received}`;
        return {
          '@timestamp': iso,
          message,
          event: { id: this.id(), ...common, original: `<189>${message}`, category: ['network'], type: ['connection', 'allowed'], action: 'accept', outcome: 'success', dataset: 'syslog.fortinet_fortigate', module: 'fortinet', code: '0000000013' },
          organization: { id: org },
          source: { ip: dst, port: sport, bytes: sent },
          destination: { ip: src, port: 53, bytes: received },
          network: { transport: 'udp', iana_number: '17', protocol: 'dns' },
          observer: { name: 'FGT60F-HCM', serial_number: 'FGT60FTK2109A1B2', vendor: 'Fortinet', product: 'FortiGate', type: 'firewall', ingress: { interface: { name: 'port1' } }, egress: { interface: { name: 'wan1' } } },
          rule: { id: '5' },
          fortinet: { firewall: { vd: 'root', subtype: 'forward', level: 'notice' } },
          tags: ['syslog'],
        };
      }
      case 3: {
        const message = `An account failed to log on. Logon Type: 3 Account For Which Logon Failed: Account Name: ${user} Account Domain: SOTTTT Failure Reason: Unknown user name or bad password. Source Network Address: ${src} Source Port: ${sport}`;
        return {
          '@timestamp': iso,
          message,
          event: { id: this.id(), ...common, original: `<13>1 ${iso} dc01.sotttt.gov.vn Microsoft-Windows-Security-Auditing 4625 - - ${message}`, category: ['authentication'], type: ['start'], action: 'logon-failed', outcome: 'failure', dataset: 'syslog.windows_security', module: 'windows', code: '4625', provider: 'Microsoft-Windows-Security-Auditing' },
          organization: { id: org },
          source: { ip: src, port: sport },
          user: { name: user, domain: 'SOTTTT' },
          host: { name: 'dc01.sotttt.gov.vn' },
          winlog: { event_id: '4625', channel: 'Security', logon: { type: '3' } },
          tags: ['syslog', 'windows'],
        };
      }
      default: {
        const path = this.pick(PATHS);
        const status = [200, 301, 403, 404, 500][this.next() % 5];
        const bytes = this.next() % 20000;
        const message = `${src} - - [27/Nov/2026:01:04:05 +0700] "GET ${path} HTTP/1.1" ${status} ${bytes} "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"`;
        return {
          '@timestamp': iso,
          message,
          event: { id: this.id(), ...common, original: `<190>Nov 27 01:04:05 ${host} nginx: ${message}`, category: ['web'], type: ['access'], action: 'http_request', outcome: status < 400 ? 'success' : 'failure', dataset: 'syslog.nginx_access', module: 'nginx' },
          organization: { id: org },
          source: { ip: src },
          url: { path, original: path },
          http: { request: { method: 'GET' }, response: { status_code: status, body: { bytes } }, version: '1.1' },
          user_agent: { original: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36' },
          host: { name: host },
          tags: ['syslog'],
        };
      }
    }
  }
}
