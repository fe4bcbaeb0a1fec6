/**
 * ISC Kea DHCPv4 (`kea-dhcp4`), the successor of ISC dhcpd: the lease messages it logs at INFO
 * (and a few DEBUG/ERROR ones), mapped like dhcpd.ts so a search for an address or a MAC finds both
 * servers. A line is `[date] SEVERITY [logger] MESSAGE_ID text`: the date only in Kea's file output
 * (forwarded by a tailing syslog daemon), the logger only with the syslog and file patterns
 * (`[kea-dhcp4.leases.139…]`, `[kea-dhcp4.leases/1234.139…]`). The client is Kea's label
 * `[hwtype=1 00:0c:01:02:03:04], cid=[01:…], tid=0x3fa1` (Pkt4::getLabel). Message ids and texts
 * per Kea's dhcp4_messages.mes and alloc_engine_messages.mes (2.x).
 */
import type { EcsEvent } from '../../../core/event';
import type { SyslogMessage } from '../parse/types';
import { categorize, ecsMac, isIpAddress, parseCount, setDataset, setDhcpClient, setObserver } from './fields';

interface KeaMessage {
  /** dhcpd.ts's names: `dhcp-ack`, `dhcp-offer`… */
  action: string;
  outcome?: 'success' | 'failure';
  /** The word after which the text names the leased address (`lease 192.0.2.10`). */
  addressAfter?: string;
  /** The text after the client label is why it failed: event.reason. */
  reason?: boolean;
}

const ACK: KeaMessage = { action: 'dhcp-ack', outcome: 'success', addressAfter: 'lease ' };
const OFFER: KeaMessage = { action: 'dhcp-offer', addressAfter: 'lease ' };
const RELEASED: KeaMessage = { action: 'dhcp-release', outcome: 'success', addressAfter: 'address ' };
const RELEASE_FAILED: KeaMessage = { action: 'dhcp-release', outcome: 'failure', addressAfter: 'address ', reason: true };
const NAK: KeaMessage = { action: 'dhcp-nak', outcome: 'failure', addressAfter: 'address ', reason: true };
const NAK_REQUESTED: KeaMessage = { action: 'dhcp-nak', outcome: 'failure', addressAfter: 'requested-ip-address ', reason: true };

const MESSAGES = new Map<string, KeaMessage>([
  // `%1: lease %2 has been allocated for %3 seconds` (the DHCPACK to a DHCPREQUEST).
  ['DHCP4_LEASE_ALLOC', ACK],
  // Lease caching: the same lease handed out again without a database write.
  ['DHCP4_LEASE_REUSE', ACK],
  // `%1: lease %2 will be advertised` (the DHCPOFFER); Kea 2.6 renamed it DHCP4_LEASE_OFFER.
  ['DHCP4_LEASE_ADVERT', OFFER],
  ['DHCP4_LEASE_OFFER', OFFER],
  // `%1: client is in INIT-REBOOT state and requests address %2`.
  ['DHCP4_INIT_REBOOT', { action: 'dhcp-request', addressAfter: 'address ' }],
  ['DHCP4_NO_LEASE_INIT_REBOOT', { action: 'dhcp-request', outcome: 'failure', addressAfter: 'address ', reason: true }],
  // `%1: address %2 was released properly.` and the lease-affinity variants.
  ['DHCP4_RELEASE', RELEASED],
  ['DHCP4_RELEASE_EXPIRED', RELEASED],
  ['DHCP4_RELEASE_DELETED', RELEASED],
  ['DHCP4_RELEASE_FAIL', RELEASE_FAILED],
  ['DHCP4_RELEASE_FAIL_NO_LEASE', RELEASE_FAILED],
  ['DHCP4_RELEASE_FAIL_WRONG_CLIENT', RELEASE_FAILED],
  // `Received DHCPDECLINE for addr %1 from client %2. The lease will be unavailable for %3 seconds.`
  ['DHCP4_DECLINE_LEASE', { action: 'dhcp-decline', outcome: 'failure', addressAfter: 'addr ' }],
  ['DHCP4_DECLINE_LEASE_NOT_FOUND', { action: 'dhcp-decline', outcome: 'failure', addressAfter: 'addr ', reason: true }],
  ['DHCP4_DECLINE_LEASE_MISMATCH', { action: 'dhcp-decline', outcome: 'failure', addressAfter: 'addr ', reason: true }],
  // `%1: failed to select a subnet for incoming packet, src %2, type %3` (ERROR) and the DEBUG NAK reasons.
  ['DHCP4_PACKET_NAK_0001', NAK],
  ['DHCP4_PACKET_NAK_0002', NAK],
  ['DHCP4_PACKET_NAK_0003', NAK_REQUESTED],
  ['DHCP4_PACKET_NAK_0004', NAK_REQUESTED],
  // The pool is exhausted (dhcpd's `no free leases`): WARN from kea-dhcp4.alloc-engine.
  ['ALLOC_ENGINE_V4_ALLOC_FAIL', { action: 'dhcp-allocation-failed', outcome: 'failure', reason: true }],
  ['ALLOC_ENGINE_V4_ALLOC_FAIL_SUBNET', { action: 'dhcp-allocation-failed', outcome: 'failure', reason: true }],
  ['ALLOC_ENGINE_V4_ALLOC_ERROR', { action: 'dhcp-allocation-failed', outcome: 'failure', reason: true }],
  // `%1: reclaiming expired lease for address %2` (DEBUG, kea-dhcp4.alloc-engine): the lease ended.
  ['ALLOC_ENGINE_V4_LEASE_RECLAIM', { action: 'dhcp-expire', addressAfter: 'address ' }],
  // DEBUG packet traces: `%1: DHCPDISCOVER (type 1) received from 0.0.0.0 to 255.255.255.255 on interface eth1`.
  ['DHCP4_PACKET_RECEIVED', { action: '' }],
]);

