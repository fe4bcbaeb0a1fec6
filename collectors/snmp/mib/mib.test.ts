import { join } from 'node:path';
import { builtinMibNodes } from './builtin';
import { buildOidNames, builtinOidNames } from './index';
import { loadMibDirs, scanMibModule, stripMibComments } from './mib-loader';

const MIBS = join(__dirname, 'testdata', 'mibs');
const BROKEN = join(__dirname, 'testdata', 'broken');

describe('built-in MIB table', () => {
  const nodes = builtinMibNodes();

  it('has one entry per OID and only numeric OIDs', () => {
    const seen = new Map<string, string>();
    for (const n of nodes) {
      expect(n.oid).toMatch(/^\d+(\.\d+)*$/);
      if (seen.has(n.oid)) throw new Error(`${n.oid} is both ${seen.get(n.oid)} and ${n.name}`);
      seen.set(n.oid, n.name);
    }
  });

  it('resolves the standard objects and traps NOC devices send', () => {
    const names = builtinOidNames();
    expect(names.nameOf('1.3.6.1.6.3.1.1.5.3')).toBe('linkDown');
    expect(names.nameOf('.1.3.6.1.6.3.1.1.5.1')).toBe('coldStart');
    expect(names.nameOf('1.3.6.1.2.1.2.2.1.8.10101')).toBe('ifOperStatus.10101');
    expect(names.nameOf('1.3.6.1.2.1.31.1.1.1.6.3')).toBe('ifHCInOctets.3');
    expect(names.nameOf('1.3.6.1.2.1.1.5.0')).toBe('sysName.0');
    expect(names.nameOf('1.3.6.1.2.1.25.3.3.1.2.196608')).toBe('hrProcessorLoad.196608');
    expect(names.nameOf('1.3.6.1.2.1.25.2.1.4')).toBe('hrStorageFixedDisk');
    expect(names.nameOf('1.3.6.1.4.1.9.9.43.2.0.1')).toBe('ciscoConfigManEvent');
    expect(names.nameOf('1.3.6.1.4.1.12356.101.2.0.302')).toBe('fgTrapVpnTunDown');
    expect(names.nameOf('1.3.6.1.4.1.12356.100.1.1.1.0')).toBe('fnSysSerial.0');
    expect(names.nameOf('1.3.6.1.4.1.99999.1.2')).toBe('enterprises.99999.1.2');
    expect(names.nameOf('2.5.4.3')).toBe('2.5.4.3');
    const oper = names.resolve('1.3.6.1.2.1.2.2.1.8.4');
    expect(oper?.node).toMatchObject({ name: 'ifOperStatus', module: 'IF-MIB', ifIndexed: true });
    expect(oper?.node.enums?.[7]).toBe('lowerLayerDown');
    expect(oper?.instance).toBe('4');
    expect(names.resolve('1.3.6.1.6.3.1.1.5.4')?.node).toMatchObject({ kind: 'notification', module: 'IF-MIB', name: 'linkUp' });
  });
});

describe('MIB file scanning', () => {
  it('strips comments but not double dashes inside strings', () => {
    expect(stripMibComments('a -- note\nb -- inline -- c\n"x -- y"')).toBe('a \nb  c\n"x -- y"');
  });

  it('reads the module name and the modules it imports', () => {
    const text = 'FOO-MIB DEFINITIONS ::= BEGIN\nIMPORTS\n  a, b FROM SNMPv2-SMI -- FROM NOT-THIS\n  c FROM BAR-MIB;\nEND';
    expect(scanMibModule(text)).toEqual({ name: 'FOO-MIB', imports: ['SNMPv2-SMI', 'BAR-MIB'] });
    expect(scanMibModule('just text')).toMatch(/no "NAME DEFINITIONS/);
  });
});

describe('loading MIB folders with net-snmp\'s parser', () => {
  it('loads Net-SNMP and SMIv1 Cisco modules, with stand-ins for the modules Debian lacks', () => {
    const debug: string[] = [];
    const { names, load } = buildOidNames([MIBS], { debug: (m) => debug.push(m) });
    expect(load.modules.sort()).toEqual(['CISCO-GENERAL-TRAPS', 'CISCO-SMI', 'NET-SNMP-AGENT-MIB', 'NET-SNMP-EXAMPLES-MIB', 'NET-SNMP-MIB', 'NET-SNMP-TC']);
    expect(load.problems).toEqual(
      expect.arrayContaining([
        'MIB module SNMP-FRAMEWORK-MIB is not in the MIB folders (imported by NET-SNMP-AGENT-MIB, NET-SNMP-EXAMPLES-MIB)',
        'MIB module INET-ADDRESS-MIB is not in the MIB folders (imported by NET-SNMP-EXAMPLES-MIB)',
        'MIB module OLD-CISCO-SYSTEM-MIB is not in the MIB folders (imported by CISCO-GENERAL-TRAPS)',
      ]),
    );
    // Names only the loaded files know.
    expect(names.nameOf('1.3.6.1.4.1.8072.2.3.0.1')).toBe('netSnmpExampleHeartbeatNotification');
    expect(names.nameOf('1.3.6.1.4.1.8072.2.3.2.1.0')).toBe('netSnmpExampleHeartbeatRate.0');
    expect(names.resolve('1.3.6.1.4.1.8072.2.3.0.1')?.node).toMatchObject({ module: 'NET-SNMP-EXAMPLES-MIB', kind: 'notification' });
    // Enumerations inline and through a textual convention.
    expect(names.resolve('1.3.6.1.4.1.8072.1.7.2.1.1.1.5')?.node.enums?.[4]).toBe('warning');
    expect(names.resolve('1.3.6.1.4.1.8072.1.7.1.1.0')?.node.enums).toEqual({ 1: 'true', 2: 'false' });
    // SMIv1 TRAP-TYPE: enterprise cisco (from CISCO-SMI), specific 0 → cisco.0.0 (RFC 3584).
    expect(names.resolve('1.3.6.1.4.1.9.0.0')?.node).toMatchObject({ name: 'reload', module: 'CISCO-GENERAL-TRAPS', kind: 'notification' });
    // Tables and rows are nodes, not objects a trap carries.
    expect(names.resolve('1.3.6.1.4.1.8072.2.2.1')?.node.kind).toBe('node');
    // The built-in table is still there.
    expect(names.nameOf('1.3.6.1.6.3.1.1.5.3')).toBe('linkDown');
  });

  it('leaves out a module that breaks the parser, skips non-MIB files, and keeps the good ones', () => {
    const load = loadMibDirs([BROKEN, join(BROKEN, 'missing-folder')]);
    expect(load.modules.sort()).toEqual(['NET-SNMP-EXAMPLES-MIB', 'NET-SNMP-MIB']);
    const text = load.problems.join('\n');
    expect(text).toMatch(/VENDOR-ORPHAN-MIB \(.*VENDOR-ORPHAN-MIB\.txt\) breaks the MIB parser/);
    expect(text).toMatch(/notes\.txt: no "NAME DEFINITIONS ::= BEGIN" module header, skipped/);
    expect(text).toMatch(/snmpd\.bin: binary file, not a MIB, skipped/);
    expect(text).toMatch(/missing-folder: ENOENT/);
    expect(load.nodes.some((n) => n.name === 'netSnmpExampleHeartbeatNotification')).toBe(true);
    expect(load.nodes.some((n) => n.name.startsWith('vendorOrphan'))).toBe(false);
  });

  it('returns nothing and no problems without folders', () => {
    expect(loadMibDirs([])).toEqual({ nodes: [], modules: [], problems: [] });
  });
});
