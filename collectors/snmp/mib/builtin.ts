/**
 * The MIB knowledge socnoc carries itself, because Debian and most appliances ship no IETF MIB
 * files: SNMPv2-SMI roots, SNMPv2-MIB system group and traps, IF-MIB ifTable/ifXTable and
 * linkUp/linkDown, HOST-RESOURCES-MIB storage/processor/device/software, SNMP-FRAMEWORK and USM
 * statistics, ENTITY-MIB, the routing/bridging/RMON/UPS notifications NOCs see most, and the Cisco,
 * Fortinet and Net-SNMP objects and traps of the devices socnoc monitors. Only object types are
 * listed; instances resolve by prefix (ifOperStatus.4). Users extend it with MIB files (mibDirs).
 */
import type { MibNode, MibNodeKind } from './types';

type Enums = Readonly<Record<number, string>>;

/** One table line: [arc under the parent, name, kind (default object), enums]. */
type Row = readonly [arc: number | string, name: string, kind?: MibNodeKind, enums?: Enums];

function under(module: string, parent: string, rows: readonly Row[], ifIndexed = false): MibNode[] {
  return rows.map(([arc, name, kind, enums]) => {
    const node: MibNode = { oid: `${parent}.${arc}`, name, module, kind: kind ?? 'object' };
    if (enums !== undefined) node.enums = enums;
    if (ifIndexed) node.ifIndexed = true;
    return node;
  });
}

/** Table columns numbered from 1, in order; `undefined` skips a column number. */
function columns(module: string, entryOid: string, names: readonly (string | undefined)[], enums: Record<string, Enums> = {}, ifIndexed = false): MibNode[] {
  const rows: Row[] = [];
  names.forEach((name, i) => {
    if (name !== undefined) rows.push([i + 1, name, 'object', enums[name]]);
  });
  return under(module, entryOid, rows, ifIndexed);
}

const N = 'node' as const;
const T = 'notification' as const;

const IF_ADMIN_STATUS: Enums = { 1: 'up', 2: 'down', 3: 'testing' };
const IF_OPER_STATUS: Enums = { 1: 'up', 2: 'down', 3: 'testing', 4: 'unknown', 5: 'dormant', 6: 'notPresent', 7: 'lowerLayerDown' };
const TRUTH_VALUE: Enums = { 1: 'true', 2: 'false' };
const ENABLED: Enums = { 1: 'enabled', 2: 'disabled' };
/** The IANAifType values seen on routers, switches, firewalls and servers. */
const IF_TYPE: Enums = {
  1: 'other', 6: 'ethernetCsmacd', 18: 'ds1', 22: 'propPointToPointSerial', 23: 'ppp', 24: 'softwareLoopback', 30: 'ds3',
  32: 'frameRelay', 37: 'atm', 39: 'sonet', 53: 'propVirtual', 62: 'fastEther', 71: 'ieee80211', 94: 'adsl', 117: 'gigabitEthernet',
  131: 'tunnel', 135: 'l2vlan', 136: 'l3ipvlan', 142: 'ipForward', 150: 'mplsTunnel', 161: 'ieee8023adLag', 166: 'mpls', 209: 'bridge',
};
const SYSLOG_SEVERITY: Enums = { 1: 'emergency', 2: 'alert', 3: 'critical', 4: 'error', 5: 'warning', 6: 'notice', 7: 'info', 8: 'debug' };
const CISCO_ENV_STATE: Enums = { 1: 'normal', 2: 'warning', 3: 'critical', 4: 'shutdown', 5: 'notPresent', 6: 'notFunctioning' };
const CCM_MEDIUM: Enums = { 1: 'erase', 2: 'commandSource', 3: 'running', 4: 'startup', 5: 'local', 6: 'networkTftp', 7: 'networkRcp', 8: 'networkFtp', 9: 'networkScp' };

const MIB2 = '1.3.6.1.2.1';
const SNMP_MODULES = '1.3.6.1.6.3';
const ENTERPRISES = '1.3.6.1.4.1';
const CISCO = `${ENTERPRISES}.9`;
const FORTINET = `${ENTERPRISES}.12356`;
const NET_SNMP = `${ENTERPRISES}.8072`;

