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
import type { InterfaceStatusChange } from './interface-changes';
import type { DeviceStatusName, ReachabilityChange } from './reachability';
import type { InterfaceSample } from './types';

export interface DeviceIdentity {
  id: string;
  name: string;
  address: string;
  organization: { id: string; name?: string };
  parent?: string;
  /** The parent's name, for messages (parent holds its id). */
  parentName?: string;
  tags: string[];
  /** Interface tags by ifIndex (inventory), copied into interface events as `snmp.interface.tags`. */
  interfaceTags?: Readonly<Record<string, readonly string[]>>;
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
  if (dev.parentName !== undefined) device.parent_name = dev.parentName;
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

/** device-down / device-unreachable (its parent is failing too) / device-up. */
export function deviceStateEvent(dev: DeviceIdentity, change: ReachabilityChange, at: number, lastError?: string): EcsEvent {
  const down = change.to !== 'up';
  const why = `${change.missed} polls missed${lastError !== undefined ? ` (${lastError})` : ''}`;
  const message =
    change.to === 'down'
      ? `device ${dev.name} (${dev.address}) is down: ${why}`
      : change.to === 'unreachable'
        ? `device ${dev.name} (${dev.address}) is unreachable behind its parent ${dev.parentName ?? dev.parent ?? '?'}: ${why}`
        : `device ${dev.name} (${dev.address}) is up again`;
  const e = base(dev, at, 'snmp.device', `device-${change.to}`, message);
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

/**
 * interface-up / interface-down / interface-state-change from ifOperStatus; interface-flapped when
 * the status is the same as at the previous poll but ifLastChange says it left and came back.
 * `snmp.interface.changes` is the least number of changes since the previous poll (the flapping
 * rule sums it).
 */
export function interfaceStateEvent(dev: DeviceIdentity, change: InterfaceStatusChange, at: number): EcsEvent {
  const to = statusName(change.to) as string;
  const from = statusName(change.from) as string;
  const flapped = change.from === change.to;
  const action = flapped ? 'interface-flapped' : change.to === 1 ? 'interface-up' : change.from === 1 ? 'interface-down' : 'interface-state-change';
  const s = change.sample;
  const admin = statusName(s.adminStatus);
  const adminText = admin !== undefined ? `, admin ${admin}` : '';
  const message = flapped
    ? `interface ${ifName(s)} on ${dev.name} changed state at least ${change.changes} times since the last poll and is ${to} again${admin !== undefined ? ` (admin ${admin})` : ''}`
    : `interface ${ifName(s)} on ${dev.name} is ${to} (was ${from}${adminText})`;
  const e = base(dev, at, 'snmp.interface', action, message);
  e.event.category = ['network'];
  const iface: NonNullable<EcsEvent['interface']> = { id: String(s.index) };
  if (s.name !== undefined || s.descr !== undefined) iface.name = s.name ?? s.descr;
  if (s.alias !== undefined) iface.alias = s.alias;
  e.interface = iface;
  const fields: Record<string, unknown> = { index: s.index, oper_status: to, previous_oper_status: from, changes: change.changes };
  if (admin !== undefined) fields.admin_status = admin;
  if (s.lastChangeTicks !== undefined) fields.last_change_uptime_s = s.lastChangeTicks / 100;
  if (s.speedBps !== undefined) fields.speed_bps = s.speedBps;
  addInterfaceTags(dev, s.index, fields);
  (e.snmp as Record<string, unknown>).interface = fields;
  return e;
}

/** Interface measurements above the poller's thresholds, one event per kind per poll while they stay above. */
export type InterfaceThresholdAction = 'interface-utilization-high' | 'interface-errors-high' | 'interface-discards-high';

export function interfaceThresholdEvent(dev: DeviceIdentity, s: InterfaceSample, action: InterfaceThresholdAction, values: Record<string, number>, threshold: number, at: number): EcsEvent {
  const what = action === 'interface-utilization-high' ? 'utilisation' : action === 'interface-errors-high' ? 'error rate' : 'discard rate';
  const unit = action === 'interface-utilization-high' ? '%' : '/s';
  const worst = Math.max(...Object.values(values));
  const e = base(dev, at, 'snmp.interface', action, `interface ${ifName(s)} on ${dev.name}: ${what} ${round(worst)}${unit} above ${threshold}${unit}`);
  e.event.kind = 'metric';
  e.event.category = ['network'];
  e.event.type = ['info'];
  const iface: NonNullable<EcsEvent['interface']> = { id: String(s.index) };
  if (s.name !== undefined || s.descr !== undefined) iface.name = s.name ?? s.descr;
  if (s.alias !== undefined) iface.alias = s.alias;
  e.interface = iface;
  const fields: Record<string, unknown> = { index: s.index, threshold };
  for (const [k, v] of Object.entries(values)) fields[k] = round(v);
  if (s.speedBps !== undefined) fields.speed_bps = s.speedBps;
  addInterfaceTags(dev, s.index, fields);
  (e.snmp as Record<string, unknown>).interface = fields;
  return e;
}

function addInterfaceTags(dev: DeviceIdentity, index: number, fields: Record<string, unknown>): void {
  const tags = dev.interfaceTags?.[String(index)];
  if (tags !== undefined && tags.length > 0) fields.tags = [...tags];
}

/** device-cpu-high / device-memory-high: a device measurement above its threshold, per poll while above. */
export function deviceThresholdEvent(dev: DeviceIdentity, action: 'device-cpu-high' | 'device-memory-high', valuePct: number, thresholdPct: number, at: number): EcsEvent {
  const what = action === 'device-cpu-high' ? 'CPU load' : 'memory use';
  const e = base(dev, at, 'snmp.device', action, `device ${dev.name} (${dev.address}): ${what} ${round(valuePct)}% above ${thresholdPct}%`);
  e.event.kind = 'metric';
  e.event.type = ['info'];
  Object.assign(deviceFields(e), action === 'device-cpu-high' ? { cpu_load_pct: round(valuePct) } : { memory_used_pct: round(valuePct) }, { threshold_pct: thresholdPct });
  return e;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function formatUptime(ticks: number): string {
  const s = Math.floor(ticks / 100);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d > 0 ? `${d}d ${h}h ${m}m` : h > 0 ? `${h}h ${m}m` : `${m}m ${s % 60}s`;
}
