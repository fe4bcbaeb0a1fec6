/** One discovery probe: a GET of sysDescr, sysObjectID and sysName with one credential set. */
import type { PollDevice } from '../poll/device-source';
import { parseSystem } from '../poll/device-poll';
import { SYSTEM } from '../poll/oids';
import { openSession, snmpGet } from '../poll/session';
import type { DeviceSnmpConfig } from '../config';
import type { SystemInfo } from '../poll/types';

export interface ProbeTarget {
  address: string;
  port: number;
  snmp: DeviceSnmpConfig;
}

const PROBE_OIDS = [SYSTEM.descr, SYSTEM.objectId, SYSTEM.name];

/** The agent's system group, or undefined when it does not answer (timeout, wrong credentials). */
export async function probeSystem(target: ProbeTarget, timing: { timeoutMs: number; retries: number }): Promise<SystemInfo | undefined> {
  const device: PollDevice = { id: target.address, name: target.address, address: target.address, port: target.port, intervalSeconds: 60, tags: [], snmp: target.snmp };
  const session = openSession(device, timing);
  session.on('error', () => undefined);
  try {
    const info = parseSystem(await snmpGet(session, PROBE_OIDS));
    // An agent that answers with no system group at all (every varbind noSuchObject) is no device we can poll.
    return info.objectId !== undefined || info.descr !== undefined || info.name !== undefined ? info : undefined;
  } catch {
    return undefined;
  } finally {
    try {
      session.close();
    } catch {
      // already closed
    }
  }
}
