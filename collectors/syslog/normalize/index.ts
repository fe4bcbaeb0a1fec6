/**
 * Picks the vendor normalizer for a parsed syslog message and applies it to the base event.
 * The choice is cheap and ordered from the most certain sign to the least: the Cisco tag the
 * parser found, a CEF/LEEF header, a JSON object, the program name, then the message shape
 * (FortiGate key=value, PAN-OS CSV, PAM, Cisco tag the parser missed, web access log).
 * A normalizer that throws leaves the event unparsed (`error.message` says which and why).
 */
import type { EcsEvent } from '../../../core/event';
import type { SyslogMessage } from '../parse/types';
import { normalizeAccessLog } from './access-log';
import { normalizeCef } from './cef';
import { normalizeCisco } from './cisco';
import { looksLikeFortigate, normalizeFortigate } from './fortigate';
import { normalizeJson } from './json';
import { normalizeLeef } from './leef';
import { normalizeAccounts } from './linux-accounts';
import { normalizeLogin } from './linux-login';
import { normalizePam } from './linux-pam';
import { normalizeSshd } from './linux-sshd';
import { normalizeSu, normalizeSudo } from './linux-sudo';
import { looksLikePanos, normalizePanos } from './panos';
import { normalizePfsense } from './pfsense';
import type { SyslogNormalizer } from './types';

export type { SyslogNormalizer } from './types';

const BY_APP_NAME = new Map<string, SyslogNormalizer>([
  ['sshd', normalizeSshd],
  // OpenSSH 9.8 moved the per-connection work into sshd-session (and 10.0 authentication into sshd-auth).
  ['sshd-session', normalizeSshd],
  ['sshd-auth', normalizeSshd],
  ['sudo', normalizeSudo],
  ['su', normalizeSu],
  ['useradd', normalizeAccounts],
  ['usermod', normalizeAccounts],
  ['userdel', normalizeAccounts],
  ['groupadd', normalizeAccounts],
  ['groupmod', normalizeAccounts],
  ['groupdel', normalizeAccounts],
  ['gpasswd', normalizeAccounts],
  ['passwd', normalizeAccounts],
  ['chpasswd', normalizeAccounts],
  ['chage', normalizeAccounts],
  ['filterlog', normalizePfsense],
  ['nginx', normalizeAccessLog],
  ['apache', normalizeAccessLog],
  ['apache2', normalizeAccessLog],
  ['httpd', normalizeAccessLog],
  ['CEF', normalizeCef],
  ['LEEF', normalizeLeef],
]);

/** Exposed for tests and metrics labels: which normalizer a message would go to. */
export function chooseNormalizer(msg: SyslogMessage): SyslogNormalizer | undefined {
  if (msg.ciscoTag !== undefined) return normalizeCisco;
  const m = msg.message;
  const c = m.charCodeAt(0);
  if (c === 67 /* C */ && m.startsWith('CEF:')) return normalizeCef;
  if (c === 76 /* L */ && m.startsWith('LEEF:')) return normalizeLeef;
  if (c === 123 /* { */) return normalizeJson;
  const app = msg.appName;
  if (app !== undefined) {
    const byApp = BY_APP_NAME.get(app);
    if (byApp !== undefined) return byApp;
  }
  if (c === 112 /* p */ && m.startsWith('pam_')) return normalizePam;
  // login's own lines (its PAM lines went to PAM just above).
  if (app === 'login') return normalizeLogin;
  if (c === 37 /* % */) return normalizeCisco;
  if (looksLikeFortigate(m)) return normalizeFortigate;
  if (looksLikePanos(m)) return normalizePanos;
  // CEF/LEEF behind a prefix the header parser did not consume (`host CEF:0|…`).
  if (m.indexOf(' CEF:') >= 0) return normalizeCef;
  if (m.indexOf(' LEEF:') >= 0) return normalizeLeef;
  if (m.indexOf(': %') >= 0) return normalizeCisco;
  if (m.indexOf('] "') > 0) return normalizeAccessLog;
  return undefined;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Refines the base event for the message's vendor. Returns true when a normalizer recognised the
 * message; false leaves the base event (possibly with the vendor's dataset). Never throws.
 */
export function normalizeSyslog(msg: SyslogMessage, event: EcsEvent): boolean {
  let normalizer: SyslogNormalizer | undefined;
  try {
    normalizer = chooseNormalizer(msg);
    return normalizer !== undefined && normalizer(msg, event);
  } catch (err) {
    event.event.dataset = 'syslog';
    delete event.event.module;
    const name = normalizer?.name ?? 'dispatch';
    event.error = { message: `syslog normalizer ${name} failed on a message from ${msg.hostname ?? 'unknown host'}: ${describe(err)}` };
    return false;
  }
}