const smi: MibNode[] = [
  { oid: '1', name: 'iso', module: 'SNMPv2-SMI', kind: N },
  ...under('SNMPv2-SMI', '1', [[3, 'org', N]]),
  ...under('SNMPv2-SMI', '1.3', [[6, 'dod', N]]),
  ...under('SNMPv2-SMI', '1.3.6', [[1, 'internet', N]]),
  ...under('SNMPv2-SMI', '1.3.6.1', [[1, 'directory', N], [2, 'mgmt', N], [3, 'experimental', N], [4, 'private', N], [5, 'security', N], [6, 'snmpV2', N]]),
  ...under('SNMPv2-SMI', '1.3.6.1.2', [[1, 'mib-2', N]]),
  ...under('SNMPv2-SMI', '1.3.6.1.4', [[1, 'enterprises', N]]),
  ...under('SNMPv2-SMI', '1.3.6.1.6', [[1, 'snmpDomains', N], [2, 'snmpProxys', N], [3, 'snmpModules', N]]),
  ...under('RFC1213-MIB', MIB2, [[4, 'ip', N], [5, 'icmp', N], [6, 'tcp', N], [7, 'udp', N]]),
];

const snmpv2Mib: MibNode[] = [
  ...under('SNMPv2-MIB', MIB2, [[1, 'system', N], [11, 'snmp', N]]),
  ...columns('SNMPv2-MIB', `${MIB2}.1`, ['sysDescr', 'sysObjectID', 'sysUpTime', 'sysContact', 'sysName', 'sysLocation', 'sysServices', 'sysORLastChange', 'sysORTable']),
  ...under('SNMPv2-MIB', `${MIB2}.1.9`, [[1, 'sysOREntry', N]]),
  ...columns('SNMPv2-MIB', `${MIB2}.1.9.1`, ['sysORIndex', 'sysORID', 'sysORDescr', 'sysORUpTime']),
  ...under('SNMPv2-MIB', `${MIB2}.11`, [
    [1, 'snmpInPkts'], [2, 'snmpOutPkts'], [3, 'snmpInBadVersions'], [4, 'snmpInBadCommunityNames'], [5, 'snmpInBadCommunityUses'],
    [6, 'snmpInASNParseErrs'], [30, 'snmpEnableAuthenTraps', 'object', ENABLED], [31, 'snmpSilentDrops'], [32, 'snmpProxyDrops'],
  ]),
  ...under('SNMPv2-MIB', SNMP_MODULES, [[1, 'snmpMIB', N]]),
  ...under('SNMPv2-MIB', `${SNMP_MODULES}.1`, [[1, 'snmpMIBObjects', N]]),
  ...under('SNMPv2-MIB', `${SNMP_MODULES}.1.1`, [[4, 'snmpTrap', N], [5, 'snmpTraps', N], [6, 'snmpSet', N]]),
  ...under('SNMPv2-MIB', `${SNMP_MODULES}.1.1.4`, [[1, 'snmpTrapOID'], [3, 'snmpTrapEnterprise']]),
  ...under('SNMPv2-MIB', `${SNMP_MODULES}.1.1.5`, [[1, 'coldStart', T], [2, 'warmStart', T], [5, 'authenticationFailure', T]]),
  ...under('IF-MIB', `${SNMP_MODULES}.1.1.5`, [[3, 'linkDown', T], [4, 'linkUp', T]]),
  ...under('RFC1213-MIB', `${SNMP_MODULES}.1.1.5`, [[6, 'egpNeighborLoss', T]]),
  ...under('SNMPv2-MIB', `${SNMP_MODULES}.1.1.6`, [[1, 'snmpSetSerialNo']]),
];

const snmpFramework: MibNode[] = [
  ...under('SNMP-FRAMEWORK-MIB', SNMP_MODULES, [[10, 'snmpFrameworkMIB', N]]),
  ...under('SNMP-FRAMEWORK-MIB', `${SNMP_MODULES}.10`, [[2, 'snmpFrameworkMIBObjects', N]]),
  ...under('SNMP-FRAMEWORK-MIB', `${SNMP_MODULES}.10.2`, [[1, 'snmpEngine', N]]),
  ...columns('SNMP-FRAMEWORK-MIB', `${SNMP_MODULES}.10.2.1`, ['snmpEngineID', 'snmpEngineBoots', 'snmpEngineTime', 'snmpEngineMaxMessageSize']),
  ...under('SNMP-USER-BASED-SM-MIB', SNMP_MODULES, [[15, 'snmpUsmMIB', N]]),
  ...under('SNMP-USER-BASED-SM-MIB', `${SNMP_MODULES}.15`, [[1, 'usmMIBObjects', N]]),
  ...under('SNMP-USER-BASED-SM-MIB', `${SNMP_MODULES}.15.1`, [[1, 'usmStats', N]]),
  ...columns('SNMP-USER-BASED-SM-MIB', `${SNMP_MODULES}.15.1.1`, [
    'usmStatsUnsupportedSecLevels', 'usmStatsNotInTimeWindows', 'usmStatsUnknownUserNames', 'usmStatsUnknownEngineIDs', 'usmStatsWrongDigests', 'usmStatsDecryptionErrors',
  ]),
  // RFC 3584 §3.1: a proxy that forwards a v1 trap as v2 adds the original agent address and community.
  ...under('SNMP-COMMUNITY-MIB', SNMP_MODULES, [[18, 'snmpCommunityMIB', N]]),
  ...under('SNMP-COMMUNITY-MIB', `${SNMP_MODULES}.18`, [[1, 'snmpCommunityMIBObjects', N]]),
  ...under('SNMP-COMMUNITY-MIB', `${SNMP_MODULES}.18.1`, [[3, 'snmpTrapAddress'], [4, 'snmpTrapCommunity']]),
];

