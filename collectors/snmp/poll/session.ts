/** net-snmp sessions for a device's credentials (v1, v2c, v3 USM), and promise wrappers for GET and column walks. */
import { isIPv6 } from 'node:net';
import { createSession, createV3Session, Version1, Version2c, type Session, type Varbind } from 'net-snmp';
import { isExceptionType } from '../values';
import { DES_UNSUPPORTED_HINT, desSupported, toNetSnmpUser } from '../usm';
import type { PollDevice } from './device-source';

export interface SessionTiming {
  timeoutMs: number;
  retries: number;
}

/** Opens a session (one UDP socket). Throws, naming the device, for credentials this runtime cannot use. */
export function openSession(device: PollDevice, timing: SessionTiming): Session {
  const transport = isIPv6(device.address) ? 'udp6' : 'udp4';
  // backoff 1: retries wait the same timeout; the poll deadline bounds the total anyway.
  const common = { port: device.port, timeout: timing.timeoutMs, retries: timing.retries, transport, backoff: 1 } as const;
  const snmp = device.snmp;
  if (snmp.version === '3') {
    if (snmp.priv?.protocol === 'des' && !desSupported()) throw new Error(`device ${device.name}: ${DES_UNSUPPORTED_HINT}`);
    const user = toNetSnmpUser({ name: snmp.user, auth: snmp.auth, priv: snmp.priv });
    return createV3Session(device.address, user, { ...common, context: snmp.context });
  }
  return createSession(device.address, snmp.community, { ...common, version: snmp.version === '1' ? Version1 : Version2c });
}

export function snmpGet(session: Session, oids: readonly string[]): Promise<Varbind[]> {
  return new Promise((resolve, reject) => {
    session.get([...oids], (err, varbinds) => {
      if (err) reject(err);
      else resolve(varbinds ?? []);
    });
  });
}

/** Table rows by integer index → column number → raw value (Buffers for strings and Counter64). */
export type TableRows = Map<number, Map<number, unknown>>;

/** Walks one column with subtree() (GETBULK on v2c/v3, GETNEXT on v1), bounded to the column. */
function walkColumn(session: Session, columnOid: string, column: number, maxRepetitions: number, rows: TableRows): Promise<void> {
  const prefixLength = columnOid.length + 1;
  return new Promise((resolve, reject) => {
    session.subtree(
      columnOid,
      maxRepetitions,
      (varbinds: Varbind[]) => {
        for (const vb of varbinds) {
          // Some agents answer a GETBULK on a column they lack with noSuchInstance instead of the
          // next OID: that ends this column, not the whole table.
          if (isExceptionType(vb.type)) return true;
          const index = Number(vb.oid.slice(prefixLength));
          if (!Number.isInteger(index) || index < 0) continue; // multi-arc index: not a table polled here
          let row = rows.get(index);
          if (row === undefined) {
            row = new Map();
            rows.set(index, row);
          }
          row.set(column, vb.value);
        }
        return undefined;
      },
      (err) => (err ? reject(err) : resolve()),
    );
  });
}

/**
 * Walks the given columns of a table, one column after the other, each bounded to its subtree
 * (unlike net-snmp's walk(), which runs past the table). A column the agent lacks is skipped;
 * a timeout or error response fails the walk.
 */
export async function walkColumns(session: Session, tableOid: string, columns: readonly number[], maxRepetitions: number): Promise<TableRows> {
  const rows: TableRows = new Map();
  for (const column of columns) await walkColumn(session, `${tableOid}.1.${column}`, column, maxRepetitions, rows);
  return rows;
}
