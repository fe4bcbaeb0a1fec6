/**
 * Linux-PAM module lines, whichever program wrote them (sshd, sudo, su, login, cron, passwd...):
 * `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root`
 * `pam_unix(su:session): session opened for user root(uid=0) by bob(uid=1000)`
 * `pam_unix(passwd:chauthtok): password changed for alice`
 */
import type { EcsEvent } from '../../../core/event';
import type { SyslogMessage } from '../parse/types';
import { categorize, setAddress, setDataset, user } from './fields';

interface PamFields {
  module?: string;
  service?: string;
  type?: string;
  tty?: string;
  ruser?: string;
  logname?: string;
}

/** PAM services that switch user: their `by` names the person acting. */
const SWITCH_USER_SERVICES = new Set(['su', 'su-l', 'sudo', 'sudo-i', 'runuser', 'runuser-l', 'doas']);

/** `user bob(uid=1000)` / `user bob` → name and uid. */
const SESSION = /^session (opened|closed) for user ([^\s(]+)(?:\(uid=(\d+)\))?(?: by ([^\s(]*)(?:\(uid=(\d+)\))?)?/;

/** The `key=value` tail of an authentication failure; values may be empty (`ruser= rhost=`). */
function readAuthFailureTail(tail: string, event: EcsEvent, pam: PamFields): void {
  let i = 0;
  const n = tail.length;
  while (i < n) {
    while (i < n && tail.charCodeAt(i) === 32) i++;
    const eq = tail.indexOf('=', i);
    if (eq < 0) break;
    let end = tail.indexOf(' ', eq + 1);
    if (end < 0) end = n;
    const key = tail.slice(i, eq);
    const value = tail.slice(eq + 1, end);
    i = end + 1;
    if (value.length === 0) continue;
    switch (key) {
      case 'user':
        user(event).name = value;
        break;
      case 'rhost':
        setAddress(event, 'source', value);
        break;
      case 'uid':
        // The uid of the process asking (0 for sshd); the user is named by `user=`.
        break;
      case 'tty':
        pam.tty = value;
        break;
      case 'ruser':
        pam.ruser = value;
        break;
      case 'logname':
        pam.logname = value;
        break;
      default:
        break;
    }
  }
}

/** Parses one PAM line (from any program); the caller chooses the dataset. */
export function normalizePamLine(m: string, event: EcsEvent): boolean {
  const pam: PamFields = {};
  let body: string;
  if (m.startsWith('pam_')) {
    // `pam_unix(sshd:auth): ` — module, then service:type in parentheses.
    const open = m.indexOf('(');
    const colon = m.indexOf(':', open + 1);
    const close = m.indexOf('):', colon + 1);
    if (open < 0 || colon < 0 || close < 0 || open > 32) return false;
    pam.module = m.slice(0, open);
    pam.service = m.slice(open + 1, colon);
    pam.type = m.slice(colon + 1, close);
    body = m.slice(close + 2).trimStart();
  } else if (m.startsWith('PAM ')) {
    // sshd: `PAM 2 more authentication failures; logname= uid=0 ... rhost=1.2.3.4  user=root`
    const semi = m.indexOf('; ');
    if (semi < 0 || m.indexOf('authentication failure') < 0) return false;
    categorize(event, 'authentication', 'info', 'failure');
    event.event.action = 'authentication-failure';
    readAuthFailureTail(m.slice(semi + 2), event, pam);
    event.pam = pam;
    return true;
  } else {
    return false;
  }

  if (body.startsWith('authentication failure;')) {
    categorize(event, 'authentication', 'start', 'failure');
    event.event.action = 'authentication-failure';
    readAuthFailureTail(body.slice(23), event, pam);
    event.pam = pam;
    return true;
  }
  if (body.startsWith('session ')) {
    const r = SESSION.exec(body);
    if (r === null) return false;
    const opened = r[1] === 'opened';
    categorize(event, 'session', opened ? 'start' : 'end', 'success');
    event.event.action = opened ? 'session-opened' : 'session-closed';
    const u = user(event);
    const by = r[4];
    if (by !== undefined && by.length > 0 && by !== r[2] && SWITCH_USER_SERVICES.has(pam.service ?? '')) {
      // su/sudo: `session opened for user root by bob`: bob acts, root is who the session runs as.
      // Elsewhere `by` is the daemon opening the session (`by LOGIN(uid=0)`, `by (uid=0)`).
      u.name = by;
      if (r[5] !== undefined) u.id = r[5];
      u.effective = r[3] !== undefined ? { name: r[2], id: r[3] } : { name: r[2] };
    } else {
      u.name = r[2];
      if (r[3] !== undefined) u.id = r[3];
    }
    event.pam = pam;
    return true;
  }
  if (body.startsWith('password changed for ')) {
    categorize(event, 'iam', 'change', 'success');
    event.event.type = ['user', 'change'];
    event.event.action = 'password-changed';
    const name = body.slice(21).trim();
    if (name.length > 0) user(event).target = { name };
    event.pam = pam;
    return true;
  }
  if (body.startsWith('check pass; user unknown')) {
    categorize(event, 'authentication', 'info', 'failure');
    event.event.action = 'authentication-failure';
    event.event.reason = 'user unknown';
    event.pam = pam;
    return true;
  }
  // pam_faillock / pam_tally2: `Consecutive login failures for user root account temporarily locked`
  const locked = body.indexOf('login failures for user ');
  if (locked >= 0) {
    categorize(event, 'authentication', 'info', 'failure');
    event.event.action = 'account-locked';
    const start = locked + 24;
    const end = body.indexOf(' ', start);
    const name = body.slice(start, end < 0 ? body.length : end);
    if (name.length > 0) user(event).name = name;
    event.pam = pam;
    return true;
  }
  return false;
}

/** PAM lines from a program with no normalizer of its own (login, cron, systemd-user...). */
export function normalizePam(msg: SyslogMessage, event: EcsEvent): boolean {
  setDataset(event, 'linux.pam');
  return normalizePamLine(msg.message, event);
}
