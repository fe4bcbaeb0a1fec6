import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinSigmaRulesDir, socnocPackageRoot } from './package-root';

describe('socnoc package root', () => {
  it('walks up past other packages to the one named socnoc, from source or dist', () => {
    const root = mkdtempSync(join(tmpdir(), 'socnoc-root-'));
    try {
      writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'socnoc', version: '0.1.0' }));
      const dist = join(root, 'dist', 'correlation', 'runtime');
      mkdirSync(dist, { recursive: true });
      // A nested package with another name (like agents/) is not the root.
      writeFileSync(join(root, 'dist', 'package.json'), JSON.stringify({ name: 'socnoc-dist' }));
      expect(socnocPackageRoot(dist)).toBe(root);
      expect(socnocPackageRoot(tmpdir())).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('finds this checkout and its rules/sigma', () => {
    const root = socnocPackageRoot()!;
    expect(builtinSigmaRulesDir()).toBe(join(root, 'rules', 'sigma'));
  });
});
