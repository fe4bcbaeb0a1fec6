/**
 * Loads the MIB files a user drops into `snmp.traps.mibDirs` with net-snmp's MIB parser (the one
 * behind its ModuleStore) and turns their objects and notifications into MibNodes.
 *
 * net-snmp's ModuleStore.loadFromFile re-compiles every module on each call (quadratic in the
 * number of files) and throws a TypeError that poisons the store for good when a module imports
 * from a module that is not loaded. So this loader reads each file's module name and IMPORTS
 * itself, orders modules so that imports come first, gives every missing imported module an empty
 * stand-in (objects hung under its symbols are then reported as unresolved instead of crashing the
 * parser), and compiles everything once. A module that still breaks the parser is found by
 * compiling each module with its imports alone, and left out with its dependents.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createModuleStore } from 'net-snmp';
import type { MibNode } from './types';

/** Vendor MIB files are at most a few hundred kilobytes; anything far larger is not a MIB. */
const MAX_MIB_FILE_BYTES = 8 * 1024 * 1024;

/** Modules net-snmp compiles into every ModuleStore. */
const NET_SNMP_BASE_MODULES = new Set(['RFC1155-SMI', 'RFC1158-MIB', 'RFC-1212', 'RFC1213-MIB', 'RFC-1215', 'SNMPv2-SMI', 'SNMPv2-CONF', 'SNMPv2-TC', 'SNMPv2-MIB']);
/** Further modules shipped in net-snmp's lib/mibs, loaded only when a user module imports them. */
const NET_SNMP_SHIPPED_MODULES = ['IANAifType-MIB', 'IF-MIB'];

export interface MibModuleSource {
  name: string;
  /** Where it came from: a file path, `net-snmp` for the library's own files, or `stand-in`. */
  origin: string;
  text: string;
  imports: string[];
}

export interface MibLoadResult {
  nodes: MibNode[];
  /** User modules compiled. */
  modules: string[];
  /** Files skipped, modules missing or left out, objects that could not be placed: one line each. */
  problems: string[];
}

export interface MibLoadLogger {
  debug(msg: string): void;
}

/** The parts of net-snmp's internal MIB parser this loader uses (the package exposes it as `any`). */
interface ParserEntry {
  ObjectName?: string;
  MACRO?: string;
  OID?: string;
  SYNTAX?: unknown;
  ENTERPRISE?: string;
  VALUE?: number | string;
}
interface MibParser {
  Modules: Record<string, Record<string, ParserEntry> | undefined>;
  ParseModule(key: string, text: string): void;
  Serialize(): void;
}
interface ParserModuleStore {
  parser: MibParser;
  getSyntaxTypes(): Record<string, unknown>;
}

function isParserModuleStore(store: unknown): store is ParserModuleStore {
  const parser = (store as { parser?: Partial<MibParser> } | null)?.parser;
  return (
    typeof (store as { getSyntaxTypes?: unknown }).getSyntaxTypes === 'function' &&
    parser !== undefined &&
    typeof parser.ParseModule === 'function' &&
    typeof parser.Serialize === 'function' &&
    typeof parser.Modules === 'object'
  );
}

