/**
 * sudo and su. sudo writes one line per command:
 * `bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/apt update`
 * and puts the refusal first when it refuses:
 * `bob : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/ls`
 * su (util-linux) writes `(to root) bob on pts/0` and `FAILED SU (to root) bob on pts/0`.
 */
import type { EcsEvent } from '../../../core/event';
import type { SyslogMessage } from '../parse/types';
import { categorize, setDataset, user } from './fields';
import { normalizePamLine } from './linux-pam';

function basename(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? path.slice(slash + 1) : path;
}

/** The command sudo ran becomes process.*, with sudo itself as the parent. */
function setSudoCommand(event: EcsEvent, command: string): void {
  const space = command.indexOf(' ');
  const executable = space < 0 ? command : command.slice(0, space);
  const parent = event.process;
  event.process = {
    name: basename(executable),
    executable,
    command_line: command,
    parent: parent !== undefined ? { name: parent.name, pid: parent.pid } : { name: 'sudo' },
  };
}

export function normalizeSudo(msg: SyslogMessage, event: EcsEvent): boolean {
  setDataset(event, 'linux.sudo');
  const m = msg.message;
  const sep = m.indexOf(' : ');
  if (sep < 0) return normalizePamLine(m.trimStart(), event);
  const actor = m.slice(0, sep).trim();
  if (actor.length === 0 || actor.indexOf(' ') >= 0) return false;

  const sudo: { tty?: string; pwd?: string; command?: string } = {};
  let failure: string | undefined;
  let target: string | undefined;
  let rest = m.slice(sep + 3);
  // COMMAND is last and may itself contain " ; ", so it takes the remainder of the line.
  const cmdAt = rest.indexOf('COMMAND=');
  if (cmdAt >= 0) {
    sudo.command = rest.slice(cmdAt + 8);
    rest = rest.slice(0, cmdAt);
  }
  const parts = rest.split(' ; ');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i].trim();
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    const space = part.indexOf(' ');
    if (eq < 0 || (space >= 0 && space < eq)) {
      if (i === 0) failure = part;
      continue;
    }
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (key === 'TTY') sudo.tty = value;
    else if (key === 'PWD') sudo.pwd = value;
    else if (key === 'USER') target = value;
  }
  if (sudo.command === undefined && failure === undefined) return false;

  const u = user(event);
  u.name = actor;
  if (target !== undefined) u.effective = { name: target };
  event.sudo = sudo;
  if (failure === undefined) {
    categorize(event, 'process', 'start', 'success');
    event.event.action = 'sudo-command';
    if (sudo.command !== undefined) setSudoCommand(event, sudo.command);
  } else {
    categorize(event, 'authentication', 'start', 'failure');
    event.event.action = 'sudo-command';
    event.event.reason = failure;
  }
  return true;
}

const SU_LINE = /^(FAILED SU )?\(to (\S+)\) (\S+) on (\S+)/;
// Older shadow-utils su: `+ pts/0 bob:root` (success) / `- pts/0 bob:root` (failure).
const SU_SHADOW = /^([+-]) (\S+) ([^:\s]+):(\S+)/;

export function normalizeSu(msg: SyslogMessage, event: EcsEvent): boolean {
  setDataset(event, 'linux.su');
  const m = msg.message;
  let r = SU_LINE.exec(m);
  if (r !== null) {
    const failed = r[1] !== undefined;
    categorize(event, 'authentication', 'start', failed ? 'failure' : 'success');
    event.event.action = 'su';
    user(event).name = r[3];
    user(event).effective = { name: r[2] };
    event.su = { tty: r[4] };
    return true;
  }
  r = SU_SHADOW.exec(m);
  if (r !== null) {
    categorize(event, 'authentication', 'start', r[1] === '+' ? 'success' : 'failure');
    event.event.action = 'su';
    user(event).name = r[3];
    user(event).effective = { name: r[4] };
    event.su = { tty: r[2] };
    return true;
  }
  if (m.startsWith('pam_authenticate: ')) {
    categorize(event, 'authentication', 'start', 'failure');
    event.event.action = 'su';
    event.event.reason = m.slice(18);
    return true;
  }
  return normalizePamLine(m, event);
}
