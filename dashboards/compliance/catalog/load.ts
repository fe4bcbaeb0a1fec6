/**
 * Loads the compliance catalogue (rules/compliance/catalog.json by default), validates it, and
 * answers what assessment needs: the requirements of a regime at a level and their parameters.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { catalogSchema, type CatalogData, type RegimeData, type Requirement } from './schema';
import { catalogProblems } from './validate';

export type RegimeId = keyof CatalogData['regimes'];
export const REGIME_IDS: readonly RegimeId[] = ['decree85', 'decree331'];

export class ComplianceCatalog {
  private readonly byId = new Map<string, Requirement>();

  constructor(readonly data: CatalogData) {
    for (const regime of Object.values(data.regimes)) for (const r of regime.requirements) this.byId.set(r.id, r);
  }

  regime(id: RegimeId): RegimeData {
    return this.data.regimes[id];
  }

  requirement(id: string): Requirement | undefined {
    return this.byId.get(id);
  }

  groupLabel(group: string, lang: 'vi' | 'en'): string {
    return this.data.groups[group]?.[lang] ?? group;
  }

  evidenceDescription(kind: string): string {
    return this.data.evidence_kinds.find((k) => k.id === kind)?.description ?? kind;
  }
}

/** A parameter's value at one level: `{L3: 90}` → 90 at level 3, undefined at level 4; a plain value applies at every level. */
export function paramAt(requirement: Requirement, name: string, level: number): unknown {
  const value = requirement.params[name];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const perLevel = value as Record<string, unknown>;
    if (Object.keys(perLevel).some((k) => /^L[1-5]$/.test(k))) return perLevel[`L${level}`] ?? undefined;
  }
  return value ?? undefined;
}

/** The clause reference printed in reports, e.g. `TCVN 11930:2017 7.2.1.4`; null when the catalogue cites none. */
export function clauseAt(requirement: Requirement, level: number): string | null {
  const clause = requirement.clauses[String(level)];
  if (clause !== undefined) return requirement.standard !== null ? `${requirement.standard} ${clause}` : clause;
  if (requirement.clause_text !== null) return requirement.standard !== null ? `${requirement.standard} ${requirement.clause_text}` : requirement.clause_text;
  return null;
}

/** Parses and validates catalogue JSON text; errors name the file and every item at fault. */
export function parseComplianceCatalog(text: string, file = 'catalog.json'): ComplianceCatalog {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`compliance catalogue ${file}: not JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = catalogSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`compliance catalogue ${file}: ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
  }
  const problems = catalogProblems(parsed.data);
  if (problems.length > 0) {
    const shown = problems.slice(0, 20).join('; ');
    throw new Error(`compliance catalogue ${file}: ${problems.length} problem(s): ${shown}${problems.length > 20 ? '; …' : ''}`);
  }
  return new ComplianceCatalog(parsed.data);
}

/** socnoc's own catalogue, found by walking up to the package root (works from ts-jest and dist/). */
export function defaultCatalogFile(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'socnoc') return join(dir, 'rules', 'compliance', 'catalog.json');
    } catch {
      // no package.json here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`compliance catalogue: no package.json naming "socnoc" above ${start}`);
    dir = parent;
  }
}

export function loadComplianceCatalog(file: string = defaultCatalogFile()): ComplianceCatalog {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`compliance catalogue ${file}: ${(err as Error).message}`, { cause: err });
  }
  return parseComplianceCatalog(text, file);
}