/** Removes ASN.1 comments: `--` to the end of the line or to the next `--`. */
export function stripMibComments(text: string): string {
  let out = '';
  let i = 0;
  let inString = false;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') inString = !inString;
    if (!inString && c === '-' && text[i + 1] === '-') {
      let j = i + 2;
      while (j < text.length && text[j] !== '\n' && !(text[j] === '-' && text[j + 1] === '-')) j++;
      i = j < text.length && text[j] === '-' ? j + 2 : j;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

const DEFINITIONS = /(^|\s)([A-Za-z][A-Za-z0-9-]*)\s+DEFINITIONS(\s+IMPLICIT\s+TAGS|\s+EXPLICIT\s+TAGS|\s+AUTOMATIC\s+TAGS)?\s*::=\s*BEGIN/g;

/** Module name and imported module names of one MIB file's text; an error message if it has none or several. */
export function scanMibModule(text: string): { name: string; imports: string[] } | string {
  const clean = stripMibComments(text);
  const names = [...clean.matchAll(DEFINITIONS)].map((m) => m[2]);
  if (names.length === 0) return 'no "NAME DEFINITIONS ::= BEGIN" module header';
  if (names.length > 1) return `holds ${names.length} modules (${names.join(', ')}); put one module per file`;
  const imports: string[] = [];
  const start = clean.search(/\bIMPORTS\b/);
  if (start >= 0) {
    const end = clean.indexOf(';', start);
    const section = clean.slice(start + 7, end < 0 ? undefined : end);
    for (const m of section.matchAll(/\bFROM\s+([A-Za-z][A-Za-z0-9-]*)/g)) if (!imports.includes(m[1])) imports.push(m[1]);
  }
  return { name: names[0], imports };
}

function netSnmpMibDir(): string {
  return join(dirname(require.resolve('net-snmp')), 'lib', 'mibs');
}

/** Readable files of the folders, sorted by name (so that duplicate modules resolve the same way every time). */
function listMibFiles(dirs: readonly string[], problems: string[]): string[] {
  const files: string[] = [];
  for (const dir of dirs) {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (err) {
      problems.push(`MIB folder ${dir}: ${(err as Error).message}`);
      continue;
    }
    for (const entry of entries) {
      if (entry.startsWith('.')) continue;
      const path = join(dir, entry);
      try {
        const st = statSync(path);
        if (!st.isFile()) continue;
        if (st.size > MAX_MIB_FILE_BYTES) {
          problems.push(`${path}: ${st.size} bytes is too large for a MIB file, skipped`);
          continue;
        }
      } catch (err) {
        problems.push(`${path}: ${(err as Error).message}`);
        continue;
      }
      files.push(path);
    }
  }
  return files;
}

/** Reads and scans the files; the first file defining a module wins. */
export function readMibSources(dirs: readonly string[], problems: string[]): Map<string, MibModuleSource> {
  const modules = new Map<string, MibModuleSource>();
  for (const path of listMibFiles(dirs, problems)) {
    let text: string;
    try {
      const bytes = readFileSync(path);
      if (bytes.subarray(0, 4096).includes(0)) {
        problems.push(`${path}: binary file, not a MIB, skipped`);
        continue;
      }
      text = bytes.toString('utf8');
    } catch (err) {
      problems.push(`${path}: ${(err as Error).message}`);
      continue;
    }
    const scanned = scanMibModule(text);
    if (typeof scanned === 'string') {
      problems.push(`${path}: ${scanned}, skipped`);
      continue;
    }
    const existing = modules.get(scanned.name);
    if (existing !== undefined) {
      problems.push(`${path}: module ${scanned.name} already loaded from ${existing.origin}, skipped`);
      continue;
    }
    modules.set(scanned.name, { name: scanned.name, origin: path, text, imports: scanned.imports });
  }
  return modules;
}

/** Imports first (depth-first post-order); a module importing itself through a cycle is reported once. */
function orderByImports(modules: Map<string, MibModuleSource>, problems: string[]): MibModuleSource[] {
  const ordered: MibModuleSource[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, chain: string[]): void => {
    const mod = modules.get(name);
    if (mod === undefined) return;
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') {
      problems.push(`MIB import cycle: ${[...chain, name].join(' → ')}`);
      return;
    }
    state.set(name, 'visiting');
    for (const imp of mod.imports) visit(imp, [...chain, name]);
    state.set(name, 'done');
    ordered.push(mod);
  };
  for (const name of modules.keys()) visit(name, []);
  return ordered;
}

/** net-snmp's parser reports through console.log/warn; during a (synchronous) load that goes to our logger. */
function withConsoleCaptured<T>(log: MibLoadLogger | undefined, fn: () => T): T {
  const { log: origLog, warn: origWarn } = console;
  const sink = (...args: unknown[]): void => log?.debug(`net-snmp MIB parser: ${args.map(String).join(' ')}`);
  console.log = sink;
  console.warn = sink;
  try {
    return fn();
  } finally {
    console.log = origLog;
    console.warn = origWarn;
  }
}

/** Compiles the modules in order on a fresh store; throws what the parser throws. */
function compile(sources: readonly MibModuleSource[]): ParserModuleStore {
  const store: unknown = createModuleStore();
  if (!isParserModuleStore(store)) throw new Error('net-snmp ModuleStore no longer exposes its MIB parser; MIB files cannot be loaded with this version');
  for (const s of sources) store.parser.ParseModule(s.name, s.text);
  store.parser.Serialize();
  return store;
}

function closureOf(name: string, all: Map<string, MibModuleSource>, into: Set<string> = new Set()): Set<string> {
  if (into.has(name)) return into;
  into.add(name);
  for (const imp of all.get(name)?.imports ?? []) if (all.has(imp)) closureOf(imp, all, into);
  return into;
}

function enumsOf(syntax: unknown, syntaxTypes: Record<string, unknown>): Record<number, string> | undefined {
  const resolved = typeof syntax === 'string' ? syntaxTypes[syntax] : syntax;
  if (resolved === null || typeof resolved !== 'object') return undefined;
  const integer = (resolved as { INTEGER?: unknown }).INTEGER;
  if (integer === null || typeof integer !== 'object') return undefined;
  const enums: Record<number, string> = {};
  let count = 0;
  for (const [k, v] of Object.entries(integer as Record<string, unknown>)) {
    const n = Number(k);
    if (!Number.isInteger(n) || typeof v !== 'string') return undefined; // a range constraint, not an enumeration
    enums[n] = v;
    count++;
  }
  return count > 0 ? enums : undefined;
}

const NUMERIC_OID = /^\d+(\.\d+)*$/;
/** Conformance statements have OIDs but name no object or event a trap can carry. */
const SKIPPED_MACROS = new Set(['OBJECT-GROUP', 'NOTIFICATION-GROUP', 'MODULE-COMPLIANCE', 'AGENT-CAPABILITIES', 'TEXTUAL-CONVENTION', 'SEQUENCE']);

/**
 * MibNodes of the compiled user modules. SMIv1 TRAP-TYPEs have no OID of their own: RFC 3584 §3
 * gives them enterprise.0.specific.
 */
function extractNodes(store: ParserModuleStore, userModules: readonly string[], knownOids: ReadonlyMap<string, string>, problems: string[]): MibNode[] {
  const syntaxTypes = store.getSyntaxTypes();
  const oidByName = new Map<string, string>(knownOids);
  for (const mod of Object.values(store.parser.Modules)) {
    for (const e of Object.values(mod ?? {})) if (e?.ObjectName !== undefined && e.OID !== undefined && NUMERIC_OID.test(e.OID)) oidByName.set(e.ObjectName, e.OID);
  }
  const nodes: MibNode[] = [];
  for (const module of userModules) {
    const entries = store.parser.Modules[module];
    if (entries === undefined) {
      problems.push(`MIB module ${module} did not compile`);
      continue;
    }
    let unresolved = 0;
    for (const [key, e] of Object.entries(entries)) {
      if (key === 'IMPORTS' || e === null || typeof e !== 'object' || e.ObjectName === undefined) continue;
      const macro = e.MACRO;
      if (macro !== undefined && SKIPPED_MACROS.has(macro)) continue;
      if (macro === 'TRAP-TYPE') {
        const enterprise = e.ENTERPRISE !== undefined ? oidByName.get(e.ENTERPRISE) : undefined;
        const specific = Number(e.VALUE);
        if (e.ENTERPRISE === 'snmp') continue; // RFC 1215's generic traps: already snmpTraps.1-6
        if (enterprise === undefined || !Number.isInteger(specific)) {
          unresolved++;
          continue;
        }
        nodes.push({ oid: `${enterprise}.0.${specific}`, name: e.ObjectName, module, kind: 'notification' });
        continue;
      }
      if (e.OID === undefined || !NUMERIC_OID.test(e.OID)) {
        if (e.OID !== undefined) unresolved++;
        continue;
      }
      if (macro === 'NOTIFICATION-TYPE') {
        nodes.push({ oid: e.OID, name: e.ObjectName, module, kind: 'notification' });
      } else if (macro === 'OBJECT-TYPE') {
        const syntax = e.SYNTAX;
        const isTableOrRow = typeof syntax === 'string' && (syntax.startsWith('SEQUENCE OF') || entries[syntax]?.MACRO === 'SEQUENCE');
        const node: MibNode = { oid: e.OID, name: e.ObjectName, module, kind: isTableOrRow ? 'node' : 'object' };
        const enums = isTableOrRow ? undefined : enumsOf(syntax, syntaxTypes);
        if (enums !== undefined) node.enums = enums;
        nodes.push(node);
      } else {
        nodes.push({ oid: e.OID, name: e.ObjectName, module, kind: 'node' });
      }
    }
    if (unresolved > 0) problems.push(`MIB module ${module}: ${unresolved} objects hang under names from modules that are not loaded, left out`);
  }
  return nodes;
}

/**
 * Loads every MIB file in `dirs`. Never throws for bad input: unreadable files, missing imports and
 * modules the parser cannot compile are listed in `problems`; `knownOids` (name → OID, from the
 * built-in table) places SMIv1 traps whose ENTERPRISE is a built-in name such as `cisco`.
 */
export function loadMibDirs(dirs: readonly string[], knownOids: ReadonlyMap<string, string> = new Map(), log?: MibLoadLogger): MibLoadResult {
  const problems: string[] = [];
  if (dirs.length === 0) return { nodes: [], modules: [], problems };
  const user = readMibSources(dirs, problems);
  if (user.size === 0) return { nodes: [], modules: [], problems };

  // Everything a user module imports: user modules, net-snmp's base and shipped files, else a stand-in.
  const all = new Map<string, MibModuleSource>(user);
  const support: MibModuleSource[] = [];
  const missingBy = new Map<string, string[]>();
  const pending = [...user.values()];
  while (pending.length > 0) {
    const mod = pending.pop() as MibModuleSource;
    for (const imp of mod.imports) {
      if (all.has(imp) || NET_SNMP_BASE_MODULES.has(imp)) continue;
      let source: MibModuleSource;
      if (NET_SNMP_SHIPPED_MODULES.includes(imp)) {
        const text = readFileSync(join(netSnmpMibDir(), `${imp}.mib`), 'utf8');
        const scanned = scanMibModule(text);
        source = { name: imp, origin: 'net-snmp', text, imports: typeof scanned === 'string' ? [] : scanned.imports };
        pending.push(source);
      } else {
        source = { name: imp, origin: 'stand-in', text: `${imp} DEFINITIONS ::= BEGIN\nEND\n`, imports: [] };
        missingBy.set(imp, []);
      }
      all.set(imp, source);
      support.push(source);
    }
  }
  for (const mod of user.values()) for (const imp of mod.imports) missingBy.get(imp)?.push(mod.name);
  for (const [missing, importers] of missingBy) problems.push(`MIB module ${missing} is not in the MIB folders (imported by ${importers.sort().join(', ')})`);

  const ordered = orderByImports(all, problems);
  // Stand-ins first: the parser looks imported modules up while compiling the importer.
  const stands = ordered.filter((m) => m.origin === 'stand-in');
  let sequence = [...stands, ...ordered.filter((m) => m.origin !== 'stand-in')];
  let store: ParserModuleStore | undefined;
  try {
    store = withConsoleCaptured(log, () => compile(sequence));
  } catch (err) {
    log?.debug(`MIB compile of all modules failed (${(err as Error).message}); checking modules one by one`);
    const bad = new Set<string>();
    withConsoleCaptured(log, () => {
      for (const mod of ordered) {
        if (mod.origin !== 'stand-in' && mod.origin !== 'net-snmp') {
          const closure = closureOf(mod.name, all);
          try {
            compile([...stands, ...ordered.filter((m) => m.origin !== 'stand-in' && closure.has(m.name))]);
          } catch (modErr) {
            bad.add(mod.name);
            problems.push(`MIB module ${mod.name} (${mod.origin}) breaks the MIB parser (${(modErr as Error).message}), left out`);
          }
        }
      }
    });
    const keep = (m: MibModuleSource): boolean => ![...closureOf(m.name, all)].some((n) => bad.has(n));
    for (const m of ordered) if (!bad.has(m.name) && !keep(m)) problems.push(`MIB module ${m.name} imports a module that was left out, left out too`);
    sequence = sequence.filter(keep);
    try {
      store = withConsoleCaptured(log, () => compile(sequence));
    } catch (err2) {
      problems.push(`MIB files could not be compiled (${(err2 as Error).message}); only the built-in MIB table is used`);
      return { nodes: [], modules: [], problems };
    }
  }
  const compiled = sequence.filter((m) => user.has(m.name)).map((m) => m.name);
  const nodes = extractNodes(store, compiled, knownOids, problems);
  return { nodes, modules: compiled, problems };
}
