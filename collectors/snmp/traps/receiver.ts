/**
 * The SNMP trap and inform receiver: net-snmp's Receiver decodes SNMPv1, v2c and v3 (USM
 * authentication and privacy) on a socket socnoc owns (trap-socket.ts); each accepted trap becomes
 * an ECS event offered to the pipeline. Informs are acknowledged only when the event was queued.
 * Everything refused is counted by reason on the `snmp/traps` input; nothing a datagram holds can
 * throw out of here.
 */
import type { RemoteInfo } from 'node:dgram';
import { createReceiver, type User } from 'net-snmp';
import type { Logger } from 'pino';
import type { Metrics } from '../../../core/metrics';
import type { IngestSink } from '../../../core/pipeline/types';
import type { AgencyResolver } from '../../../core/tenancy';
import type { SnmpTrapConfig, TrapUserConfig } from '../config';
import { buildOidNames, type OidNames } from '../mib';
import { DES_UNSUPPORTED_HINT, desSupported, toNetSnmpUser, type UsmCredentials } from '../usm';
import { checkBerEnvelope } from './ber-envelope';
import { classifyReceiverError } from './rejections';
import { addDeviceContext, type TrapDeviceLookup } from './trap-device';
import { buildTrapEvent, trapAgentAddress } from './trap-event';
import { readTrapMessage } from './trap-pdu';
import { TrapSocket } from './trap-socket';

export interface SnmpTrapReceiverDeps {
  sink: IngestSink;
  agencies: AgencyResolver;
  metrics: Metrics;
  logger: Logger;
  /** A prepared OID name table; built from config.mibDirs at start when absent. */
  names?: OidNames;
  /** The polled device at an address: its traps get its inventory identity and interface tags. */
  devices?: TrapDeviceLookup;
}

export interface SnmpTrapReceiver {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Address actually bound (port 0 in tests picks a free one). */
  address(): { address: string; port: number };
  /** Our SNMP engine ID in hex (authoritative for v3 informs). */
  engineId(): string;
}

/** The parts of net-snmp's Receiver used here (the package types it as `any`). */
interface NetSnmpReceiver {
  getAuthorizer(): { addCommunity(community: string): void; addUser(user: User): void };
  engine?: { engineID?: Buffer };
}

export function trapUserCredentials(u: TrapUserConfig): UsmCredentials {
  const c: UsmCredentials = { name: u.name };
  if (u.authProtocol !== undefined && u.authKey !== undefined) c.auth = { protocol: u.authProtocol, password: u.authKey };
  if (u.privProtocol !== undefined && u.privKey !== undefined) c.priv = { protocol: u.privProtocol, password: u.privKey };
  return c;
}

