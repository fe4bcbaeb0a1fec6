/**
 * A decoded trap or inform → the ECS event socnoc stores (`event.dataset: snmp.trap`). SNMPv1 traps
 * are first given their SNMPv2 identity (RFC 3584 §3.1), so a linkDown reads the same from a v1,
 * v2c or v3 agent; varbinds are named through the MIB table (built-in plus user MIBs).
 */
import type { EcsEvent } from '../../../core/event';
import { newEventId } from '../../../core/event';
import type { OidNames, ResolvedOid } from '../mib';
import { plainValue, SnmpType, type PlainValue } from '../values';
import type { DecodedTrap, TrapVarbind } from './trap-pdu';

const SYS_UPTIME_0 = '1.3.6.1.2.1.1.3.0';
const SNMP_TRAP_OID_0 = '1.3.6.1.6.3.1.1.4.1.0';
const SNMP_TRAP_ENTERPRISE_0 = '1.3.6.1.6.3.1.1.4.3.0';
const SNMP_TRAP_ADDRESS_0 = '1.3.6.1.6.3.18.1.3.0';
const SYS_NAME_0 = '1.3.6.1.2.1.1.5.0';
const SNMP_TRAPS = '1.3.6.1.6.3.1.1.5';

/** The notification a trap announces: its OID, and the enterprise for SNMPv1 and proxied traps. */
export interface TrapIdentity {
  oid: string;
  enterprise?: string;
}

/**
 * RFC 3584 §3.1 (2): generic-trap 0-5 → snmpTraps.(generic+1); generic 6 (enterpriseSpecific) →
 * enterprise.0.specific. SNMPv2 traps carry it in snmpTrapOID.0 (RFC 3416 §4.2.6).
 */
export function trapIdentity(trap: DecodedTrap): TrapIdentity | undefined {
  if (trap.v1 !== undefined) {
    const { generic, specific, enterprise } = trap.v1;
    const e = stripDot(enterprise);
    if (generic >= 0 && generic <= 5) return { oid: `${SNMP_TRAPS}.${generic + 1}`, enterprise: e };
    return { oid: `${e}.0.${specific}`, enterprise: e };
  }
  let oid: string | undefined;
  let enterprise: string | undefined;
  for (const vb of trap.varbinds) {
    const o = stripDot(vb.oid);
    if (o === SNMP_TRAP_OID_0 && typeof vb.value === 'string') oid = stripDot(vb.value);
    else if (o === SNMP_TRAP_ENTERPRISE_0 && typeof vb.value === 'string') enterprise = stripDot(vb.value);
  }
  if (oid === undefined) return undefined;
  return enterprise !== undefined ? { oid, enterprise } : { oid };
}

/**
 * The device a trap is about: the v1 agent-addr, else snmpTrapAddress.0 that a proxy adds
 * (RFC 3584 §3.1), else the datagram's sender. 0.0.0.0 (agents that do not know their address) is
 * no address.
 */
export function trapAgentAddress(trap: DecodedTrap): string {
  if (trap.v1 !== undefined && trap.v1.agentAddr !== '0.0.0.0' && trap.v1.agentAddr.length > 0) return trap.v1.agentAddr;
  for (const vb of trap.varbinds) {
    if (stripDot(vb.oid) === SNMP_TRAP_ADDRESS_0 && typeof vb.value === 'string' && vb.value !== '0.0.0.0') return vb.value;
  }
  return trap.sender.address;
}

function stripDot(oid: string): string {
  return oid.charCodeAt(0) === 46 ? oid.slice(1) : oid;
}

/** ECS categorization of the notifications whose meaning is known; every trap is also `network`. */
interface Categorization {
  category: string[];
  type: string[];
  outcome?: 'failure';
}
const STARTS = new Set(['coldStart', 'warmStart', 'reload', 'nsNotifyStart', 'nsNotifyRestart', 'ucdStart']);
const STOPS = new Set(['nsNotifyShutdown', 'ucdShutdown']);
function categorize(name: string): Categorization {
  if (STARTS.has(name)) return { category: ['network', 'host'], type: ['start'] };
  if (STOPS.has(name)) return { category: ['network', 'host'], type: ['end'] };
  if (name === 'linkUp') return { category: ['network'], type: ['start'] };
  if (name === 'linkDown') return { category: ['network'], type: ['end'] };
  if (name === 'authenticationFailure') return { category: ['network', 'authentication'], type: ['info'], outcome: 'failure' };
  return { category: ['network'], type: ['info'] };
}

/** A varbind value with MIB knowledge: enumeration labels, OID values as names. */
export function namedValue(vb: TrapVarbind, resolved: ResolvedOid | undefined, names: OidNames): PlainValue {
  if (vb.type === SnmpType.Integer && typeof vb.value === 'number') {
    const label = resolved?.node.enums?.[vb.value];
    return label ?? vb.value;
  }
  if (vb.type === SnmpType.OID && typeof vb.value === 'string') return names.nameOf(vb.value);
  return plainValue(vb);
}