const ifMib: MibNode[] = [
  ...under('IF-MIB', MIB2, [[2, 'interfaces', N], [31, 'ifMIB', N]]),
  ...under('IF-MIB', `${MIB2}.2`, [[1, 'ifNumber'], [2, 'ifTable', N]]),
  ...under('IF-MIB', `${MIB2}.2.2`, [[1, 'ifEntry', N]]),
  ...columns(
    'IF-MIB',
    `${MIB2}.2.2.1`,
    [
      'ifIndex', 'ifDescr', 'ifType', 'ifMtu', 'ifSpeed', 'ifPhysAddress', 'ifAdminStatus', 'ifOperStatus', 'ifLastChange', 'ifInOctets', 'ifInUcastPkts',
      'ifInNUcastPkts', 'ifInDiscards', 'ifInErrors', 'ifInUnknownProtos', 'ifOutOctets', 'ifOutUcastPkts', 'ifOutNUcastPkts', 'ifOutDiscards',
      'ifOutErrors', 'ifOutQLen', 'ifSpecific',
    ],
    { ifType: IF_TYPE, ifAdminStatus: IF_ADMIN_STATUS, ifOperStatus: IF_OPER_STATUS },
    true,
  ),
  ...under('IF-MIB', `${MIB2}.31`, [[1, 'ifMIBObjects', N]]),
  ...under('IF-MIB', `${MIB2}.31.1`, [[1, 'ifXTable', N], [2, 'ifStackTable', N], [5, 'ifTableLastChange'], [6, 'ifStackLastChange']]),
  ...under('IF-MIB', `${MIB2}.31.1.1`, [[1, 'ifXEntry', N]]),
  ...columns(
    'IF-MIB',
    `${MIB2}.31.1.1.1`,
    [
      'ifName', 'ifInMulticastPkts', 'ifInBroadcastPkts', 'ifOutMulticastPkts', 'ifOutBroadcastPkts', 'ifHCInOctets', 'ifHCInUcastPkts',
      'ifHCInMulticastPkts', 'ifHCInBroadcastPkts', 'ifHCOutOctets', 'ifHCOutUcastPkts', 'ifHCOutMulticastPkts', 'ifHCOutBroadcastPkts',
      'ifLinkUpDownTrapEnable', 'ifHighSpeed', 'ifPromiscuousMode', 'ifConnectorPresent', 'ifAlias', 'ifCounterDiscontinuityTime',
    ],
    { ifLinkUpDownTrapEnable: ENABLED, ifPromiscuousMode: TRUTH_VALUE, ifConnectorPresent: TRUTH_VALUE },
    true,
  ),
  ...under('IF-MIB', `${MIB2}.31.1.2`, [[1, 'ifStackEntry', N]]),
  ...columns('IF-MIB', `${MIB2}.31.1.2.1`, ['ifStackHigherLayer', 'ifStackLowerLayer', 'ifStackStatus']),
];

