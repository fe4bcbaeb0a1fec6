/**
 * Cisco IOS / IOS-XE messages, identified by their `%FACILITY-SEVERITY-MNEMONIC` tag:
 * interface and line-protocol state, logins (SEC_LOGIN, SSH), configuration changes, restarts and
 * routing adjacencies; and the same for NX-OS data-centre switches (ETHPORT interface state,
 * VSHD configuration), which share the tag format. Any other tagged message keeps dataset
 * `cisco.ios` and `event.code`.
 */
import type { EcsEvent } from '../../../core/event';
import { isAclLogMnemonic, normalizeIosAclLog, type IosAclFields } from './cisco-ios-acl';
import { normalizeIosSwitch, type IosSwitchFields } from './cisco-ios-switch';
import { baseFacility, type CiscoTagged } from './cisco-tag';
import { categorize, isIpAddress, observer, setAddress, setDataset, setObserver, setPort, user } from './fields';

interface IosFields {
  facility: string;
  mnemonic: string;
  neighbor?: string;
  line?: string;
  command?: string;
  acl?: IosAclFields;
  switch?: IosSwitchFields;
  hsrp?: { group: string; from: string; to: string };
}

function isInterfaceName(s: string): boolean {
  return s.length > 0 && s.length <= 64 && s.indexOf(' ') < 0;
}

/** `Interface Gi0/1, changed state to administratively down` → interface and state. */
function readStateChange(body: string, prefix: string): { name: string; state: string } | undefined {
  if (!body.startsWith(prefix)) return undefined;
  const comma = body.indexOf(', changed state to ', prefix.length);
  if (comma < 0) return undefined;
  const name = body.slice(prefix.length, comma);
  if (!isInterfaceName(name)) return undefined;
  const state = body.slice(comma + 19).trim().toLowerCase();
  return { name, state };
}

function stateSuffix(state: string): string {
  if (state === 'up') return 'up';
  if (state === 'down') return 'down';
  if (state === 'administratively down') return 'admin-down';
  return state.replace(/[^a-z]+/g, '-');
}

/** `[user: admin] [Source: 10.1.1.1] [localport: 22] [Reason: Login Authentication Failed]` */
function readBracketFields(body: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  let i = body.indexOf('[');
  while (i >= 0) {
    const close = body.indexOf(']', i);
    if (close < 0) break;
    const colon = body.indexOf(': ', i);
    if (colon > i && colon < close) out[body.slice(i + 1, colon).toLowerCase()] = body.slice(colon + 2, close);
    else if (colon < 0 || colon > close) {
      const bare = body.indexOf(':', i);
      if (bare > i && bare < close) out[body.slice(i + 1, bare).toLowerCase()] = body.slice(bare + 1, close).trim();
    }
    i = body.indexOf('[', close);
  }
  return out;
}

const CONFIG_I = /^Configured from (\S+) by (\S+)(?: on (\S+))?(?: \(([^)]+)\))?/;
const LOGGED_CMD = /^User:(\S+)\s+logged command:(.*)$/;
const SSH2_USERAUTH = /^User '([^']*)' authentication for SSH2 Session from (\S+).* (Succeeded|Failed)\.?$/;
const RELOAD = /^Reload requested by (\S+)(?: on (\S+))?(?: \(([^)]+)\))?\.?(?: Reload Reason: (.*?)\.?)?$/;
const OSPF_ADJ = /^Process (\d+), Nbr (\S+) on (\S+) from (\S+) to (\S+), (.*)$/;
const BGP_ADJ = /^neighbor (\S+)(?: vpn vrf \S+)? (Up|Down)\s*(.*)$/;
// EIGRP: `EIGRP-IPv4 100: Neighbor 10.0.0.2 (GigabitEthernet0/0) is down: holding time expired`
const EIGRP_NBR = /^EIGRP-IPv[46] (?:\S+ )?\d+: Neighbor (\S+) \((\S+)\) is (up|down|resync): ?(.*)$/;
// HSRP: `Vlan10 Grp 1 state Standby -> Active`
const HSRP_STATE = /^(\S+) Grp (\d+) state (\S+) -> (\S+)/;
// `User admin has exited tty session 2(10.0.0.5)`
const LOGOUT = /^User (\S+) has exited tty session (\d+)\(([^)]*)\)/;
// NX-OS: `Interface Ethernet1/1 is down (Link failure)`, `Interface Ethernet1/2 is up in mode access`
const NXOS_INTERFACE = /^Interface (\S+) is (up|down|admin up|admin down)\b[^(]*(?:\(([^)]*)\))?/;
// NX-OS: `Configured from vty by admin on 10.0.0.5@pts/0`
const NXOS_CONFIG = /^Configured from (\S+) by (\S+?)(?: on (\S+?)(?:@(\S+))?)?\s*$/;

