/**
 * The figures of a Circular 31/2017 monitoring report (Art. 5.3): daily reports of the watch, the
 * weekly report to the system owner (period, targets attacked, techniques and evidence, attackers,
 * changes) and the six-monthly activity report. Everything is read through the compliance ports;
 * a port left out leaves its section "not observable" rather than zero.
 */
import type { AlertFacts, CompliancePorts, IncidentFacts } from '../ports';
import { DAY_MS, HOUR_MS, median } from '../evidence/types';

export const MONITORING_PERIODS = ['daily', 'weekly', 'semiannual'] as const;
export type MonitoringPeriod = (typeof MONITORING_PERIODS)[number];

/** Rolling windows ending at the report time; a six-month report covers 182 days. */
export const PERIOD_DAYS: Record<MonitoringPeriod, number> = { daily: 1, weekly: 7, semiannual: 182 };
/** Histogram bucket per period: hours for a day, days for a week, weeks for six months. */
const BUCKET_MS: Record<MonitoringPeriod, number> = { daily: HOUR_MS, weekly: DAY_MS, semiannual: 7 * DAY_MS };
const TOP = 10;
/** Alerts read per report; the counts by severity say when a period had more. */
const MAX_ALERTS = 20_000;
/** Distinct senders compared for silence. */
const MAX_SOURCES = 1000;

export interface Ranked {
  value: string;
  count: number;
}

export interface MonitoringFigures {
  period: MonitoringPeriod;
  agency: string;
  from: number;
  to: number;
  events: { total: number; byDataset: Ranked[]; histogram: Array<{ start: number; count: number }> } | null;
  alerts: {
    total: number;
    /** true when more alerts than MAX_ALERTS were raised: rankings cover the first ones. */
    truncated: boolean;
    bySeverity: Record<'critical' | 'high' | 'medium' | 'low' | 'informational', number>;
    rules: Ranked[];
    attackers: Ranked[];
    targets: Ranked[];
    techniques: Ranked[];
  } | null;
  /** reportsLate: regulatory reports past their deadline unsubmitted, or submitted after it. */
  incidents: { opened: number; serious: number; resolved: number; unresolved: string[]; mttrHours: number | null; reportsLate: string[] } | null;
  /** Senders seen in the look-back window with nothing in the last `silentHours`. */
  silentSources: { checked: number; silent: Array<{ source: string; lastSeen: string }>; silentHours: number } | null;
  devices: { total: number; up: number; notUp: Array<{ name: string; status: string }> } | null;
  agents: { total: number; online: number; offline: string[] } | null;
}

export interface MonitoringInput {
  period: MonitoringPeriod;
  agency: string;
  now: number;
  /** A sender with no event for this long counts as silent. */
  silentSourceHours: number;
  /** How far back senders are looked for (at least the period). */
  lookbackDays: number;
}

function rank(values: Iterable<[string, number]>): Ranked[] {
  const totals = new Map<string, number>();
  for (const [v, n] of values) totals.set(v, (totals.get(v) ?? 0) + n);
  return [...totals.entries()].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, TOP);
}

function alertFigures(alerts: readonly AlertFacts[]): NonNullable<MonitoringFigures['alerts']> {
  const bySeverity = { critical: 0, high: 0, medium: 0, low: 0, informational: 0 };
  for (const a of alerts) if (a.severity in bySeverity) bySeverity[a.severity as keyof typeof bySeverity]++;
  return {
    total: alerts.length,
    truncated: alerts.length >= MAX_ALERTS,
    bySeverity,
    rules: rank(alerts.map((a) => [a.ruleName, 1])),
    attackers: rank(alerts.filter((a) => a.sourceIp !== null).map((a) => [a.sourceIp as string, 1])),
    targets: rank(alerts.filter((a) => a.destination !== null).map((a) => [a.destination as string, 1])),
    techniques: rank(alerts.flatMap((a) => a.techniques.map((t): [string, number] => [t, 1]))),
  };
}

