/**
 * The boundary with net-snmp's receiver: its callback hands over `{ pdu, rinfo }` as untyped
 * objects built from an untrusted datagram. This module checks their shape once and produces the
 * typed trap the rest of the collector works with.
 */
import { unmapIPv4 } from '../../../core/net/ip';

/** PDU tags (RFC 1157 §4.1.6, RFC 3416 §3). */
const PDU_TRAP_V1 = 164;
const PDU_INFORM = 166;
const PDU_TRAP_V2 = 167;

export type TrapPduType = 'trap' | 'inform';
export type SnmpVersionName = '1' | '2c' | '3';

export interface TrapVarbind {
  oid: string;
  type: number;
  value: unknown;
}

export interface DecodedTrap {
  version: SnmpVersionName;
  pduType: TrapPduType;
  /** Sender of the datagram (a device, or a relay forwarding for one). */
  sender: { address: string; port: number };
  /** v1/v2c community; used to authorize, never copied into events. */
  community?: string;
  /** v3 USM user name. */
  user?: string;
  contextName?: string;
  /** SNMPv1 Trap-PDU fields. */
  v1?: { enterprise: string; agentAddr: string; generic: number; specific: number; upTime: number };
  varbinds: TrapVarbind[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object';
}

/** `{ pdu, rinfo }` from net-snmp's receiver → DecodedTrap, or the reason it is not one. */
export function readTrapMessage(data: unknown): DecodedTrap | string {
  if (!isRecord(data) || !isRecord(data.pdu) || !isRecord(data.rinfo)) return 'callback data without pdu and rinfo';
  const { pdu, rinfo } = data;
  if (typeof rinfo.address !== 'string' || typeof rinfo.port !== 'number') return 'rinfo without address and port';
  const sender = { address: unmapIPv4(rinfo.address), port: rinfo.port };
  if (!Array.isArray(pdu.varbinds)) return 'pdu without varbinds';
  const varbinds: TrapVarbind[] = [];
  for (const vb of pdu.varbinds as unknown[]) {
    if (!isRecord(vb) || typeof vb.oid !== 'string' || typeof vb.type !== 'number') return 'malformed varbind';
    varbinds.push({ oid: vb.oid, type: vb.type, value: vb.value });
  }
  const scoped = pdu.scoped === true;
  const community = typeof pdu.community === 'string' ? pdu.community : undefined;
  const user = typeof pdu.user === 'string' ? pdu.user : undefined;
  if (pdu.type === PDU_TRAP_V1) {
    const { enterprise, agentAddr, generic, specific, upTime } = pdu;
    if (typeof enterprise !== 'string' || typeof agentAddr !== 'string' || typeof generic !== 'number' || typeof specific !== 'number') {
      return 'SNMPv1 trap without enterprise, agent-addr, generic-trap and specific-trap';
    }
    return {
      version: '1',
      pduType: 'trap',
      sender,
      community,
      v1: { enterprise, agentAddr, generic, specific, upTime: typeof upTime === 'number' ? upTime : 0 },
      varbinds,
    };
  }
  if (pdu.type !== PDU_TRAP_V2 && pdu.type !== PDU_INFORM) return `unexpected PDU type ${String(pdu.type)}`;
  const trap: DecodedTrap = { version: scoped ? '3' : '2c', pduType: pdu.type === PDU_INFORM ? 'inform' : 'trap', sender, varbinds };
  if (scoped) {
    trap.user = user ?? '';
    if (typeof pdu.contextName === 'string' && pdu.contextName.length > 0) trap.contextName = pdu.contextName;
  } else {
    trap.community = community;
  }
  return trap;
}