/** NX-OS runs on Nexus data-centre switches. */
function nxos(event: EcsEvent): void {
  const obs = observer(event);
  obs.product = 'NX-OS';
  obs.type = 'switch';
}

export function normalizeCiscoIos(tagged: CiscoTagged, event: EcsEvent): boolean {
  setDataset(event, 'cisco.ios');
  setObserver(event, 'Cisco', 'IOS', 'router');
  const { tag, body } = tagged;
  event.event.code = `${tag.facility}-${tag.severity}-${tag.mnemonic}`;
  const ios: IosFields = { facility: tag.facility, mnemonic: tag.mnemonic };
  event.cisco = { ios };
  event.message = body;
  let r: RegExpExecArray | null;

  if (isAclLogMnemonic(tag.mnemonic)) {
    const acl = normalizeIosAclLog(body, event);
    if (acl === undefined) return false;
    ios.acl = acl;
    return true;
  }

  const l2 = normalizeIosSwitch(tag.facility, tag.mnemonic, body, event);
  if (l2 !== undefined) {
    if (Object.keys(l2).length > 0) ios.switch = l2;
    return true;
  }

  switch (baseFacility(tag.facility, false)) {
    case 'LINK': {
      // LINK-3-UPDOWN and LINK-5-CHANGED
      const s = readStateChange(body, 'Interface ');
      if (s === undefined) return false;
      event.interface = { name: s.name };
      categorize(event, 'network', 'change');
      event.event.action = 'interface-' + stateSuffix(s.state);
      return true;
    }
    case 'LINEPROTO': {
      const s = readStateChange(body, 'Line protocol on Interface ');
      if (s === undefined) return false;
      event.interface = { name: s.name };
      categorize(event, 'network', 'change');
      event.event.action = 'line-protocol-' + stateSuffix(s.state);
      return true;
    }
    case 'SEC_LOGIN': {
      const quiet = tag.mnemonic === 'QUIET_MODE_ON';
      const success = tag.mnemonic === 'LOGIN_SUCCESS';
      if (!quiet && !success && tag.mnemonic !== 'LOGIN_FAILED') return false;
      const f = readBracketFields(body);
      // QUIET_MODE_ON: `login block-for` tripped, the device itself saw a password-guessing burst.
      categorize(event, 'authentication', quiet ? 'info' : 'start', success ? 'success' : 'failure');
      event.event.action = quiet ? 'login-quiet-mode' : 'login';
      if (f.user !== undefined && f.user.length > 0) user(event).name = f.user;
      setAddress(event, 'source', f.source);
      setPort(event, 'destination', f.localport);
      if (f.reason !== undefined) event.event.reason = f.reason;
      return true;
    }
    case 'SSH': {
      if (tag.mnemonic !== 'SSH2_USERAUTH' || (r = SSH2_USERAUTH.exec(body)) === null) return false;
      categorize(event, 'authentication', 'start', r[3] === 'Succeeded' ? 'success' : 'failure');
      event.event.action = 'ssh-login';
      if (r[1].length > 0) user(event).name = r[1];
      setAddress(event, 'source', r[2]);
      return true;
    }
    case 'SYS': {
      if (tag.mnemonic === 'CONFIG_I' && (r = CONFIG_I.exec(body)) !== null) {
        categorize(event, 'configuration', 'change', 'success');
        event.event.action = 'configuration-change';
        // "by console" names the console line, not a user.
        if (r[2] !== 'console' && r[2] !== 'vty') user(event).name = r[2];
        if (r[3] !== undefined) ios.line = r[3];
        setAddress(event, 'source', r[4]);
        return true;
      }
      if (tag.mnemonic === 'LOGOUT' && (r = LOGOUT.exec(body)) !== null) {
        categorize(event, 'authentication', 'end', 'success');
        event.event.action = 'logout';
        user(event).name = r[1];
        ios.line = r[2];
        if (!setAddress(event, 'source', r[3])) ios.line = `${r[2]} (${r[3]})`;
        return true;
      }
      if (tag.mnemonic === 'RESTART') {
        categorize(event, 'host', 'start');
        event.event.action = 'system-restart';
        return true;
      }
      if (tag.mnemonic === 'RELOAD' && (r = RELOAD.exec(body)) !== null) {
        categorize(event, 'host', 'end');
        event.event.action = 'reload-requested';
        if (r[1] !== 'console') user(event).name = r[1];
        if (r[2] !== undefined) ios.line = r[2];
        setAddress(event, 'source', r[3]);
        if (r[4] !== undefined) event.event.reason = r[4];
        return true;
      }
      return false;
    }
    case 'PARSER': {
      if (tag.mnemonic !== 'CFGLOG_LOGGEDCMD' || (r = LOGGED_CMD.exec(body)) === null) return false;
      categorize(event, 'configuration', 'change', 'success');
      event.event.action = 'configuration-command';
      user(event).name = r[1];
      ios.command = r[2];
      return true;
    }
    case 'OSPF':
    case 'OSPFv3': {
      if (tag.mnemonic !== 'ADJCHG' || (r = OSPF_ADJ.exec(body)) === null) return false;
      if (!isInterfaceName(r[3])) return false;
      categorize(event, 'network', 'change');
      event.event.action = r[5] === 'FULL' ? 'routing-neighbor-up' : r[5] === 'DOWN' ? 'routing-neighbor-down' : 'routing-neighbor-change';
      event.interface = { name: r[3] };
      ios.neighbor = r[2];
      event.event.reason = r[6];
      return true;
    }
    case 'ETHPORT': {
      if ((r = NXOS_INTERFACE.exec(body)) === null || !isInterfaceName(r[1])) return false;
      nxos(event);
      event.interface = { name: r[1] };
      categorize(event, 'network', 'change');
      const adminDown = r[2] === 'admin down' || (r[3] !== undefined && r[3].toLowerCase() === 'administratively down');
      event.event.action = adminDown ? 'interface-admin-down' : r[2] === 'admin up' ? 'interface-admin-up' : 'interface-' + r[2];
      if (r[3] !== undefined) event.event.reason = r[3];
      return true;
    }
    case 'VSHD': {
      if (tag.mnemonic !== 'VSHD_SYSLOG_CONFIG_I' || (r = NXOS_CONFIG.exec(body)) === null) return false;
      nxos(event);
      categorize(event, 'configuration', 'change', 'success');
      event.event.action = 'configuration-change';
      user(event).name = r[2];
      if (r[3] !== undefined) {
        if (isIpAddress(r[3])) setAddress(event, 'source', r[3]);
        else ios.line = r[3];
      }
      if (r[4] !== undefined) ios.line = r[4];
      return true;
    }
    case 'DUAL': {
      if (tag.mnemonic !== 'NBRCHANGE' || (r = EIGRP_NBR.exec(body)) === null || !isInterfaceName(r[2])) return false;
      categorize(event, 'network', 'change');
      event.event.action = r[3] === 'up' ? 'routing-neighbor-up' : r[3] === 'down' ? 'routing-neighbor-down' : 'routing-neighbor-change';
      event.interface = { name: r[2] };
      ios.neighbor = r[1];
      if (r[4].length > 0) event.event.reason = r[4];
      return true;
    }
    case 'HSRP':
    case 'VRRP': {
      if (tag.mnemonic !== 'STATECHANGE' || (r = HSRP_STATE.exec(body)) === null || !isInterfaceName(r[1])) return false;
      categorize(event, 'network', 'change');
      event.event.action = `${tag.facility.toLowerCase()}-state-${r[4].toLowerCase()}`;
      event.interface = { name: r[1] };
      ios.hsrp = { group: r[2], from: r[3], to: r[4] };
      return true;
    }
    case 'BGP': {
      if (tag.mnemonic !== 'ADJCHANGE' || (r = BGP_ADJ.exec(body)) === null) return false;
      categorize(event, 'network', 'change');
      event.event.action = r[2] === 'Up' ? 'routing-neighbor-up' : 'routing-neighbor-down';
      ios.neighbor = r[1];
      if (r[3].length > 0) event.event.reason = r[3];
      return true;
    }
    default:
      return false;
  }
}
