/**
 * Account management by the shadow-utils tools (useradd, usermod, userdel, groupadd, groupdel,
 * groupmod, passwd, gpasswd, chage). Their messages name who is affected, rarely who acted:
 * the affected account goes to user.target / group.
 *   useradd[1234]: new user: name=alice, UID=1001, GID=1001, home=/home/alice, shell=/bin/bash, from=/dev/pts/0
 *   usermod[1240]: add 'alice' to group 'sudo'
 *   userdel[1250]: delete user 'alice'
 *   groupadd[1260]: group added to /etc/group: name=devs, GID=1002
 *   passwd[1270]: password for 'alice' changed by 'root'
 */
import type { EcsEvent } from '../../../core/event';
import type { SyslogMessage } from '../parse/types';
import { setDataset, user } from './fields';
import { normalizePamLine } from './linux-pam';

/** `name=alice, UID=1001, GID=1001, home=...` → map of the comma separated pairs. */
function readCommaPairs(s: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const parts = s.split(', ');
  for (let i = 0; i < parts.length; i++) {
    const eq = parts[i].indexOf('=');
    if (eq > 0) out[parts[i].slice(0, eq)] = parts[i].slice(eq + 1);
  }
  return out;
}

function iam(event: EcsEvent, kind: 'user' | 'group', change: 'creation' | 'deletion' | 'change', action: string): void {
  event.event.category = ['iam'];
  event.event.type = [kind, change];
  event.event.action = action;
  event.event.outcome = 'success';
}

function target(event: EcsEvent, name: string, id?: string): void {
  user(event).target = id !== undefined ? { name, id } : { name };
}

function setGroup(event: EcsEvent, name: string | undefined, id?: string): void {
  if (name === undefined || name.length === 0) return;
  event.group = id !== undefined ? { name, id } : { name };
}

const QUOTED_PAIR = /^(add|delete) '([^']+)' (?:to|from) (?:shadow )?group '([^']+)'/;
const CHANGE_USER = /^change user '([^']+)' (\S+)/;
const LOCK_USER = /^(lock|unlock) user '([^']+)' password/;
const DELETE_USER = /^delete user '([^']+)'/;
const REMOVED_GROUP = /^(?:removed group '([^']+)' owned by '[^']+'|group '([^']+)' removed)/;
const PASSWD_CHANGED = /^password for '([^']+)' changed by '([^']+)'/;
const GPASSWD = /^user (\S+) (added|removed) by (\S+) (?:to|from) group (\S+)/;
const CHANGE_GROUP = /^(?:change group '([^']+)'|group changed in \S+ \(group ([^,)]+))/;

export function normalizeAccounts(msg: SyslogMessage, event: EcsEvent): boolean {
  setDataset(event, 'linux.accounts');
  const m = msg.message;
  let r: RegExpExecArray | null;

  if (m.startsWith('new user: ')) {
    const kv = readCommaPairs(m.slice(10));
    if (kv.name === undefined) return false;
    iam(event, 'user', 'creation', 'user-created');
    target(event, kv.name, kv.UID);
    if (kv.GID !== undefined) event.group = { id: kv.GID };
    return true;
  }
  if (m.startsWith('new group: ') || m.startsWith('group added to ')) {
    const colon = m.indexOf(': ');
    const kv = readCommaPairs(m.slice(colon + 2));
    if (kv.name === undefined) return false;
    iam(event, 'group', 'creation', 'group-created');
    setGroup(event, kv.name, kv.GID);
    return true;
  }
  if ((r = QUOTED_PAIR.exec(m)) !== null) {
    const added = r[1] === 'add';
    iam(event, 'group', 'change', added ? 'user-added-to-group' : 'user-removed-from-group');
    target(event, r[2]);
    setGroup(event, r[3]);
    return true;
  }
  if ((r = GPASSWD.exec(m)) !== null) {
    iam(event, 'group', 'change', r[2] === 'added' ? 'user-added-to-group' : 'user-removed-from-group');
    target(event, r[1]);
    user(event).name = r[3];
    setGroup(event, r[4]);
    return true;
  }
  if ((r = DELETE_USER.exec(m)) !== null) {
    iam(event, 'user', 'deletion', 'user-deleted');
    target(event, r[1]);
    return true;
  }
  if ((r = REMOVED_GROUP.exec(m)) !== null) {
    iam(event, 'group', 'deletion', 'group-deleted');
    setGroup(event, r[1] ?? r[2]);
    return true;
  }
  if ((r = LOCK_USER.exec(m)) !== null) {
    iam(event, 'user', 'change', r[1] === 'lock' ? 'user-locked' : 'user-unlocked');
    target(event, r[2]);
    return true;
  }
  if ((r = CHANGE_USER.exec(m)) !== null) {
    iam(event, 'user', 'change', 'user-modified');
    target(event, r[1]);
    event.event.reason = m;
    return true;
  }
  if ((r = CHANGE_GROUP.exec(m)) !== null) {
    iam(event, 'group', 'change', 'group-modified');
    setGroup(event, r[1] ?? r[2]);
    return true;
  }
  if ((r = PASSWD_CHANGED.exec(m)) !== null) {
    iam(event, 'user', 'change', 'password-changed');
    target(event, r[1]);
    user(event).name = r[2];
    return true;
  }
  if (m.startsWith('changed password expiry for ')) {
    iam(event, 'user', 'change', 'password-expiry-changed');
    target(event, m.slice(28).trim());
    return true;
  }
  return normalizePamLine(m, event);
}
