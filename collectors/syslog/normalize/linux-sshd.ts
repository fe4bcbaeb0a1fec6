/**
 * OpenSSH sshd (auth/authpriv facility): logins accepted and failed, invalid users, disconnects and
 * pre-authentication drops. PAM lines that sshd writes (`pam_unix(sshd:auth): ...`) go to the PAM
 * normalizer with dataset `linux.sshd`.
 */
import type { EcsEvent } from '../../../core/event';
import type { SyslogMessage } from '../parse/types';
import { categorize, setAddress, setDataset, setPort, user } from './fields';
import { normalizePamLine } from './linux-pam';

// `Accepted publickey for bob from 10.0.0.5 port 51234 ssh2: RSA SHA256:...`
const ACCEPTED = /^Accepted (\S+) for (.+?) from (\S+) port (\d+)(?: (\w+))?(?:: (\S+) (\S+))?/;
// `Failed password for invalid user admin from 203.0.113.9 port 40000 ssh2`
const FAILED = /^Failed (\S+) for (invalid user )?(.*?) from (\S+) port (\d+)/;
const INVALID_USER = /^Invalid user (.*?) from (\S+)(?: port (\d+))?/;
// `Connection closed by authenticating user root 1.2.3.4 port 22 [preauth]`, `Disconnected from user bob 10.0.0.5 port 51234`
const CLOSED = /^(?:Connection closed by|Connection reset by|Disconnected from) (?:(authenticating user|invalid user|user) (.*?) )?(\S+) port (\d+)/;
const RECEIVED_DISCONNECT = /^Received disconnect from (\S+) port (\d+):(\d+): ?(.*?)(?: \[preauth\])?$/;
const MAX_ATTEMPTS = /^(?:error: )?maximum authentication attempts exceeded for (invalid user )?(.*?) from (\S+) port (\d+)/;
const NO_IDENTIFICATION = /^Did not receive identification string from (\S+)(?: port (\d+))?/;
const UNABLE_TO_NEGOTIATE = /^Unable to negotiate with (\S+) port (\d+): (.*?)(?: \[preauth\])?$/;
const NOT_ALLOWED = /^User (\S+) from (\S+) not allowed because (.*)$/;
const ROOT_REFUSED = /^ROOT LOGIN REFUSED FROM (\S+)/;

function setSshUser(event: EcsEvent, name: string | undefined): void {
  if (name !== undefined && name.length > 0 && name.length <= 256) user(event).name = name;
}

function setMethod(event: EcsEvent, method: string): void {
  event.ssh = { method };
}

export function normalizeSshd(msg: SyslogMessage, event: EcsEvent): boolean {
  setDataset(event, 'linux.sshd');
  const m = msg.message;
  const c = m.charCodeAt(0);
  let r: RegExpExecArray | null;

  if (c === 65 /* A */ && (r = ACCEPTED.exec(m)) !== null) {
    categorize(event, 'authentication', 'start', 'success');
    event.event.action = 'ssh-login';
    setMethod(event, r[1]);
    setSshUser(event, r[2]);
    setAddress(event, 'source', r[3]);
    setPort(event, 'source', r[4]);
    if (r[6] !== undefined) event.ssh = { method: r[1], key: { type: r[6], fingerprint: r[7] } };
    return true;
  }
  if (c === 70 /* F */ && (r = FAILED.exec(m)) !== null) {
    categorize(event, 'authentication', 'start', 'failure');
    event.event.action = 'ssh-login';
    setMethod(event, r[1]);
    setSshUser(event, r[3]);
    if (r[2] !== undefined) event.event.reason = 'invalid user';
    setAddress(event, 'source', r[4]);
    setPort(event, 'source', r[5]);
    return true;
  }
  if (c === 73 /* I */ && (r = INVALID_USER.exec(m)) !== null) {
    categorize(event, 'authentication', 'info', 'failure');
    event.event.action = 'ssh-invalid-user';
    event.event.reason = 'invalid user';
    setSshUser(event, r[1]);
    setAddress(event, 'source', r[2]);
    setPort(event, 'source', r[3]);
    return true;
  }
  if ((c === 67 /* C */ || c === 68) /* D */ && (r = CLOSED.exec(m)) !== null) {
    categorize(event, 'session', 'end');
    event.event.action = 'ssh-disconnect';
    setSshUser(event, r[2]);
    if (r[1] === 'invalid user') event.event.reason = 'invalid user';
    setAddress(event, 'source', r[3]);
    setPort(event, 'source', r[4]);
    if (m.endsWith('[preauth]')) event.ssh = { preauth: true };
    return true;
  }
  if (c === 82 /* R */ && (r = RECEIVED_DISCONNECT.exec(m)) !== null) {
    categorize(event, 'session', 'end');
    event.event.action = 'ssh-disconnect';
    setAddress(event, 'source', r[1]);
    setPort(event, 'source', r[2]);
    if (r[4].length > 0) event.event.reason = r[4];
    return true;
  }
  if ((r = MAX_ATTEMPTS.exec(m)) !== null) {
    categorize(event, 'authentication', 'info', 'failure');
    event.event.action = 'ssh-max-auth-attempts';
    event.event.reason = 'maximum authentication attempts exceeded';
    setSshUser(event, r[2]);
    setAddress(event, 'source', r[3]);
    setPort(event, 'source', r[4]);
    return true;
  }
  if (c === 68 /* D */ && (r = NO_IDENTIFICATION.exec(m)) !== null) {
    categorize(event, 'network', 'connection', 'failure');
    event.event.action = 'ssh-no-identification';
    setAddress(event, 'source', r[1]);
    setPort(event, 'source', r[2]);
    return true;
  }
  if (c === 85 /* U */ && (r = UNABLE_TO_NEGOTIATE.exec(m)) !== null) {
    categorize(event, 'network', 'connection', 'failure');
    event.event.action = 'ssh-negotiation-failed';
    setAddress(event, 'source', r[1]);
    setPort(event, 'source', r[2]);
    event.event.reason = r[3];
    return true;
  }
  if (c === 85 /* U */ && (r = NOT_ALLOWED.exec(m)) !== null) {
    categorize(event, 'authentication', 'info', 'failure');
    event.event.action = 'ssh-login-refused';
    setSshUser(event, r[1]);
    setAddress(event, 'source', r[2]);
    event.event.reason = r[3];
    return true;
  }
  if (c === 82 /* R */ && (r = ROOT_REFUSED.exec(m)) !== null) {
    categorize(event, 'authentication', 'info', 'failure');
    event.event.action = 'ssh-login-refused';
    setSshUser(event, 'root');
    setAddress(event, 'source', r[1]);
    return true;
  }
  if (c === 112 /* p */ || c === 80 /* P */) return normalizePamLine(m, event);
  return false;
}
