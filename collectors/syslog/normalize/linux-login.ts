/**
 * shadow-utils / util-linux `login`: console and serial logins, which PAM alone reports only in
 * part (a failure's PAM line names no tty and some builds log none at all):
 * `FAILED LOGIN (1) on '/dev/tty1' FOR 'root', Authentication failure`
 * `FAILED LOGIN 3 FROM 10.0.0.5 FOR alice, Authentication failure` (util-linux)
 * `ROOT LOGIN  on '/dev/tty1'` / `ROOT LOGIN ON tty1` / `LOGIN ON tty1 BY alice`
 * Its `pam_` lines are PAM's (dataset linux.pam), routed there before this.
 */
import type { EcsEvent } from '../../../core/event';
import type { SyslogMessage } from '../parse/types';
import { categorize, setAddress, setDataset, user } from './fields';

const FAILED = /^FAILED LOGIN \(?(\d+)\)?(?: on '?([^'\s]+)'?)?(?: FROM '?([^'\s]+?)'?)? FOR '?([^',]*)'?, (.*)$/i;
const ROOT = /^ROOT LOGIN\s+(?:on|ON) '?([^'\s]+)'?(?: FROM '?([^'\s]+?)'?)?\s*$/;
const BY = /^LOGIN ON '?([^'\s]+)'? BY '?([^'\s]+?)'?(?: FROM '?([^'\s]+?)'?)?\s*$/;

interface LoginFields {
  tty?: string;
  failures?: number;
}

function login(event: EcsEvent, outcome: 'success' | 'failure', name: string, tty: string | undefined, from: string | undefined): LoginFields {
  categorize(event, 'authentication', 'start', outcome);
  event.event.action = outcome === 'success' ? 'logged-in' : 'login-failed';
  if (name.length > 0 && name !== 'UNKNOWN') user(event).name = name;
  if (from !== undefined) setAddress(event, 'source', from);
  const fields: LoginFields = {};
  if (tty !== undefined) fields.tty = tty;
  event.login = fields;
  return fields;
}

export function normalizeLogin(msg: SyslogMessage, event: EcsEvent): boolean {
  setDataset(event, 'linux.login');
  const m = msg.message;
  let r: RegExpExecArray | null;
  if ((r = FAILED.exec(m)) !== null) {
    const fields = login(event, 'failure', r[4], r[2], r[3]);
    fields.failures = Number(r[1]);
    event.event.reason = r[5];
    return true;
  }
  if ((r = ROOT.exec(m)) !== null) {
    login(event, 'success', 'root', r[1], r[2]);
    return true;
  }
  if ((r = BY.exec(m)) !== null) {
    login(event, 'success', r[2], r[1], r[3]);
    return true;
  }
  return false;
}
