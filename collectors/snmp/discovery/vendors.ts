/**
 * Vendor from sysObjectID: the IANA Private Enterprise Number after 1.3.6.1.4.1. A small table of
 * the vendors found in government networks; an unknown number is reported as `enterprise <n>`.
 */

const ENTERPRISES_PREFIX = '1.3.6.1.4.1.';

const VENDORS: ReadonlyMap<number, string> = new Map([
  [2, 'IBM'],
  [9, 'Cisco'],
  [11, 'HP'],
  [14823, 'Aruba'],
  [47196, 'HPE Aruba'],
  [25506, 'H3C'],
  [2636, 'Juniper'],
  [12356, 'Fortinet'],
  [25461, 'Palo Alto Networks'],
  [14988, 'MikroTik'],
  [2011, 'Huawei'],
  [8072, 'Net-SNMP'],
  [311, 'Microsoft'],
  [6876, 'VMware'],
  [674, 'Dell'],
  [6027, 'Dell EMC Networking'],
  [1916, 'Extreme Networks'],
  [1991, 'Brocade'],
  [3375, 'F5'],
  [2620, 'Check Point'],
  [30065, 'Arista'],
  [3902, 'ZTE'],
  [4526, 'Netgear'],
  [171, 'D-Link'],
  [11863, 'TP-Link'],
  [41112, 'Ubiquiti'],
  [890, 'Zyxel'],
  [6486, 'Alcatel-Lucent'],
  [8741, 'SonicWall'],
  [2604, 'Sophos'],
  [10704, 'Barracuda'],
  [12325, 'pfSense'],
  [8886, 'Ruijie'],
  [4881, 'Ruijie'],
  [18334, 'Konica Minolta'],
  [1602, 'Canon'],
  [367, 'Ricoh'],
  [318, 'APC'],
  [534, 'Eaton'],
]);

/** The enterprise number of an OID under 1.3.6.1.4.1, or undefined. */
export function enterpriseNumber(sysObjectId: string): number | undefined {
  if (!sysObjectId.startsWith(ENTERPRISES_PREFIX)) return undefined;
  const rest = sysObjectId.slice(ENTERPRISES_PREFIX.length);
  const dot = rest.indexOf('.');
  const n = Number(dot === -1 ? rest : rest.slice(0, dot));
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

export function vendorOf(sysObjectId: string | undefined): string | undefined {
  if (sysObjectId === undefined) return undefined;
  const n = enterpriseNumber(sysObjectId);
  if (n === undefined) return undefined;
  return VENDORS.get(n) ?? `enterprise ${n}`;
}