const HR = `${MIB2}.25`;
const hostResources: MibNode[] = [
  ...under('HOST-RESOURCES-MIB', MIB2, [[25, 'host', N]]),
  ...under('HOST-RESOURCES-MIB', HR, [[1, 'hrSystem', N], [2, 'hrStorage', N], [3, 'hrDevice', N], [4, 'hrSWRun', N], [5, 'hrSWRunPerf', N]]),
  ...columns('HOST-RESOURCES-MIB', `${HR}.1`, [
    'hrSystemUptime', 'hrSystemDate', 'hrSystemInitialLoadDevice', 'hrSystemInitialLoadParameters', 'hrSystemNumUsers', 'hrSystemProcesses', 'hrSystemMaxProcesses',
  ]),
  ...under('HOST-RESOURCES-MIB', `${HR}.2`, [[1, 'hrStorageTypes', N], [2, 'hrMemorySize'], [3, 'hrStorageTable', N]]),
  // hrStorageType values are these OIDs, so they resolve to names too.
  ...columns('HOST-RESOURCES-MIB', `${HR}.2.1`, [
    'hrStorageOther', 'hrStorageRam', 'hrStorageVirtualMemory', 'hrStorageFixedDisk', 'hrStorageRemovableDisk', 'hrStorageFloppyDisk',
    'hrStorageCompactDisc', 'hrStorageRamDisk', 'hrStorageFlashMemory', 'hrStorageNetworkDisk',
  ]).map((n) => ({ ...n, kind: N })),
  ...under('HOST-RESOURCES-MIB', `${HR}.2.3`, [[1, 'hrStorageEntry', N]]),
  ...columns('HOST-RESOURCES-MIB', `${HR}.2.3.1`, [
    'hrStorageIndex', 'hrStorageType', 'hrStorageDescr', 'hrStorageAllocationUnits', 'hrStorageSize', 'hrStorageUsed', 'hrStorageAllocationFailures',
  ]),
  ...under('HOST-RESOURCES-MIB', `${HR}.3`, [[1, 'hrDeviceTypes', N], [2, 'hrDeviceTable', N], [3, 'hrProcessorTable', N]]),
  ...columns('HOST-RESOURCES-MIB', `${HR}.3.1`, ['hrDeviceOther', 'hrDeviceUnknown', 'hrDeviceProcessor', 'hrDeviceNetwork', 'hrDevicePrinter', 'hrDeviceDiskStorage']).map((n) => ({
    ...n,
    kind: N,
  })),
  ...under('HOST-RESOURCES-MIB', `${HR}.3.2`, [[1, 'hrDeviceEntry', N]]),
  ...columns('HOST-RESOURCES-MIB', `${HR}.3.2.1`, ['hrDeviceIndex', 'hrDeviceType', 'hrDeviceDescr', 'hrDeviceID', 'hrDeviceStatus', 'hrDeviceErrors'], {
    hrDeviceStatus: { 1: 'unknown', 2: 'running', 3: 'warning', 4: 'testing', 5: 'down' },
  }),
  ...under('HOST-RESOURCES-MIB', `${HR}.3.3`, [[1, 'hrProcessorEntry', N]]),
  ...columns('HOST-RESOURCES-MIB', `${HR}.3.3.1`, ['hrProcessorFrwID', 'hrProcessorLoad']),
  ...under('HOST-RESOURCES-MIB', `${HR}.4`, [[1, 'hrSWOSIndex'], [2, 'hrSWRunTable', N]]),
  ...under('HOST-RESOURCES-MIB', `${HR}.4.2`, [[1, 'hrSWRunEntry', N]]),
  ...columns('HOST-RESOURCES-MIB', `${HR}.4.2.1`, ['hrSWRunIndex', 'hrSWRunName', 'hrSWRunID', 'hrSWRunPath', 'hrSWRunParameters', 'hrSWRunType', 'hrSWRunStatus'], {
    hrSWRunType: { 1: 'unknown', 2: 'operatingSystem', 3: 'deviceDriver', 4: 'application' },
    hrSWRunStatus: { 1: 'running', 2: 'runnable', 3: 'notRunnable', 4: 'invalid' },
  }),
  ...under('HOST-RESOURCES-MIB', `${HR}.5`, [[1, 'hrSWRunPerfTable', N]]),
  ...under('HOST-RESOURCES-MIB', `${HR}.5.1`, [[1, 'hrSWRunPerfEntry', N]]),
  ...columns('HOST-RESOURCES-MIB', `${HR}.5.1.1`, ['hrSWRunPerfCPU', 'hrSWRunPerfMem']),
];

