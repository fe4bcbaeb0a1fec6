/**
 * A scripted SNMP agent (net-snmp's Agent) for poller tests that need counters to move exactly as
 * the test says: wraps, resets, reboots, links going down or flapping between polls (ifLastChange). It serves the system group, ifTable
 * and ifXTable (with Counter64 HC columns) for the interfaces given, on 127.0.0.1.
 */
import { createAgent, MaxAccess, MibProviderType, ObjectType } from 'net-snmp';
import { freeUdpPort } from './peers';

export interface ScriptedInterface {
  index: number;
  name: string;
  speed: number;
  highSpeed: number;
  admin: number;
  oper: number;
  /** ifLastChange (sysUpTime ticks when `oper` last changed); 0 when left out. */
  lastChange?: number;
  inOctets32: number;
  outOctets32: number;
  inErrors: number;
  inDiscards: number;
  hcInOctets: bigint;
  hcOutOctets: bigint;
  /** false: the agent has no ifXTable row for it (a 32-bit-only interface). */
  hc: boolean;
}

interface NetSnmpMib {
  registerProvider(p: unknown): void;
  setScalarValue(name: string, value: unknown): void;
  addTableRow(name: string, row: unknown[]): void;
  setTableSingleCell(name: string, column: number, rowIndex: unknown[], value: unknown): void;
}
interface NetSnmpAgent {
  getMib(): NetSnmpMib;
  close(): void;
}

const RO = MaxAccess['read-only'];

function u64(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt.asUintN(64, n));
  return b;
}

const IF_COLUMNS = [
  { number: 1, name: 'ifIndex', type: ObjectType.Integer, maxAccess: RO },
  { number: 2, name: 'ifDescr', type: ObjectType.OctetString, maxAccess: RO },
  { number: 3, name: 'ifType', type: ObjectType.Integer, maxAccess: RO },
  { number: 5, name: 'ifSpeed', type: ObjectType.Gauge, maxAccess: RO },
  { number: 7, name: 'ifAdminStatus', type: ObjectType.Integer, maxAccess: RO },
  { number: 8, name: 'ifOperStatus', type: ObjectType.Integer, maxAccess: RO },
  { number: 9, name: 'ifLastChange', type: ObjectType.TimeTicks, maxAccess: RO },
  { number: 10, name: 'ifInOctets', type: ObjectType.Counter, maxAccess: RO },
  { number: 13, name: 'ifInDiscards', type: ObjectType.Counter, maxAccess: RO },
  { number: 14, name: 'ifInErrors', type: ObjectType.Counter, maxAccess: RO },
  { number: 16, name: 'ifOutOctets', type: ObjectType.Counter, maxAccess: RO },
];
const IFX_COLUMNS = [
  { number: 1, name: 'ifName', type: ObjectType.OctetString, maxAccess: RO },
  { number: 6, name: 'ifHCInOctets', type: ObjectType.Counter64, maxAccess: RO },
  { number: 10, name: 'ifHCOutOctets', type: ObjectType.Counter64, maxAccess: RO },
  { number: 15, name: 'ifHighSpeed', type: ObjectType.Gauge, maxAccess: RO },
];

export class ScriptedAgent {
  private constructor(
    readonly port: number,
    private readonly agent: NetSnmpAgent,
    private readonly mib: NetSnmpMib,
    readonly interfaces: Map<number, ScriptedInterface>,
  ) {}

  static async start(sysName: string, interfaces: ScriptedInterface[], uptimeTicks: number): Promise<ScriptedAgent> {
    const port = await freeUdpPort();
    const agent = createAgent({ port, address: '127.0.0.1', transport: 'udp4', disableAuthorization: true }, () => undefined) as NetSnmpAgent;
    const mib = agent.getMib();
    const scalar = (name: string, oid: string, scalarType: ObjectType): void => mib.registerProvider({ name, type: MibProviderType.Scalar, oid, scalarType, maxAccess: RO });
    scalar('sysDescr', '1.3.6.1.2.1.1.1', ObjectType.OctetString);
    scalar('sysObjectID', '1.3.6.1.2.1.1.2', ObjectType.OID);
    scalar('sysUpTime', '1.3.6.1.2.1.1.3', ObjectType.TimeTicks);
    scalar('sysName', '1.3.6.1.2.1.1.5', ObjectType.OctetString);
    mib.setScalarValue('sysDescr', 'Cisco IOS Software, C3750E Software (C3750E-UNIVERSALK9-M), Version 15.2(4)E10');
    mib.setScalarValue('sysObjectID', '1.3.6.1.4.1.9.1.1208');
    mib.setScalarValue('sysUpTime', uptimeTicks);
    mib.setScalarValue('sysName', sysName);
    mib.registerProvider({ name: 'ifEntry', type: MibProviderType.Table, oid: '1.3.6.1.2.1.2.2.1', maxAccess: MaxAccess['not-accessible'], tableColumns: IF_COLUMNS, tableIndex: [{ columnName: 'ifIndex' }] });
    mib.registerProvider({ name: 'ifXEntry', type: MibProviderType.Table, oid: '1.3.6.1.2.1.31.1.1.1', maxAccess: MaxAccess['not-accessible'], tableColumns: IFX_COLUMNS, tableAugments: 'ifEntry' });
    const byIndex = new Map<number, ScriptedInterface>();
    for (const i of interfaces) {
      byIndex.set(i.index, i);
      mib.addTableRow('ifEntry', [i.index, i.name, 6, i.speed, i.admin, i.oper, i.lastChange ?? 0, i.inOctets32, i.inDiscards, i.inErrors, i.outOctets32]);
      if (i.hc) mib.addTableRow('ifXEntry', [i.index, i.name, u64(i.hcInOctets), u64(i.hcOutOctets), i.highSpeed]);
    }
    return new ScriptedAgent(port, agent, mib, byIndex);
  }

  setUptime(ticks: number): void {
    this.mib.setScalarValue('sysUpTime', ticks);
  }

  /** Applies a change to an interface and writes its cells. */
  update(index: number, change: Partial<ScriptedInterface>): void {
    const i = this.interfaces.get(index);
    if (i === undefined) throw new Error(`scripted agent: no interface ${index}`);
    Object.assign(i, change);
    const cell = (table: string, col: number, value: unknown): void => this.mib.setTableSingleCell(table, col, [index], value);
    cell('ifEntry', 7, i.admin);
    cell('ifEntry', 8, i.oper);
    cell('ifEntry', 9, i.lastChange ?? 0);
    cell('ifEntry', 10, i.inOctets32 >>> 0);
    cell('ifEntry', 13, i.inDiscards >>> 0);
    cell('ifEntry', 14, i.inErrors >>> 0);
    cell('ifEntry', 16, i.outOctets32 >>> 0);
    if (i.hc) {
      cell('ifXEntry', 6, u64(i.hcInOctets));
      cell('ifXEntry', 10, u64(i.hcOutOctets));
    }
  }

  close(): void {
    this.agent.close();
  }
}
