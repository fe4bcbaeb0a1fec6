/**
 * MITRE ATT&CK (Enterprise) as the coverage matrix needs it: the tactics in kill-chain order, and
 * the technique and tactic ids found in Sigma tags (`attack.t1110.001`, `attack.credential-access`
 * or the older underscore form).
 */

export const TACTICS = [
  { id: 'TA0043', slug: 'reconnaissance' },
  { id: 'TA0042', slug: 'resource-development' },
  { id: 'TA0001', slug: 'initial-access' },
  { id: 'TA0002', slug: 'execution' },
  { id: 'TA0003', slug: 'persistence' },
  { id: 'TA0004', slug: 'privilege-escalation' },
  { id: 'TA0005', slug: 'defense-evasion' },
  { id: 'TA0006', slug: 'credential-access' },
  { id: 'TA0007', slug: 'discovery' },
  { id: 'TA0008', slug: 'lateral-movement' },
  { id: 'TA0009', slug: 'collection' },
  { id: 'TA0011', slug: 'command-and-control' },
  { id: 'TA0010', slug: 'exfiltration' },
  { id: 'TA0040', slug: 'impact' },
] as const;
export type TacticSlug = (typeof TACTICS)[number]['slug'];

const TACTIC_SLUGS = new Set<string>(TACTICS.map((t) => t.slug));
const TECHNIQUE = /^t\d{4}(\.\d{3})?$/;

export interface AttackTags {
  techniques: string[];
  tactics: TacticSlug[];
}

/** `T1110.001` style ids and tactic slugs from a rule's tags. */
export function attackTags(tags: readonly string[]): AttackTags {
  const techniques: string[] = [];
  const tactics: TacticSlug[] = [];
  for (const tag of tags) {
    const lower = tag.toLowerCase();
    if (!lower.startsWith('attack.')) continue;
    const rest = lower.slice(7);
    if (TECHNIQUE.test(rest)) techniques.push(rest.toUpperCase());
    else {
      const slug = rest.replace(/_/g, '-');
      if (TACTIC_SLUGS.has(slug)) tactics.push(slug as TacticSlug);
    }
  }
  return { techniques, tactics };
}

export interface MatrixCell {
  technique: string;
  rules: string[];
  fired: number;
}

export interface CoverageInput {
  rules: ReadonlyArray<{ title: string; tags: readonly string[]; enabled: boolean }>;
  /** Alerts' mappings, with how many matches each alert folded. */
  alerts: ReadonlyArray<{ techniques: readonly string[]; tactics: readonly string[]; count: number }>;
}

/**
 * Tactic → techniques covered by enabled rules, each with the rules covering it and how often it
 * fired. A technique tagged without a tactic is listed under "unmapped" ('' key). Sub-techniques
 * are their own cells; sorting keeps a parent beside its children.
 */
export function coverageMatrix(input: CoverageInput): Map<string, MatrixCell[]> {
  const cells = new Map<string, Map<string, MatrixCell>>();
  const cell = (tactic: string, technique: string): MatrixCell => {
    let column = cells.get(tactic);
    if (!column) {
      column = new Map();
      cells.set(tactic, column);
    }
    let c = column.get(technique);
    if (!c) {
      c = { technique, rules: [], fired: 0 };
      column.set(technique, c);
    }
    return c;
  };
  for (const rule of input.rules) {
    if (!rule.enabled) continue;
    const { techniques, tactics } = attackTags(rule.tags);
    const columns = tactics.length > 0 ? tactics : [''];
    for (const t of techniques) for (const tactic of columns) cell(tactic, t).rules.push(rule.title);
  }
  for (const alert of input.alerts) {
    const tactics = alert.tactics.map((t) => t.replace(/_/g, '-'));
    for (const technique of alert.techniques) {
      const id = technique.toUpperCase();
      let placed = false;
      for (const tactic of tactics.length > 0 ? tactics : ['']) {
        const column = cells.get(tactic);
        const c = column?.get(id);
        if (c) {
          c.fired += alert.count;
          placed = true;
        }
      }
      // A fired technique no enabled rule covers any more (rule since disabled) still shows.
      if (!placed) cell(tactics[0] ?? '', id).fired += alert.count;
    }
  }
  const out = new Map<string, MatrixCell[]>();
  for (const [tactic, column] of cells) out.set(tactic, [...column.values()].sort((a, b) => a.technique.localeCompare(b.technique)));
  return out;
}