const ENT = `${MIB2}.47`;
const entity: MibNode[] = [
  ...under('ENTITY-MIB', MIB2, [[47, 'entityMIB', N]]),
  ...under('ENTITY-MIB', ENT, [[1, 'entityMIBObjects', N], [2, 'entityMIBTraps', N]]),
  ...under('ENTITY-MIB', `${ENT}.1`, [[1, 'entityPhysical', N], [4, 'entityGeneral', N]]),
  ...under('ENTITY-MIB', `${ENT}.1.1`, [[1, 'entPhysicalTable', N]]),
  ...under('ENTITY-MIB', `${ENT}.1.1.1`, [[1, 'entPhysicalEntry', N]]),
  ...columns(
    'ENTITY-MIB',
    `${ENT}.1.1.1.1`,
    [
      'entPhysicalIndex', 'entPhysicalDescr', 'entPhysicalVendorType', 'entPhysicalContainedIn', 'entPhysicalClass', 'entPhysicalParentRelPos', 'entPhysicalName',
      'entPhysicalHardwareRev', 'entPhysicalFirmwareRev', 'entPhysicalSoftwareRev', 'entPhysicalSerialNum', 'entPhysicalMfgName', 'entPhysicalModelName',
      'entPhysicalAlias', 'entPhysicalAssetID', 'entPhysicalIsFRU',
    ],
    {
      entPhysicalClass: { 1: 'other', 2: 'unknown', 3: 'chassis', 4: 'backplane', 5: 'container', 6: 'powerSupply', 7: 'fan', 8: 'sensor', 9: 'module', 10: 'port', 11: 'stack', 12: 'cpu' },
      entPhysicalIsFRU: TRUTH_VALUE,
    },
  ),
  ...under('ENTITY-MIB', `${ENT}.1.4`, [[1, 'entLastChangeTime']]),
  ...under('ENTITY-MIB', `${ENT}.2`, [[0, 'entityMIBTrapPrefix', N]]),
  ...under('ENTITY-MIB', `${ENT}.2.0`, [[1, 'entConfigChange', T]]),
];

/** Notifications of the routing, bridging, RMON and UPS MIBs that reach a NOC every day. */
const standardNotifications: MibNode[] = [
  ...under('BRIDGE-MIB', MIB2, [[17, 'dot1dBridge', N]]),
  ...under('BRIDGE-MIB', `${MIB2}.17.0`, [[1, 'newRoot', T], [2, 'topologyChange', T]]),
  ...under('OSPF-MIB', MIB2, [[14, 'ospf', N]]),
  ...under('OSPF-MIB', `${MIB2}.14.1`, [[1, 'ospfRouterId']]),
  ...under('OSPF-MIB', `${MIB2}.14.10.1`, [[1, 'ospfNbrIpAddr'], [3, 'ospfNbrRtrId'], [6, 'ospfNbrState', 'object', { 1: 'down', 2: 'attempt', 3: 'init', 4: 'twoWay', 5: 'exchangeStart', 6: 'exchange', 7: 'loading', 8: 'full' }]]),
  ...under('OSPF-MIB', `${MIB2}.14.16`, [[2, 'ospfTraps', N]]),
  ...under('OSPF-MIB', `${MIB2}.14.16.2`, [[2, 'ospfNbrStateChange', T], [16, 'ospfIfStateChange', T]]),
  ...under('BGP4-MIB', MIB2, [[15, 'bgp', N]]),
  ...under('BGP4-MIB', `${MIB2}.15`, [[3, 'bgpPeerTable', N], [7, 'bgpTraps', N], [0, 'bgpNotification', N]]),
  ...columns('BGP4-MIB', `${MIB2}.15.3.1`, [
    'bgpPeerIdentifier', 'bgpPeerState', 'bgpPeerAdminStatus', 'bgpPeerNegotiatedVersion', 'bgpPeerLocalAddr', 'bgpPeerLocalPort', 'bgpPeerRemoteAddr',
    'bgpPeerRemotePort', 'bgpPeerRemoteAs', undefined, undefined, undefined, undefined, 'bgpPeerLastError',
  ], {
    bgpPeerState: { 1: 'idle', 2: 'connect', 3: 'active', 4: 'opensent', 5: 'openconfirm', 6: 'established' },
    bgpPeerAdminStatus: { 1: 'stop', 2: 'start' },
  }),
  ...under('BGP4-MIB', `${MIB2}.15.7`, [[1, 'bgpEstablished', T], [2, 'bgpBackwardTransition', T]]),
  ...under('BGP4-MIB', `${MIB2}.15.0`, [[1, 'bgpEstablishedNotification', T], [2, 'bgpBackwardTransNotification', T]]),
  ...under('RMON-MIB', MIB2, [[16, 'rmon', N]]),
  ...columns('RMON-MIB', `${MIB2}.16.3.1.1`, [
    'alarmIndex', 'alarmInterval', 'alarmVariable', 'alarmSampleType', 'alarmValue', 'alarmStartupAlarm', 'alarmRisingThreshold', 'alarmFallingThreshold',
  ]),
  ...under('RMON-MIB', `${MIB2}.16.0`, [[1, 'risingAlarm', T], [2, 'fallingAlarm', T]]),
  ...under('UPS-MIB', MIB2, [[33, 'upsMIB', N]]),
  ...under('UPS-MIB', `${MIB2}.33.2`, [[1, 'upsTrapOnBattery', T], [2, 'upsTrapTestCompleted', T], [3, 'upsTrapAlarmEntryAdded', T], [4, 'upsTrapAlarmEntryRemoved', T]]),
];

