/**
 * Cisco Catalyst access-switch messages: port-security violations, 802.1X / MAB authentication
 * failures, BPDU guard shutting a port, and MAC addresses flapping between ports (a loop or a
 * spoofed MAC). The access layer of every agency LAN.
 */
import type { EcsEvent } from '../../../core/event';
import { addType, categorize, ecsMac } from './fields';

// PORT_SECURITY-2-PSECURE_VIOLATION
const PSECURE = /^Security violation occurred, caused by MAC address ([0-9a-fA-F.]+) on port (\S+?)\.?$/;
// DOT1X-5-FAIL, MAB-5-FAIL, AUTHMGR-5-FAIL
const AUTH_FAIL = /^Authentication failed for client \(([0-9a-fA-F.]+)\) on Interface (\S+)(?: AuditSessionID (\S+))?/;
// AUTHMGR-5-SUCCESS, DOT1X-5-SUCCESS
const AUTH_SUCCESS = /^Authentication successful for client \(([0-9a-fA-F.]+)\) on Interface (\S+)(?: AuditSessionID (\S+))?/;
// SPANTREE-2-BLOCK_BPDUGUARD
const BPDU_GUARD = /^Received BPDU on port (\S+) with BPDU Guard enabled\. Disabling port\.?/;
// SW_MATM-4-MACFLAP_NOTIF
const MAC_FLAP = /^Host ([0-9a-fA-F.]+) in vlan (\d+) is flapping between port (\S+) and port (\S+)/;

export interface IosSwitchFields {
  mac?: string;
  vlan?: string;
  ports?: string[];
  audit_session_id?: string;
}

function setSourceMac(event: EcsEvent, dotted: string): void {
  const mac = ecsMac(dotted);
  if (mac !== undefined) event.source = { ...event.source, mac };
}

/** Returns the switch extras, or undefined when the message is not one of these. */
export function normalizeIosSwitch(facility: string, mnemonic: string, body: string, event: EcsEvent): IosSwitchFields | undefined {
  let r: RegExpExecArray | null;
  if (facility === 'PORT_SECURITY' && mnemonic === 'PSECURE_VIOLATION' && (r = PSECURE.exec(body)) !== null) {
    categorize(event, 'network', 'connection', 'failure');
    addType(event, 'denied');
    event.event.action = 'port-security-violation';
    setSourceMac(event, r[1]);
    event.interface = { name: r[2] };
    return {};
  }
  if ((facility === 'DOT1X' || facility === 'MAB' || facility === 'AUTHMGR') && (mnemonic === 'FAIL' || mnemonic === 'SUCCESS')) {
    const success = mnemonic === 'SUCCESS';
    if ((r = (success ? AUTH_SUCCESS : AUTH_FAIL).exec(body)) === null) return undefined;
    categorize(event, 'authentication', 'start', success ? 'success' : 'failure');
    event.event.action = facility === 'MAB' ? 'mab-authentication' : 'dot1x-authentication';
    setSourceMac(event, r[1]);
    event.interface = { name: r[2] };
    return r[3] === undefined ? {} : { audit_session_id: r[3] };
  }
  if (facility === 'SPANTREE' && mnemonic === 'BLOCK_BPDUGUARD' && (r = BPDU_GUARD.exec(body)) !== null) {
    categorize(event, 'network', 'change');
    event.event.action = 'bpdu-guard-port-disabled';
    event.interface = { name: r[1] };
    return {};
  }
  if (facility === 'SW_MATM' && mnemonic === 'MACFLAP_NOTIF' && (r = MAC_FLAP.exec(body)) !== null) {
    categorize(event, 'network', 'info');
    event.event.action = 'mac-flapping';
    setSourceMac(event, r[1]);
    return { mac: r[1], vlan: r[2], ports: [r[3], r[4]] };
  }
  return undefined;
}