export function createSnmpTrapReceiver(deps: SnmpTrapReceiverDeps, config: SnmpTrapConfig): SnmpTrapReceiver {
  const log = deps.logger.child({ component: 'snmp-traps' });
  const stats = deps.metrics.input('snmp/traps');
  const userNames = new Set(config.users.map((u) => u.name));
  let names: OidNames | undefined = deps.names;
  let socket: TrapSocket | undefined;
  let receiver: NetSnmpReceiver | undefined;

  const refuse = (reason: string, peer: string, detail: string): void => {
    socket?.refuseCurrent();
    stats.received++;
    stats.fail(reason);
    log.debug({ peer, reason, detail }, 'snmp trap refused');
  };

  function onReceiverCallback(err: unknown, data: unknown): void {
    if (err) {
      const rinfo = (err as { rinfo?: RemoteInfo }).rinfo;
      refuse(classifyReceiverError(err), rinfo !== undefined ? `${rinfo.address}:${rinfo.port}` : '-', (err as Error).message);
      return;
    }
    const trap = readTrapMessage(data);
    if (typeof trap === 'string') {
      refuse('malformed', '-', trap);
      return;
    }
    const peer = `${trap.sender.address}:${trap.sender.port}`;
    // net-snmp lets SNMPv3 messages from the empty user (noAuthNoPriv) through; socnoc accepts only
    // configured users, as it accepts only configured communities.
    if (trap.version === '3' && (trap.user === undefined || !userNames.has(trap.user))) {
      refuse('unknown_user', peer, `SNMPv3 user "${trap.user ?? ''}" is not configured`);
      return;
    }
    const agent = trapAgentAddress(trap);
    const organization =
      deps.agencies.bySource(trap.sender.address) ??
      (agent !== trap.sender.address ? deps.agencies.bySource(agent) : undefined) ??
      deps.agencies.resolve(trap.sender.address, config.agency);
    const event = buildTrapEvent(trap, names as OidNames, { receivedAt: Date.now(), organization });
    if (deps.devices !== undefined) {
      const device = deps.devices(agent) ?? (agent !== trap.sender.address ? deps.devices(trap.sender.address) : undefined);
      if (device !== undefined) addDeviceContext(event, device);
    }
    stats.received++;
    if (deps.sink.offer(event, stats)) {
      stats.parsed++;
    } else {
      socket?.refuseCurrent(); // an inform stays unacknowledged, so the sender retries it
      stats.drop('queue_full');
    }
  }

  return {
    async start() {
      if (!config.enabled || socket !== undefined) return;
      if (names === undefined) {
        const built = buildOidNames(config.mibDirs, { debug: (m) => log.debug(m) });
        names = built.names;
        for (const p of built.load.problems) log.warn({ mibDirs: config.mibDirs }, p);
        if (config.mibDirs.length > 0) log.info({ modules: built.load.modules.length, names: names.size }, 'MIB files loaded');
      }
      const s = new TrapSocket({
        screen: (msg, rinfo) => {
          const bad = checkBerEnvelope(msg);
          if (bad === undefined) return true;
          refuse('malformed', `${rinfo.address}:${rinfo.port}`, bad);
          return false;
        },
        onHandlerError: (err, rinfo) => {
          stats.received++;
          stats.fail('handler_error');
          log.warn({ peer: `${rinfo.address}:${rinfo.port}`, err: err.message }, 'snmp trap handling failed');
        },
        onSocketError: (err) => {
          stats.fail('socket_error');
          log.warn({ err: err.message }, 'snmp trap socket error');
        },
        onSendError: (err, address, port) => log.debug({ peer: `${address}:${port}`, err: err.message }, 'snmp inform acknowledgement not sent'),
      });
      let fellBack: boolean;
      try {
        ({ fellBackToIPv4: fellBack } = await s.bind(config.host, config.port, config.receiveBufferBytes));
      } catch (err) {
        throw new Error(`snmp trap receiver: cannot bind udp ${config.host}:${config.port}: ${(err as Error).message}`, { cause: err });
      }
      if (fellBack) log.warn({ port: config.port }, 'IPv6 unavailable: snmp trap receiver listens on 0.0.0.0 only');
      const bound = s.address();
      const options: Record<string, unknown> = {
        port: bound.port,
        transport: bound.family === 'IPv6' ? 'udp6' : 'udp4',
        includeAuthentication: true,
        dgramModule: s.netSnmpDgramModule(),
      };
      if (config.engineId !== undefined) options.engineID = config.engineId;
      const r = createReceiver(options, onReceiverCallback) as NetSnmpReceiver;
      const authorizer = r.getAuthorizer();
      for (const c of config.communities) authorizer.addCommunity(c);
      for (const u of config.users) {
        authorizer.addUser(toNetSnmpUser(trapUserCredentials(u)));
        if (u.privProtocol === 'des' && !desSupported()) log.warn({ user: u.name }, `SNMPv3 trap user uses DES; its traps will count as decrypt_failed. ${DES_UNSUPPORTED_HINT}`);
      }
      socket = s;
      receiver = r;
      log.info(
        { address: bound.address, port: bound.port, communities: config.communities.length, users: config.users.length, engineId: this.engineId() },
        'snmp trap receiver started',
      );
      if (s.getRecvBufferSize() < config.receiveBufferBytes) {
        log.warn({ granted: s.getRecvBufferSize(), requested: config.receiveBufferBytes }, 'UDP receive buffer smaller than requested; raise net.core.rmem_max');
      }
    },
    async stop() {
      const s = socket;
      socket = undefined;
      receiver = undefined;
      if (s !== undefined) await s.close();
    },
    address() {
      const a = socket?.address();
      return a !== undefined && a.port !== 0 ? { address: a.address, port: a.port } : { address: config.host, port: config.port };
    },
    engineId() {
      return receiver?.engine?.engineID?.toString('hex') ?? '';
    },
  };
}
