/**
 * Constructed data for report tests: one agency (hcm-dost) with a FortiGate at the Internet edge
 * that keeps sending, a web server whose syslog stopped 30 h before the report, and a DB server
 * whose logs go back only 20 days (retention shorter than level 3's 90). Lines are real
 * FortiOS 7.x and OpenSSH formats; the ECS fields are what socnoc's normalizers set.
 */
import type { EcsEvent } from '../../../core/event';

export const AGENCY = 'hcm-dost';
export const NOW = Date.parse('2026-12-18T07:00:00Z');
export const H = 3_600_000;
export const DAY = 24 * H;

export const FIREWALL = '10.50.0.1';
export const WEB = '10.50.1.21';
export const DB = '10.50.1.31';

let seq = 0;

function fortigate(at: number, srcip: string, dstip: string, action: 'deny' | 'accept'): EcsEvent {
  const d = new Date(at).toISOString();
  const original = `<189>date=${d.slice(0, 10)} time=${d.slice(11, 19)} devname="FGT-HCM-EDGE" devid="FG100FTK21000123" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=${srcip} srcport=51514 srcintf="wan1" dstip=${dstip} dstport=443 dstintf="dmz" proto=6 action="${action}" policyid=12 service="HTTPS"`;
  return {
    '@timestamp': d,
    event: { id: `seed-fgt-${++seq}`, original, kind: 'event', dataset: 'fortinet.fortigate', category: ['network'], type: [action === 'deny' ? 'denied' : 'allowed'], action, outcome: action === 'deny' ? 'failure' : 'success' },
    observer: { ip: [FIREWALL], hostname: 'FGT-HCM-EDGE', vendor: 'Fortinet', product: 'FortiGate', type: 'firewall' },
    source: { ip: srcip, port: 51514 },
    destination: { ip: dstip, port: 443 },
    organization: { id: AGENCY },
  };
}

function sshd(at: number, host: string, address: string, ok: boolean): EcsEvent {
  const d = new Date(at).toISOString();
  const msg = ok ? 'Accepted publickey for deploy from 10.50.9.7 port 40022 ssh2: ED25519 SHA256:Xv3c' : 'Failed password for invalid user admin from 198.51.100.23 port 50122 ssh2';
  return {
    '@timestamp': d,
    message: msg,
    event: { id: `seed-ssh-${++seq}`, original: `<38>${d} ${host} sshd[1402]: ${msg}`, kind: 'event', dataset: 'linux.sshd', category: ['authentication'], type: ['start'], action: 'ssh-login', outcome: ok ? 'success' : 'failure' },
    host: { name: host },
    observer: { ip: [address] },
    source: { ip: ok ? '10.50.9.7' : '198.51.100.23' },
    organization: { id: AGENCY },
  };
}

/** Every 2 h over the last 20 days from the firewall and the DB server; the web server stops 30 h before NOW. */
export function seedEvents(): EcsEvent[] {
  const out: EcsEvent[] = [];
  for (let t = NOW - 20 * DAY + H; t < NOW; t += 2 * H) {
    out.push(fortigate(t, '203.0.113.77', '10.50.1.21', 'deny'));
    out.push(sshd(t + 60_000, 'hcm-db-01', DB, true));
    if (t < NOW - 30 * H) out.push(sshd(t + 120_000, 'hcm-web-01', WEB, false));
  }
  return out;
}
