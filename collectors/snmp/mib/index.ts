/** The OID name table the trap receiver uses: the built-in MIB knowledge plus the user's MIB folders. */
import { builtinMibNodes } from './builtin';
import { loadMibDirs, type MibLoadLogger, type MibLoadResult } from './mib-loader';
import { OidNames } from './oid-names';

export { OidNames } from './oid-names';
export type { MibNode, ResolvedOid } from './types';

/** The built-in table alone. */
export function builtinOidNames(): OidNames {
  return new OidNames(builtinMibNodes());
}

/** Built-in table, then every node of the MIB folders (a user MIB wins where both name an OID). */
export function buildOidNames(mibDirs: readonly string[], log?: MibLoadLogger): { names: OidNames; load: MibLoadResult } {
  const builtin = builtinMibNodes();
  const names = new OidNames(builtin);
  const knownOids = new Map<string, string>();
  for (const n of builtin) if (!knownOids.has(n.name)) knownOids.set(n.name, n.oid);
  const load = loadMibDirs(mibDirs, knownOids, log);
  for (const n of load.nodes) names.add(n);
  return { names, load };
}
