/** What an evidence calculator receives and returns. Texts are produced in both report languages. */
import type { Requirement } from '../catalog/schema';
import type { ComplianceConfig } from '../config';
import type { CompliancePorts } from '../ports';
import type { ComplianceSystem } from '../systems/types';

export type EvidenceStatus = 'met' | 'partly_met' | 'not_met' | 'unavailable' | 'info';

export interface Bilingual {
  vi: string;
  en: string;
}

export interface EvidenceItem {
  /** What the line is about: a source, an agent, a dataset. */
  name: string;
  status: EvidenceStatus;
  text: Bilingual;
}

export interface EvidenceResult {
  kind: string;
  status: EvidenceStatus;
  /** When the figures were taken (epoch ms). */
  observedAt: number;
  /** One line with the figures. */
  summary: Bilingual;
  /** The headline figure (share 0-1, days, minutes…), for CSV and charts; null when none. */
  value: number | null;
  items: EvidenceItem[];
  /** Recommended action when not met. */
  action: Bilingual | null;
}

export interface EvidenceContext {
  system: ComplianceSystem;
  /** The system's agency, as store filters take it. */
  organizations: string[];
  now: number;
  config: ComplianceConfig;
  ports: CompliancePorts;
  /** The requirement being assessed (some evidence is per control: mapped rules). */
  requirement: Requirement;
  /** A catalogue parameter of the requirement at the system's level. */
  param(name: string): unknown;
}

export interface EvidenceCalculator {
  kind: string;
  /**
   * What the result depends on besides the system, so one computation serves every requirement
   * with the same key (retention depends on the level's target; mapped rules on the requirement).
   */
  cacheKey?(ctx: EvidenceContext): string;
  compute(ctx: EvidenceContext): Promise<EvidenceResult>;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** `12 of 15` → met / partly_met / not_met. */
export function shareStatus(good: number, total: number): EvidenceStatus {
  if (total === 0) return 'not_met';
  if (good === total) return 'met';
  return good === 0 ? 'not_met' : 'partly_met';
}

/** How many items are met, the names of the others, and the met share (0 for no items). */
export function tallyItems(items: readonly EvidenceItem[]): { met: number; unmetNames: string[]; share: number } {
  let met = 0;
  const unmetNames: string[] = [];
  for (const item of items) {
    if (item.status === 'met') met++;
    else unmetNames.push(item.name);
  }
  return { met, unmetNames, share: items.length === 0 ? 0 : met / items.length };
}

export function percent(share: number): string {
  return `${(Math.floor(share * 1000) / 10).toFixed(1)}%`;
}

/** ISO date-time without milliseconds, UTC (reports say UTC in their header). */
export function isoMinute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

export function unavailable(kind: string, now: number, why: Bilingual): EvidenceResult {
  return { kind, status: 'unavailable', observedAt: now, summary: why, value: null, items: [], action: null };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