const SEVERITIES = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/** Index after the spaces at `at`. */
function skipSpaces(m: string, at: number): number {
  while (at < m.length && m.charCodeAt(at) === 32) at++;
  return at;
}

/** Kea's file pattern starts `2024-03-04 08:01:10.123 `: the index after it, or `at` when absent. */
function skipFileDate(m: string, at: number): number {
  const c = m.charCodeAt(at);
  if (c < 48 || c > 57 || m.charCodeAt(at + 4) !== 45 || m.charCodeAt(at + 10) !== 32) return at;
  const end = m.indexOf(' ', at + 11);
  return end < 0 ? at : skipSpaces(m, end);
}

/** A message id: upper-case letters, digits and underscores, with at least one underscore. */
function isMessageId(m: string, start: number, end: number): boolean {
  if (end - start < 4 || end - start > 64) return false;
  let underscore = false;
  for (let i = start; i < end; i++) {
    const c = m.charCodeAt(i);
    if (c === 95) underscore = true;
    else if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57))) return false;
  }
  return underscore;
}

interface KeaHeader {
  severity?: string;
  logger?: string;
  id: string;
  /** Index of the text after the id. */
  text: number;
}

function parseHeader(m: string): KeaHeader | undefined {
  let at = skipFileDate(m, 0);
  let severity: string | undefined;
  const word = m.indexOf(' ', at);
  if (word > at && word - at <= 5) {
    const w = m.slice(at, word);
    if (SEVERITIES.indexOf(w) >= 0) {
      severity = w;
      at = skipSpaces(m, word);
    }
  }
  let logger: string | undefined;
  if (m.charCodeAt(at) === 91 /* [ */) {
    const close = m.indexOf(']', at);
    if (close < 0) return undefined;
    // `kea-dhcp4.leases/1234.139…` (file: logger/pid.thread) or `kea-dhcp4.leases.0x7f…` (syslog: logger.thread).
    const inner = m.slice(at + 1, close);
    const slash = inner.indexOf('/');
    const cut = slash >= 0 ? slash : inner.lastIndexOf('.');
    logger = cut > 0 ? inner.slice(0, cut) : inner;
    at = skipSpaces(m, close + 1);
  }
  let end = m.indexOf(' ', at);
  if (end < 0) end = m.length;
  if (!isMessageId(m, at, end)) return undefined;
  return { severity, logger, id: m.slice(at, end), text: end + 1 };
}

interface KeaClient {
  mac?: string;
  clientId?: string;
  transactionId?: string;
  /** Index after the label (past `tid=0x…:` when present). */
  end: number;
}

/** The value between `open` and the next `]`, from `from`; undefined when absent. */
function bracketAfter(m: string, open: string, from: number): { value: string; end: number } | undefined {
  const at = m.indexOf(open, from);
  if (at < 0) return undefined;
  const start = at + open.length;
  const close = m.indexOf(']', start);
  return close < 0 ? undefined : { value: m.slice(start, close), end: close + 1 };
}

/** Kea's client label `[hwtype=1 aa:bb:…], cid=[01:aa:…], tid=0x1a2b`. */
function parseClient(m: string, from: number): KeaClient | undefined {
  const hw = bracketAfter(m, '[hwtype=', from);
  if (hw === undefined) return undefined;
  const space = hw.value.indexOf(' ');
  const client: KeaClient = { mac: undefined, clientId: undefined, transactionId: undefined, end: hw.end };
  if (space > 0) client.mac = ecsMac(hw.value.slice(space + 1));
  if (m.startsWith(', cid=[', hw.end)) {
    const cid = bracketAfter(m, 'cid=[', hw.end);
    if (cid !== undefined) {
      if (cid.value !== 'no info') client.clientId = cid.value;
      client.end = cid.end;
    }
  }
  if (m.startsWith(', tid=', client.end)) {
    let i = client.end + 6;
    const start = i;
    while (i < m.length && m.charCodeAt(i) !== 58 && m.charCodeAt(i) !== 44 && m.charCodeAt(i) !== 32 && m.charCodeAt(i) !== 46) i++;
    client.transactionId = m.slice(start, i);
    client.end = i;
  }
  // The label is followed by `: ` (most messages) or `. ` (DHCPDECLINE's sentence).
  if (m.charCodeAt(client.end) === 58 || m.charCodeAt(client.end) === 46) client.end = skipSpaces(m, client.end + 1);
  return client;
}