function incidentFigures(incidents: readonly IncidentFacts[], to: number): NonNullable<MonitoringFigures['incidents']> {
  const resolved = incidents.filter((i) => i.resolvedAt !== null && i.resolvedAt < to);
  const overdue: string[] = [];
  for (const i of incidents) for (const r of i.reports) if (r.dueAt !== null && r.dueAt < to && (r.submittedAt === null || r.submittedAt > r.dueAt)) overdue.push(`${i.id} ${r.key}`);
  return {
    opened: incidents.length,
    serious: incidents.filter((i) => i.serious).length,
    resolved: resolved.length,
    unresolved: incidents.filter((i) => i.resolvedAt === null || i.resolvedAt >= to).map((i) => i.id),
    mttrHours: resolved.length > 0 ? Math.round((median(resolved.map((i) => (i.resolvedAt as number) - i.detectedAt)) / HOUR_MS) * 10) / 10 : null,
    reportsLate: overdue,
  };
}

async function silentSources(ports: CompliancePorts, organizations: string[], input: MonitoringInput): Promise<MonitoringFigures['silentSources']> {
  const events = ports.events;
  if (events === undefined) return null;
  const lookFrom = input.now - Math.max(input.lookbackDays, PERIOD_DAYS[input.period]) * DAY_MS;
  const recentFrom = input.now - input.silentSourceHours * HOUR_MS;
  const seen = await events.topValues({ organizations, from: lookFrom, to: input.now + 1, field: 'observer.ip', size: MAX_SOURCES });
  const recent = new Set((await events.topValues({ organizations, from: recentFrom, to: input.now + 1, field: 'observer.ip', size: MAX_SOURCES })).map((t) => t.value));
  const silent: Array<{ source: string; lastSeen: string }> = [];
  for (const s of seen) {
    if (recent.has(s.value)) continue;
    const last = await events.search({ query: { kind: 'term', field: 'observer.ip', value: s.value, wildcard: false, phrase: false }, organizations, to: recentFrom, limit: 1 });
    silent.push({ source: s.value, lastSeen: last.events[0]?.['@timestamp'] ?? '' });
  }
  return { checked: seen.length, silent: silent.sort((a, b) => a.source.localeCompare(b.source)), silentHours: input.silentSourceHours };
}

export async function computeMonitoringFigures(ports: CompliancePorts, input: MonitoringInput): Promise<MonitoringFigures> {
  const organizations = [input.agency];
  const to = input.now;
  const from = to - PERIOD_DAYS[input.period] * DAY_MS;
  const figures: MonitoringFigures = { period: input.period, agency: input.agency, from, to, events: null, alerts: null, incidents: null, silentSources: null, devices: null, agents: null };
  if (ports.events !== undefined) {
    const bucket = BUCKET_MS[input.period];
    const [total, byDataset, histogram] = await Promise.all([
      ports.events.count({ organizations, from, to }),
      ports.events.topValues({ organizations, from, to, field: 'event.dataset', size: TOP }),
      ports.events.histogram({ organizations, from, to, intervalMs: bucket }),
    ]);
    figures.events = { total, byDataset, histogram };
  }
  if (ports.alerts !== undefined) figures.alerts = alertFigures(await ports.alerts.alerts({ organizations, from, to, limit: MAX_ALERTS }));
  if (ports.incidents !== undefined) figures.incidents = incidentFigures(await ports.incidents.incidents({ organizations, from, to }), to);
  figures.silentSources = await silentSources(ports, organizations, input);
  if (ports.devices !== undefined) {
    const devices = await ports.devices.devices(organizations);
    figures.devices = { total: devices.length, up: devices.filter((d) => d.status === 'up').length, notUp: devices.filter((d) => d.status !== 'up').map((d) => ({ name: d.name, status: d.status })) };
  }
  if (ports.agents !== undefined) {
    const agents = (await ports.agents.agents(organizations)).filter((a) => !a.revoked);
    figures.agents = { total: agents.length, online: agents.filter((a) => a.status === 'online').length, offline: agents.filter((a) => a.status !== 'online').map((a) => a.hostname) };
  }
  return figures;
}
