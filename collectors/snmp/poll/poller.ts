/**
 * The SNMP poller: every device of the DeviceSource is polled on its interval through the
 * scheduler (bounded, with a separate lane for devices already down); each poll is bounded by a
 * deadline after which its requests are cancelled. Answers update the device's read model
 * (status, system group, interface rates, CPU, storage); state changes (device down/up, agent
 * restart, interface oper status) become events offered to the pipeline, kept and re-offered when
 * the queue is full rather than lost.
 */
import type { Session } from 'net-snmp';
import type { Logger } from 'pino';
import type { EcsEvent } from '../../../core/event';
import type { Metrics } from '../../../core/metrics';
import type { IngestSink } from '../../../core/pipeline/types';
import type { AgencyResolver } from '../../../core/tenancy';
import type { SnmpPollerConfig } from '../config';
import { allInterfacesHaveHcCounters, pollDevice } from './device-poll';
import type { DeviceSource, PollDevice } from './device-source';
import { interfaceStatus, meanLoad, memoryUsedPct, storageStatus, type DeviceStatus } from './device-status';
import { deviceRates } from './rates';
import { Reachability, type DeviceStatusName } from './reachability';
import { interfaceStatusChanges } from './interface-changes';
import { PollScheduler } from './scheduler';
import { openSession } from './session';
import { deviceRestartEvent, deviceStateEvent, interfaceStateEvent, type DeviceIdentity } from './state-events';
import { thresholdEvents } from './thresholds';
import type { DeviceSample, InterfaceRates, InterfaceSample } from './types';

export interface SnmpPollerDeps {
  sink: IngestSink;
  agencies: AgencyResolver;
  metrics: Metrics;
  logger: Logger;
  devices: DeviceSource;
}

/** What each poll produced, for listeners such as the metrics store. */
export interface PollReport {
  deviceId: string;
  organizationId: string;
  /** Wall-clock time of the poll's end, epoch ms. */
  at: number;
  ok: boolean;
  /** The device's status after this poll. */
  status: DeviceStatusName;
  durationMs: number;
  error?: string;
  sample?: DeviceSample;
  rates?: ReadonlyMap<number, InterfaceRates>;
  restarted?: boolean;
}

/** A polled device as the trap receiver needs it: who it is and its interfaces at the last poll. */
export interface PolledDevice {
  identity: Readonly<DeviceIdentity>;
  /** The last answered poll's interfaces by ifIndex; empty before the first. */
  interfaces: ReadonlyMap<number, InterfaceSample>;
}

export interface SnmpPoller {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Read model of every device, for the API. */
  devices(): DeviceStatus[];
  device(id: string): DeviceStatus | undefined;
  /** Re-reads the DeviceSource (also done when it signals a change). */
  reload(): Promise<void>;
  /** Polls one device now, outside its schedule (tests, "poll now" in the console). */
  pollNow(id: string): Promise<void>;
  onPoll(listener: (report: PollReport) => void): () => void;
  /** The device polled at this address (any port), for enriching its traps; undefined when none. */
  deviceAt(address: string): PolledDevice | undefined;
}

const NO_INTERFACES: ReadonlyMap<number, InterfaceSample> = new Map();

interface DeviceState {
  device: PollDevice;
  fingerprint: string;
  identity: DeviceIdentity;
  session?: Session;
  reach: Reachability;
  last?: DeviceSample;
  rates: ReadonlyMap<number, InterfaceRates>;
  skip32BitTraffic: boolean;
  lastPollWall?: number;
  lastError?: string;
  pollMs?: number;
  polling?: Promise<void>;
}

/** Pending state events are kept up to this many while the pipeline is full; older ones go first. */
const MAX_PENDING_EVENTS = 10_000;