/** The IP address after `word` (from `from`), without a trailing `.` or `,`; undefined when none is valid. */
function addressAfter(m: string, word: string, from: number): string | undefined {
  const at = m.indexOf(word, from);
  if (at < 0) return undefined;
  const start = at + word.length;
  let end = start;
  while (end < m.length && m.charCodeAt(end) !== 32 && m.charCodeAt(end) !== 44) end++;
  if (end > start && m.charCodeAt(end - 1) === 46) end--;
  const ip = m.slice(start, end);
  // ciaddr and requested-ip-address print 0.0.0.0 when the client sent none.
  return ip !== '0.0.0.0' && isIpAddress(ip) ? ip : undefined;
}

/** `for 3600 seconds` after the address: the lease time granted. */
function leaseSeconds(m: string, from: number): number | undefined {
  const at = m.indexOf(' for ', from);
  if (at < 0) return undefined;
  const end = m.indexOf(' seconds', at + 5);
  return end < 0 ? undefined : parseCount(m.slice(at + 5, end));
}

/** DHCP4_PACKET_RECEIVED: `DHCPDISCOVER (type 1) received from … on interface eth1` → action and interface. */
function packetReceived(m: string, from: number): { action: string; iface?: string } | undefined {
  if (!m.startsWith('DHCP', from)) return undefined;
  const end = m.indexOf(' ', from);
  if (end < 0) return undefined;
  const type = m.slice(from + 4, end);
  if (type.length < 3 || type.length > 12) return undefined;
  const on = m.indexOf(' on interface ', end);
  return { action: 'dhcp-' + type.toLowerCase(), iface: on >= 0 ? m.slice(on + 14) : undefined };
}

function setKeaFields(event: EcsEvent, header: KeaHeader): Record<string, string | number> {
  setDataset(event, 'kea.dhcp4');
  setObserver(event, 'ISC', 'Kea', 'dhcp');
  event.event.code = header.id;
  if (header.severity !== undefined) {
    const level = header.severity.toLowerCase();
    if (event.log !== undefined) event.log.level = level;
    else event.log = { level };
  }
  const kea: Record<string, string | number> = {};
  if (header.logger !== undefined) kea.logger = header.logger;
  event.kea = { dhcp4: kea };
  return kea;
}

export function normalizeKea(msg: SyslogMessage, event: EcsEvent): boolean {
  const m = msg.message;
  const header = parseHeader(m);
  if (header === undefined) return false;
  const known = MESSAGES.get(header.id);
  if (known === undefined) {
    // Kea, but not a lease message (DHCP4_STARTED, EVAL_RESULT…): the vendor and the id, nothing more.
    setKeaFields(event, header);
    return false;
  }
  const client = parseClient(m, header.text);
  const textAt = client !== undefined ? client.end : header.text;
  let action = known.action;
  let iface: string | undefined;
  if (action.length === 0) {
    const packet = packetReceived(m, textAt);
    if (packet === undefined) return false;
    action = packet.action;
    iface = packet.iface;
  }
  const ip = known.addressAfter !== undefined ? addressAfter(m, known.addressAfter, header.text) : undefined;
  const mac = client?.mac;
  // A known id whose address and MAC are both unreadable is stored as it came.
  if (ip === undefined && mac === undefined) return false;

  const kea = setKeaFields(event, header);
  categorize(event, 'network', 'protocol', known.outcome);
  event.event.action = action;
  setDhcpClient(event, ip, mac, undefined);
  if (client?.clientId !== undefined) kea.client_id = client.clientId;
  if (client?.transactionId !== undefined) kea.transaction_id = client.transactionId;
  if (iface !== undefined && iface.length > 0) kea.interface = iface;
  if (action === 'dhcp-ack' || action === 'dhcp-offer') {
    const seconds = leaseSeconds(m, textAt);
    if (seconds !== undefined) kea.lease_duration = seconds;
  }
  if (known.reason === true) {
    // DHCPDECLINE names the client mid-sentence: `… from client [hwtype=…], …, tid=0x1, but no such lease found.`
    const reasonAt = m.startsWith(', ', textAt) ? textAt + 2 : textAt;
    if (reasonAt < m.length) event.event.reason = m.slice(reasonAt);
  }
  event.network = { protocol: 'dhcp', transport: 'udp' };
  return true;
}