const cisco: MibNode[] = [
  ...under('CISCO-SMI', ENTERPRISES, [[9, 'cisco', N]]),
  ...under('CISCO-SMI', CISCO, [
    [1, 'ciscoProducts', N], [2, 'local', N], [3, 'temporary', N], [6, 'otherEnterprises', N], [7, 'ciscoAgentCapability', N], [8, 'ciscoConfig', N],
    [9, 'ciscoMgmt', N], [10, 'ciscoExperiment', N], [11, 'ciscoAdmin', N], [12, 'ciscoModules', N],
  ]),
  // SMIv1 CISCO-GENERAL-TRAPS, as RFC 3584 translates them: enterprise cisco, specific trap n → cisco.0.n.
  ...under('CISCO-GENERAL-TRAPS', `${CISCO}.0`, [[0, 'reload', T], [1, 'tcpConnectionClose', T]]),
  ...under('OLD-CISCO-SYSTEM-MIB', `${CISCO}.2.1`, [[2, 'whyReload'], [5, 'authAddr']]),
  // linkDown/linkUp from IOS carry locIfReason ("administratively down"), indexed by ifIndex.
  ...under('OLD-CISCO-INTERFACES-MIB', `${CISCO}.2.2.1.1`, [[20, 'locIfReason']], true),
  ...under('CISCO-ENVMON-MIB', `${CISCO}.9`, [[13, 'ciscoEnvMonMIB', N]]),
  ...columns('CISCO-ENVMON-MIB', `${CISCO}.9.13.1.3.1`, [undefined, 'ciscoEnvMonTemperatureStatusDescr', 'ciscoEnvMonTemperatureStatusValue', 'ciscoEnvMonTemperatureThreshold', 'ciscoEnvMonTemperatureLastShutdown', 'ciscoEnvMonTemperatureState'], {
    ciscoEnvMonTemperatureState: CISCO_ENV_STATE,
  }),
  ...columns('CISCO-ENVMON-MIB', `${CISCO}.9.13.1.4.1`, [undefined, 'ciscoEnvMonFanStatusDescr', 'ciscoEnvMonFanState'], { ciscoEnvMonFanState: CISCO_ENV_STATE }),
  ...columns('CISCO-ENVMON-MIB', `${CISCO}.9.13.1.5.1`, [undefined, 'ciscoEnvMonSupplyStatusDescr', 'ciscoEnvMonSupplyState', 'ciscoEnvMonSupplySource'], {
    ciscoEnvMonSupplyState: CISCO_ENV_STATE,
    ciscoEnvMonSupplySource: { 1: 'unknown', 2: 'ac', 3: 'dc', 4: 'externalPowerSupply', 5: 'internalRedundant' },
  }),
  ...under('CISCO-ENVMON-MIB', `${CISCO}.9.13.3.0`, [
    [1, 'ciscoEnvMonShutdownNotification', T], [2, 'ciscoEnvMonVoltageNotification', T], [3, 'ciscoEnvMonTemperatureNotification', T],
    [4, 'ciscoEnvMonFanNotification', T], [5, 'ciscoEnvMonRedundantSupplyNotification', T],
  ]),
  ...under('CISCO-SYSLOG-MIB', `${CISCO}.9`, [[41, 'ciscoSyslogMIB', N]]),
  ...columns('CISCO-SYSLOG-MIB', `${CISCO}.9.41.1.2.3.1`, [undefined, 'clogHistFacility', 'clogHistSeverity', 'clogHistMsgName', 'clogHistMsgText', 'clogHistTimestamp'], {
    clogHistSeverity: SYSLOG_SEVERITY,
  }),
  ...under('CISCO-SYSLOG-MIB', `${CISCO}.9.41.2.0`, [[1, 'clogMessageGenerated', T]]),
  ...under('CISCO-CONFIG-MAN-MIB', `${CISCO}.9`, [[43, 'ciscoConfigManMIB', N]]),
  ...columns('CISCO-CONFIG-MAN-MIB', `${CISCO}.9.43.1.1.6.1`, [undefined, undefined, 'ccmHistoryEventCommandSource', 'ccmHistoryEventConfigSource', 'ccmHistoryEventConfigDestination'], {
    ccmHistoryEventCommandSource: { 1: 'commandLine', 2: 'snmp' },
    ccmHistoryEventConfigSource: CCM_MEDIUM,
    ccmHistoryEventConfigDestination: CCM_MEDIUM,
  }),
  ...under('CISCO-CONFIG-MAN-MIB', `${CISCO}.9.43.2.0`, [[1, 'ciscoConfigManEvent', T], [2, 'ccmCLIRunningConfigChanged', T]]),
  ...under('CISCO-MEMORY-POOL-MIB', `${CISCO}.9`, [[48, 'ciscoMemoryPoolMIB', N]]),
  ...columns('CISCO-MEMORY-POOL-MIB', `${CISCO}.9.48.1.1.1`, [undefined, 'ciscoMemoryPoolName', undefined, undefined, 'ciscoMemoryPoolUsed', 'ciscoMemoryPoolFree']),
  ...under('CISCO-ENTITY-SENSOR-MIB', `${CISCO}.9.91.2.0`, [[1, 'entSensorThresholdNotification', T]]),
  ...under('CISCO-HSRP-MIB', `${CISCO}.9`, [[106, 'ciscoHsrpMIB', N]]),
  ...under('CISCO-HSRP-MIB', `${CISCO}.9.106.2.0`, [[1, 'cHsrpStateChange', T]]),
  ...under('CISCO-PROCESS-MIB', `${CISCO}.9`, [[109, 'ciscoProcessMIB', N]]),
  ...columns('CISCO-PROCESS-MIB', `${CISCO}.9.109.1.1.1.1`, [undefined, 'cpmCPUTotalPhysicalIndex', undefined, undefined, undefined, 'cpmCPUTotal5secRev', 'cpmCPUTotal1minRev', 'cpmCPUTotal5minRev']),
  ...under('CISCO-PROCESS-MIB', `${CISCO}.9.109.2.0`, [[1, 'cpmCPURisingThreshold', T], [2, 'cpmCPUFallingThreshold', T]]),
  ...under('CISCO-PORT-SECURITY-MIB', `${CISCO}.9.315.0.0`, [[1, 'cpsSecureMacAddrViolation', T]]),
];