export function createSnmpPoller(deps: SnmpPollerDeps, config: SnmpPollerConfig): SnmpPoller {
  const log = deps.logger.child({ component: 'snmp-poller' });
  const stats = deps.metrics.input('snmp/poll');
  const states = new Map<string, DeviceState>();
  /** Device id by address, for traps (several devices on one address: the first by name wins). */
  const byAddress = new Map<string, string>();
  const listeners = new Set<(r: PollReport) => void>();
  const pending: EcsEvent[] = [];
  let waitingForDrain = false;
  let unsubscribe: (() => void) | undefined;
  let started = false;
  const scheduler = new PollScheduler({
    concurrency: { live: config.concurrency, down: config.downConcurrency },
    spreadStart: config.spreadStart,
    onOverrun: (id) => log.debug({ device: id }, 'poll still running at its next turn; turn skipped'),
    onError: (id, err) => log.error({ device: id, err: (err as Error).message }, 'poll failed unexpectedly'),
  });

  function emit(event: EcsEvent): void {
    if (pending.length === 0 && deps.sink.offer(event, stats)) return;
    if (pending.length >= MAX_PENDING_EVENTS) {
      pending.shift();
      stats.drop('queue_full');
    }
    pending.push(event);
    waitForDrain();
  }

  function flushPending(): void {
    while (pending.length > 0) {
      if (!deps.sink.offer(pending[0], stats)) {
        waitForDrain();
        return;
      }
      pending.shift();
    }
  }

  function waitForDrain(): void {
    if (waitingForDrain) return;
    waitingForDrain = true;
    deps.sink.onDrain(() => {
      waitingForDrain = false;
      flushPending();
    });
  }

  function identityOf(d: PollDevice): DeviceIdentity {
    const org = (d.agency !== undefined ? deps.agencies.get(d.agency) : undefined) ?? deps.agencies.resolve(d.address);
    const id: DeviceIdentity = { id: d.id, name: d.name, address: d.address, organization: { id: org.id, name: org.name }, tags: d.tags };
    if (d.parent !== undefined) id.parent = d.parent;
    if (d.interfaceTags !== undefined) id.interfaceTags = d.interfaceTags;
    return id;
  }

  /** Parent names for messages, once every device is known. */
  function nameParents(): void {
    for (const s of states.values()) {
      const p = s.device.parent !== undefined ? states.get(s.device.parent) : undefined;
      if (p !== undefined) s.identity.parentName = p.device.name;
      else delete s.identity.parentName;
    }
  }

  function closeSession(state: DeviceState): void {
    const s = state.session;
    state.session = undefined;
    if (s === undefined) return;
    try {
      s.close();
    } catch {
      // already closed
    }
  }

  function sessionOf(state: DeviceState): Session {
    if (state.session === undefined) {
      const s = openSession(state.device, { timeoutMs: config.timeoutMs, retries: config.retries });
      s.on('error', (err) => log.debug({ device: state.device.id, err: err.message }, 'snmp session error'));
      state.session = s;
    }
    return state.session;
  }

  function deadlineMs(d: PollDevice): number {
    const oneRequest = config.timeoutMs * (config.retries + 1);
    return Math.max(oneRequest * 2, Math.floor(d.intervalSeconds * 1000 * 0.9));
  }

  async function pollOnce(state: DeviceState): Promise<void> {
    const started = performance.now();
    let sample: DeviceSample | undefined;
    let error: string | undefined;
    try {
      const session = sessionOf(state);
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          session.cancelRequests(new Error('poll deadline passed'));
          reject(new Error(`poll did not finish within ${deadlineMs(state.device)} ms`));
        }, deadlineMs(state.device));
      });
      try {
        sample = await Promise.race([pollDevice(session, { maxRepetitions: config.maxRepetitions, skip32BitTraffic: state.skip32BitTraffic }), deadline]);
      } finally {
        clearTimeout(timer);
      }
    } catch (err) {
      error = (err as Error).message;
      // A fresh session next time: v3 engine discovery again, no stale requests.
      closeSession(state);
    }
    const wallNow = Date.now();
    const durationMs = performance.now() - started;
    state.lastPollWall = wallNow;
    state.pollMs = durationMs;
    stats.received++;
    if (sample === undefined) {
      state.lastError = error;
      stats.fail(error !== undefined && /timed? ?out|deadline/i.test(error) ? 'timeout' : 'error');
      const parentFailing = state.reach.atThreshold ? await parentIsFailing(state) : false;
      const change = state.reach.missedPoll(parentFailing);
      if (change !== undefined) {
        log.warn({ device: state.device.id, missed: change.missed, status: change.to, err: error }, change.to === 'unreachable' ? 'device unreachable behind its parent' : 'device down');
        emit(deviceStateEvent(state.identity, change, wallNow, error));
      }
      notify({ deviceId: state.device.id, organizationId: state.identity.organization.id, at: wallNow, ok: false, status: state.reach.status, durationMs, error });
      return;
    }
    stats.parsed++;
    state.lastError = sample.errors.length > 0 ? sample.errors.join('; ') : undefined;
    if (sample.system.name !== undefined) state.identity.sysName = sample.system.name;
    const change = state.reach.answered();
    if (change !== undefined && (change.from === 'down' || change.from === 'unreachable')) {
      log.info({ device: state.device.id }, 'device up again');
      emit(deviceStateEvent(state.identity, change, wallNow));
    }
    const rates = deviceRates(state.last, sample);
    const prev = state.last;
    if (rates.restarted && prev?.system.uptimeTicks !== undefined && sample.system.uptimeTicks !== undefined) {
      emit(deviceRestartEvent(state.identity, prev.system.uptimeTicks, sample.system.uptimeTicks, wallNow));
    }
    if (prev !== undefined) for (const c of interfaceStatusChanges(prev, sample, rates.restarted)) emit(interfaceStateEvent(state.identity, c, wallNow));
    for (const e of thresholdEvents(state.identity, sample, rates.interfaces, config.thresholds, wallNow)) emit(e);
    state.last = sample;
    state.rates = rates.interfaces;
    state.skip32BitTraffic = allInterfacesHaveHcCounters(sample);
    notify({ deviceId: state.device.id, organizationId: state.identity.organization.id, at: wallNow, ok: true, status: 'up', durationMs, sample, rates: rates.interfaces, restarted: rates.restarted });
  }

  /**
   * Whether the device's parent (or its parent, up the chain) is failing: already down or
   * unreachable, missing polls now, or — not polled since — failing a poll made now. Asked only
   * when a child is about to be declared, so its parent's state is current when it matters.
   */
  async function parentIsFailing(state: DeviceState): Promise<boolean> {
    const parentId = state.device.parent;
    if (parentId === undefined) return false;
    const parent = states.get(parentId);
    if (parent === undefined) return false;
    if (parent.reach.failing || parent.reach.missed > 0) return true;
    await poll(parent);
    return parent.reach.failing || parent.reach.missed > 0;
  }

  function notify(report: PollReport): void {
    for (const l of listeners) {
      try {
        l(report);
      } catch (err) {
        log.error({ err: (err as Error).message }, 'poll listener failed');
      }
    }
  }

  /** One poll at a time per device, whether scheduled or asked for. */
  function poll(state: DeviceState): Promise<void> {
    if (state.polling === undefined) {
      state.polling = pollOnce(state).finally(() => {
        state.polling = undefined;
      });
    }
    return state.polling;
  }

  function fingerprint(d: PollDevice): string {
    return JSON.stringify([d.address, d.port, d.intervalSeconds, d.agency, d.parent, d.tags, d.snmp, d.name, d.interfaceTags]);
  }

  async function reload(): Promise<void> {
    let list: PollDevice[];
    try {
      list = await deps.devices.list();
    } catch (err) {
      log.error({ err: (err as Error).message }, 'cannot read the device list; keeping the current one');
      return;
    }
    const seen = new Set<string>();
    for (const d of list) {
      seen.add(d.id);
      const fp = fingerprint(d);
      const existing = states.get(d.id);
      if (existing !== undefined && existing.fingerprint === fp) continue;
      if (existing !== undefined) {
        scheduler.remove(d.id);
        closeSession(existing);
      }
      const state: DeviceState = {
        device: d,
        fingerprint: fp,
        identity: identityOf(d),
        reach: existing?.reach ?? new Reachability(config.downAfterMisses),
        rates: new Map(),
        skip32BitTraffic: false,
      };
      // The same agent under edited settings (tags, name, credentials): keep what the last poll
      // learned, so rates continue and the API and trap enrichment still see its interfaces.
      if (existing !== undefined && existing.device.address === d.address && existing.device.port === d.port) {
        state.last = existing.last;
        state.rates = existing.rates;
        state.skip32BitTraffic = existing.skip32BitTraffic;
        state.lastPollWall = existing.lastPollWall;
        state.lastError = existing.lastError;
        state.pollMs = existing.pollMs;
        if (existing.identity.sysName !== undefined) state.identity.sysName = existing.identity.sysName;
      }
      states.set(d.id, state);
      scheduler.add({ id: d.id, intervalMs: d.intervalSeconds * 1000, lane: () => (state.reach.failing ? 'down' : 'live'), run: () => poll(state) });
    }
    for (const [id, state] of states) {
      if (seen.has(id)) continue;
      scheduler.remove(id);
      closeSession(state);
      states.delete(id);
    }
    nameParents();
    byAddress.clear();
    for (const s of states.values()) if (!byAddress.has(s.device.address)) byAddress.set(s.device.address, s.device.id);
  }

  function snapshot(state: DeviceState): DeviceStatus {
    const d = state.device;
    const s = state.last;
    const out: DeviceStatus = {
      id: d.id,
      name: d.name,
      address: d.address,
      status: state.reach.status,
      organization: { id: state.identity.organization.id },
      tags: [...d.tags],
      sys: {},
      missed_polls: state.reach.missed,
      storage: [],
      interfaces: [],
    };
    if (d.parent !== undefined) out.parent = d.parent;
    if (state.lastPollWall !== undefined) out.last_poll = new Date(state.lastPollWall).toISOString();
    if (state.lastError !== undefined) out.last_error = state.lastError;
    if (state.pollMs !== undefined) out.poll_ms = Math.round(state.pollMs);
    if (s !== undefined) {
      const sys = s.system;
      if (sys.name !== undefined) out.sys.name = sys.name;
      if (sys.descr !== undefined) out.sys.descr = sys.descr;
      if (sys.uptimeTicks !== undefined) out.sys.uptime_s = sys.uptimeTicks / 100;
      if (sys.objectId !== undefined) out.sys.object_id = sys.objectId;
      if (sys.location !== undefined) out.sys.location = sys.location;
      if (sys.contact !== undefined) out.sys.contact = sys.contact;
      const cpu = meanLoad(s.processorLoads);
      if (cpu !== undefined) out.cpu_load_pct = cpu;
      out.storage = storageStatus(s);
      const ram = out.storage.find((x) => x.type === 'ram');
      if (ram !== undefined) out.memory = ram;
      const memPct = memoryUsedPct(s);
      if (memPct !== undefined) out.memory_used_pct = memPct;
      for (const i of s.interfaces.values()) out.interfaces.push(interfaceStatus(i, state.rates.get(i.index), d.interfaceTags?.[String(i.index)]));
    }
    return out;
  }

  return {
    async start() {
      if (!config.enabled || started) return;
      started = true;
      await reload();
      unsubscribe = deps.devices.subscribe(() => void reload());
      scheduler.start();
      log.info({ devices: states.size, concurrency: config.concurrency }, 'snmp poller started');
    },
    async stop() {
      started = false;
      unsubscribe?.();
      unsubscribe = undefined;
      await scheduler.stop();
      await Promise.allSettled([...states.values()].map((s) => s.polling));
      for (const s of states.values()) closeSession(s);
    },
    devices: () => [...states.values()].map(snapshot),
    device: (id) => {
      const s = states.get(id);
      return s !== undefined ? snapshot(s) : undefined;
    },
    reload,
    async pollNow(id) {
      const s = states.get(id);
      if (s === undefined) throw new Error(`snmp poller: no device "${id}"`);
      await poll(s);
    },
    onPoll(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    deviceAt(address) {
      const id = byAddress.get(address);
      const s = id !== undefined ? states.get(id) : undefined;
      return s !== undefined ? { identity: s.identity, interfaces: s.last?.interfaces ?? NO_INTERFACES } : undefined;
    },
  };
}