function displayValue(v: PlainValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v.length > 0 && v.indexOf(' ') < 0 && v.indexOf(',') < 0 ? v : JSON.stringify(v);
  return String(v);
}

export interface TrapEventContext {
  receivedAt: number;
  organization: { id: string; name?: string };
}

interface InterfaceFields {
  id?: string;
  name?: string;
  alias?: string;
}

/** Builds the event. Never throws on odd varbinds: values it cannot read become null. */
export function buildTrapEvent(trap: DecodedTrap, names: OidNames, ctx: TrapEventContext): EcsEvent {
  const received = new Date(ctx.receivedAt).toISOString();
  const identity = trapIdentity(trap);
  const agent = trapAgentAddress(trap);
  const resolvedTrap = identity !== undefined ? names.resolve(identity.oid) : undefined;
  const action = identity === undefined ? 'unknown' : names.nameOf(identity.oid);

  const varbinds: Record<string, PlainValue> = {};
  const parts: string[] = [];
  const iface: InterfaceFields = {};
  let uptimeTicks = trap.v1?.upTime;
  let sysName: string | undefined;
  for (const vb of trap.varbinds) {
    const oid = stripDot(vb.oid);
    if (oid === SNMP_TRAP_OID_0 || oid === SNMP_TRAP_ENTERPRISE_0) continue;
    if (oid === SYS_UPTIME_0 && uptimeTicks === undefined) {
      if (typeof vb.value === 'number') uptimeTicks = vb.value;
      continue;
    }
    const resolved = names.resolve(oid);
    const value = namedValue(vb, resolved, names);
    const qualified = resolved === undefined ? oid : resolved.instance.length > 0 ? `${resolved.node.name}.${resolved.instance}` : resolved.node.name;
    parts.push(`${qualified}=${displayValue(value)}`);
    // Keyed by object name so that rules read `snmp.trap.varbinds.ifOperStatus`; a second instance
    // of the same object keeps its instance suffix; unknown OIDs stay numeric.
    const key = resolved === undefined || resolved.node.kind === 'node' ? oid : resolved.node.name in varbinds ? qualified : resolved.node.name;
    varbinds[key] = value;
    if (resolved === undefined) continue;
    const objectName = resolved.node.name;
    if (oid === SYS_NAME_0 && typeof value === 'string' && value.length > 0) sysName = value;
    if (resolved.node.ifIndexed === true && iface.id === undefined && /^\d+$/.test(resolved.instance)) iface.id = resolved.instance;
    if (objectName === 'ifIndex' && typeof value === 'number') iface.id = String(value);
    else if (objectName === 'ifName' && typeof value === 'string') iface.name = value;
    else if (objectName === 'ifDescr' && typeof value === 'string' && iface.name === undefined) iface.name = value;
    else if (objectName === 'ifAlias' && typeof value === 'string' && value.length > 0) iface.alias = value;
  }

  const cat = categorize(resolvedTrap !== undefined && resolvedTrap.instance.length === 0 ? resolvedTrap.node.name : action);
  const trapFields: Record<string, unknown> = { oid: identity?.oid ?? '', name: action, varbinds };
  if (resolvedTrap !== undefined && resolvedTrap.instance.length === 0) trapFields.mib = resolvedTrap.node.module;
  if (identity?.enterprise !== undefined) trapFields.enterprise = identity.enterprise;
  if (trap.v1 !== undefined) {
    trapFields.generic = trap.v1.generic;
    trapFields.specific = trap.v1.specific;
  }
  if (uptimeTicks !== undefined) trapFields.uptime_s = uptimeTicks / 100;
  const snmp: Record<string, unknown> = { version: trap.version, pdu_type: trap.pduType, trap: trapFields };
  if (trap.user !== undefined) snmp.user = trap.user;
  if (trap.contextName !== undefined) snmp.context = trap.contextName;

  const event: EcsEvent = {
    '@timestamp': received,
    message: parts.length > 0 ? `${action} from ${agent}: ${parts.join(', ')}` : `${action} from ${agent}`,
    event: {
      id: newEventId(),
      created: received,
      ingested: received,
      kind: 'event',
      category: cat.category,
      type: cat.type,
      action,
      dataset: 'snmp.trap',
      module: 'snmp',
    },
    organization: ctx.organization.name !== undefined ? { id: ctx.organization.id, name: ctx.organization.name } : { id: ctx.organization.id },
    source: { ip: agent },
    observer: sysName !== undefined ? { ip: [agent], hostname: sysName } : { ip: [agent] },
    network: { transport: 'udp', protocol: 'snmp' },
    log: { source: { address: trap.sender.address } },
    snmp,
  };
  if (cat.outcome !== undefined) event.event.outcome = cat.outcome;
  if (sysName !== undefined) event.host = { name: sysName, hostname: sysName };
  if (iface.id !== undefined || iface.name !== undefined) event.interface = iface;
  return event;
}
