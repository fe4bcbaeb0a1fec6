/**
 * State-change events the poller emits (`event.kind: state`): a device going down or coming back
 * (`snmp.device`), an agent restart seen through sysUpTime (`snmp.device`), an interface's
 * ifOperStatus changing (`snmp.interface`). Deciding whether any of them is an alert (device down,
 * link flapping, down behind a down parent) is correlation's job.
 */
import { isIP } from 'node:net';
import type { EcsEvent } from '../../../core/event';
import { newEventId } from '../../../core/event';
import { IF_STATUS_NAMES } from './oids';
import type { DeviceStatusName, InterfaceStatusChange, ReachabilityChange } from './reachability';
import type { InterfaceSample } from './types';

export interface DeviceIdentity {
  id: string;
  name: string;
  address: string;
  organization: { id: string; name?: string };
  parent?: string;
  tags: string[];
  /** sysName from the last answered poll. */
  sysName?: string;
}

function base(dev: DeviceIdentity, at: number, dataset: string, action: string, message: string): EcsEvent {
  const when = new Date(at).toISOString();
  const ip = isIP(dev.address) !== 0 ? [dev.address] : undefined;
  const observer: NonNullable<EcsEvent['observer']> = { name: dev.name };
  if (ip !== undefined) observer.ip = ip;
  if (dev.sysName !== undefined) observer.hostname = dev.sysName;
  const host: NonNullable<EcsEvent['host']> = { name: dev.sysName ?? dev.name };
  if (ip !== undefined) host.ip = ip;
  const device: Record<string, unknown> = { id: dev.id, name: dev.name, address: dev.address };
  if (dev.parent !== undefined) device.parent = dev.parent;
  if (dev.tags.length > 0) device.tags = dev.tags;
  return {
    '@timestamp': when,
    message,
    event: { id: newEventId(), created: when, ingested: when, kind: 'state', category: ['network', 'host'], type: ['change'], action, dataset, module: 'snmp' },
    organization: dev.organization.name !== undefined ? { id: dev.organization.id, name: dev.organization.name } : { id: dev.organization.id },
    observer,
    host,
    snmp: { device },
  };
}

function deviceFields(e: EcsEvent): Record<string, unknown> {
  return (e.snmp as { device: Record<string, unknown> }).device;
}

/** device-down / device-up. */
export function deviceStateEvent(dev: DeviceIdentity, change: ReachabilityChange, at: number, lastError?: string): EcsEvent {
  const down = change.to === 'down';
  const message = down
    ? `device ${dev.name} (${dev.address}) is down: ${change.missed} polls missed${lastError !== undefined ? ` (${lastError})` : ''}`
    : `device ${dev.name} (${dev.address}) is up again`;
  const e = base(dev, at, 'snmp.device', down ? 'device-down' : 'device-up', message);
  e.event.outcome = down ? 'failure' : 'success';
  if (down && lastError !== undefined) e.event.reason = lastError;
  Object.assign(deviceFields(e), { status: change.to, previous_status: change.from satisfies DeviceStatusName, missed_polls: change.missed });
  return e;
}

/** device-restarted: sysUpTime started again between two polls. */
export function deviceRestartEvent(dev: DeviceIdentity, previousUptimeTicks: number, uptimeTicks: number, at: number): EcsEvent {
  const e = base(dev, at, 'snmp.device', 'device-restarted', `device ${dev.name} (${dev.address}) restarted: SNMP agent up ${formatUptime(uptimeTicks)}, was ${formatUptime(previousUptimeTicks)}`);
  e.event.type = ['change', 'start'];
  Object.assign(deviceFields(e), { status: 'up', uptime_s: uptimeTicks / 100, previous_uptime_s: previousUptimeTicks / 100 });
  return e;
}

function ifName(s: InterfaceSample): string {
  return s.name ?? s.descr ?? `ifIndex ${s.index}`;
}

function statusName(code: number | undefined): string | undefined {
  return code === undefined ? undefined : (IF_STATUS_NAMES[code] ?? String(code));
}

/** interface-up / interface-down / interface-state-change from ifOperStatus. */
export function interfaceStateEvent(dev: DeviceIdentity, change: InterfaceStatusChange, at: number): EcsEvent {
  const to = statusName(change.to) as string;
  const from = statusName(change.from) as string;
  const action = change.to === 1 ? 'interface-up' : change.from === 1 ? 'interface-down' : 'interface-state-change';
  const s = change.sample;
  const admin = statusName(s.adminStatus);
  const e = base(dev, at, 'snmp.interface', action, `interface ${ifName(s)} on ${dev.name} is ${to} (was ${from}${admin !== undefined ? `, admin ${admin}` : ''})`);
  e.event.category = ['network'];
  const iface: NonNullable<EcsEvent['interface']> = { id: String(s.index) };
  if (s.name !== undefined || s.descr !== undefined) iface.name = s.name ?? s.descr;
  if (s.alias !== undefined) iface.alias = s.alias;
  e.interface = iface;
  const fields: Record<string, unknown> = { index: s.index, oper_status: to, previous_oper_status: from };
  if (admin !== undefined) fields.admin_status = admin;
  if (s.speedBps !== undefined) fields.speed_bps = s.speedBps;
  (e.snmp as Record<string, unknown>).interface = fields;
  return e;
}

function formatUptime(ticks: number): string {
  const s = Math.floor(ticks / 100);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d > 0 ? `${d}d ${h}h ${m}m` : h > 0 ? `${h}h ${m}m` : `${m}m ${s % 60}s`;
}