const fortinet: MibNode[] = [
  ...under('FORTINET-CORE-MIB', ENTERPRISES, [[12356, 'fortinet', N]]),
  ...under('FORTINET-CORE-MIB', FORTINET, [[100, 'fnCoreMib', N]]),
  ...under('FORTINET-CORE-MIB', `${FORTINET}.100`, [[1, 'fnCommon', N]]),
  ...under('FORTINET-CORE-MIB', `${FORTINET}.100.1`, [[1, 'fnSystem', N], [3, 'fnTraps', N]]),
  ...under('FORTINET-CORE-MIB', `${FORTINET}.100.1.1`, [[1, 'fnSysSerial']]),
  ...under('FORTINET-CORE-MIB', `${FORTINET}.100.1.3`, [[0, 'fnTrapsPrefix', N], [1, 'fnTrapObjects', N]]),
  ...under('FORTINET-CORE-MIB', `${FORTINET}.100.1.3.1`, [[1, 'fnGenTrapMsg']]),
  ...under('FORTINET-CORE-MIB', `${FORTINET}.100.1.3.0`, [
    [101, 'fnTrapCpuThreshold', T], [102, 'fnTrapMemThreshold', T], [103, 'fnTrapLogDiskThreshold', T], [104, 'fnTrapTempHigh', T],
    [105, 'fnTrapVoltageOutOfRange', T], [106, 'fnTrapPowerSupplyFailure', T], [107, 'fnTrapAmcIfBypassMode', T], [108, 'fnTrapFanFailure', T],
    [201, 'fnTrapIpChange', T], [999, 'fnTrapTest', T],
  ]),
  ...under('FORTINET-FORTIGATE-MIB', FORTINET, [[101, 'fnFortiGateMib', N]]),
  ...under('FORTINET-FORTIGATE-MIB', `${FORTINET}.101`, [[1, 'fgModel', N], [2, 'fgTraps', N], [4, 'fgSystem', N]]),
  ...under('FORTINET-FORTIGATE-MIB', `${FORTINET}.101.2`, [[0, 'fgTrapPrefix', N]]),
  ...under('FORTINET-FORTIGATE-MIB', `${FORTINET}.101.2.0`, [
    [301, 'fgTrapVpnTunUp', T], [302, 'fgTrapVpnTunDown', T], [401, 'fgTrapHaSwitch', T], [402, 'fgTrapHaStateChange', T], [403, 'fgTrapHaHBFail', T],
    [404, 'fgTrapHaMemberDown', T], [405, 'fgTrapHaMemberUp', T], [503, 'fgTrapIpsSignature', T], [504, 'fgTrapIpsAnomaly', T], [505, 'fgTrapIpsPkgUpdate', T],
    [506, 'fgTrapIpsFailOpen', T], [601, 'fgTrapAvVirus', T], [602, 'fgTrapAvOversize', T], [603, 'fgTrapAvPattern', T], [604, 'fgTrapAvFragmented', T],
    [605, 'fgTrapAvEnterConserve', T], [606, 'fgTrapAvBypass', T], [607, 'fgTrapAvOversizePass', T], [608, 'fgTrapAvOversizeBlock', T],
    [701, 'fgTrapFazDisconnect', T], [801, 'fgTrapWcApUp', T], [802, 'fgTrapWcApDown', T], [901, 'fgTrapFcSwUp', T], [902, 'fgTrapFcSwDown', T],
    [1101, 'fgTrapServerLoadBalanceRealServerDown', T], [1201, 'fgTrapDeviceNew', T],
  ]),
  ...under('FORTINET-FORTIGATE-MIB', `${FORTINET}.101.4`, [[1, 'fgSystemInfo', N]]),
  ...under('FORTINET-FORTIGATE-MIB', `${FORTINET}.101.4.1`, [
    [1, 'fgSysVersion'], [3, 'fgSysCpuUsage'], [4, 'fgSysMemUsage'], [5, 'fgSysMemCapacity'], [6, 'fgSysDiskUsage'], [7, 'fgSysDiskCapacity'], [8, 'fgSysSesCount'],
  ]),
];

