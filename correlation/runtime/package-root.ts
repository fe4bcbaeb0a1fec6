/**
 * The installation's root folder: where package.json names "socnoc". Found by walking up from this
 * file, so it is the same from correlation/runtime (ts-jest) and dist/correlation/runtime (built),
 * where dist/ holds no rules/ of its own.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'socnoc';

function namesSocnoc(dir: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
    return pkg.name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** The folder holding socnoc's package.json, or undefined when this file is not inside one. */
export function socnocPackageRoot(start: string = __dirname): string | undefined {
  let dir = start;
  for (;;) {
    if (namesSocnoc(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** socnoc's own Sigma rule pack: `<root>/rules/sigma`. */
export function builtinSigmaRulesDir(): string {
  const root = socnocPackageRoot();
  if (root === undefined) throw new Error(`socnoc rules: no package.json naming "${PACKAGE_NAME}" above ${__dirname}`);
  return join(root, 'rules', 'sigma');
}
