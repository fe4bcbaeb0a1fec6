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
import { normalizeBind } from './bind';
import { normalizeCef } from './cef';
import { normalizeCisco } from './cisco';
import { normalizeDhcpd } from './dhcpd';
import { looksLikeFortigate, normalizeFortigate } from './fortigate';
import { normalizeJson } from './json';
import { normalizeKea } from './kea';
import { normalizeLeef } from './leef';
import { normalizeAccounts } from './linux-accounts';
import { normalizeLogin } from './linux-login';
import { normalizePam } from './linux-pam';
import { normalizeSshd } from './linux-sshd';
import { normalizeSu, normalizeSudo } from './linux-sudo';
import { looksLikePanos, normalizePanos } from './panos';
import { normalizePfsense } from './pfsense';
import { normalizeSnare, SNARE_MARK } from './snare';
import { parseRepeat, setRepeatCount } from './repeat';
import { normalizeSquid } from './squid';
import type { NormalizeContext, SyslogNormalizer } from './types';

export type { NormalizeContext, SyslogNormalizer } from './types';

/** Device times without a zone are read as UTC when the caller names no zone. */
const UTC_CONTEXT: NormalizeContext = { timezone: 'UTC' };

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
  ['named', normalizeBind],
  ['dhcpd', normalizeDhcpd],
  // ISC Kea, dhcpd's successor: the syslog ident (and journald identifier) of its DHCPv4 server.
  ['kea-dhcp4', normalizeKea],
  ['squid', normalizeSquid],
  // Squid 4+ tags its syslog lines with the kid name.
  ['(squid-1)', normalizeSquid],
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
  if (c === 77 /* M */ && m.startsWith(SNARE_MARK)) return normalizeSnare;
  // Repeat summaries (`message repeated 5 times: [ … ]`, `last message …`, `Last message …`) come before the program name.
  if ((c === 109 || c === 108 || c === 76) && parseRepeat(m) !== undefined) return normalizeRepeated;
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

/**
 * A repeat summary: records the count and, when the daemon kept the message (rsyslog), normalizes
 * that message as if it had arrived alone, so `message repeated 5 times: [ Failed password …]` is
 * an sshd authentication failure. `message` becomes the repeated message; `event.original` keeps
 * the summary line.
 */
function normalizeRepeated(msg: SyslogMessage, event: EcsEvent, ctx: NormalizeContext): boolean {
  const summary = parseRepeat(msg.message);
  if (summary === undefined) return false;
  setRepeatCount(event, summary.count);
  if (summary.inner === undefined) return false;
  const inner: SyslogMessage = { ...msg, message: summary.inner };
  event.message = summary.inner;
  const normalizer = chooseNormalizer(inner);
  // A summary nested in a summary is not unwrapped twice.
  return normalizer !== undefined && normalizer !== normalizeRepeated && normalizer(inner, event, ctx);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Refines the base event for the message's vendor. Returns true when a normalizer recognised the
 * message; false leaves the base event (possibly with the vendor's dataset). Never throws.
 * `ctx.timezone` is the zone device times without one are read in (the collector's `timezone`).
 */
export function normalizeSyslog(msg: SyslogMessage, event: EcsEvent, ctx: NormalizeContext = UTC_CONTEXT): boolean {
  let normalizer: SyslogNormalizer | undefined;
  try {
    normalizer = chooseNormalizer(msg);
    return normalizer !== undefined && normalizer(msg, event, ctx);
  } catch (err) {
    event.event.dataset = 'syslog';
    delete event.event.module;
    const name = normalizer?.name ?? 'dispatch';
    event.error = { message: `syslog normalizer ${name} failed on a message from ${msg.hostname ?? 'unknown host'}: ${describe(err)}` };
    return false;
  }
}