const netSnmp: MibNode[] = [
  ...under('NET-SNMP-MIB', ENTERPRISES, [[8072, 'netSnmp', N]]),
  ...under('NET-SNMP-MIB', NET_SNMP, [[1, 'netSnmpObjects', N], [3, 'netSnmpEnumerations', N], [4, 'netSnmpNotificationPrefix', N], [9999, 'netSnmpExperimental', N]]),
  ...under('NET-SNMP-MIB', `${NET_SNMP}.3`, [[1, 'netSnmpModuleIDs', N], [2, 'netSnmpAgentOIDs', N], [3, 'netSnmpDomains', N]]),
  ...under('NET-SNMP-TC', `${NET_SNMP}.3.2`, [[3, 'solaris', N], [8, 'freebsd', N], [10, 'linux', N], [13, 'win32', N], [16, 'macosx', N]]),
  ...under('NET-SNMP-MIB', `${NET_SNMP}.4`, [[0, 'netSnmpNotifications', N]]),
  ...under('NET-SNMP-AGENT-MIB', `${NET_SNMP}.4.0`, [[1, 'nsNotifyStart', T], [2, 'nsNotifyShutdown', T], [3, 'nsNotifyRestart', T]]),
  ...under('UCD-SNMP-MIB', ENTERPRISES, [[2021, 'ucdavis', N]]),
  ...under('UCD-SNMP-MIB', `${ENTERPRISES}.2021.251`, [[1, 'ucdStart', T], [2, 'ucdShutdown', T]]),
];

/** Roots of other enterprises common in Vietnamese government and telecom networks (IANA numbers). */
const enterpriseRoots: MibNode[] = under(
  'IANA-ENTERPRISE-NUMBERS',
  ENTERPRISES,
  [
    [2, 'ibm', N], [11, 'hp', N], [311, 'microsoft', N], [318, 'apc', N], [674, 'dell', N], [890, 'zyxel', N], [1916, 'extremeNetworks', N],
    [2011, 'huawei', N], [2620, 'checkpoint', N], [2636, 'juniperMIB', N], [3375, 'f5', N], [3902, 'zte', N], [4881, 'ruijie', N], [6486, 'alcatel', N],
    [6527, 'timetra', N], [6876, 'vmware', N], [8741, 'sonicwall', N], [11863, 'tplink', N], [14823, 'aruba', N], [14988, 'mikrotik', N],
    [25461, 'paloAltoNetworks', N], [25506, 'h3c', N], [30065, 'arista', N], [41112, 'ubiquiti', N],
  ],
);

/** The whole built-in table. */
export function builtinMibNodes(): MibNode[] {
  return [...smi, ...snmpv2Mib, ...snmpFramework, ...ifMib, ...hostResources, ...entity, ...standardNotifications, ...cisco, ...fortinet, ...netSnmp, ...enterpriseRoots];
}
