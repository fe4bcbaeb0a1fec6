/**
 * The regulatory reporting clock: which reports an incident owes, to whom, by when.
 *
 * Sources (../shared/compliance catalogue, as of 27 Nov 2026):
 * - decree85 (Decision 05/2017 Art. 11, Circular 20/2017/TT-BTTTT Art. 9): notify the national
 *   coordinator (VNCERT/CC) within 5 days of detection — the initial report, Form 03; the
 *   end-of-response report, Form 04, within 5 days after the response ends. When an incident is
 *   beyond the operator's capacity the initial report is due immediately: mark such incidents
 *   serious, or set initialReportDays lower.
 * - decree331 (Decree 331/2026/NĐ-CP Art. 31.2.d): for a serious incident, an initial notice to
 *   the Ministry of Public Security's specialised unit within 24 h and a report on cause, scope and
 *   remediation within 72 h; immediately if national security is threatened (not modelled).
 *
 * Uncertain per the catalogue: Decree 331 does not yet define "serious incident"; whether
 * Decision 05 and Circular 20 still apply after Law 86/2015 expired on 1 Jul 2026; whether the
 * 72 h run from detection or from the notice (counted here from detection).
 */
import type { ReportingConfig, Regime } from './config';
import type { Incident } from './types';

export const REPORT_KINDS = ['form03', 'form04', 'nd331-notice', 'nd331-report'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface ReportObligation {
  kind: ReportKind;
  regime: Regime;
  title: string;
  recipient: string;
  /** Epoch ms; null while the clock has not started (Form 04 before the response ends). */
  dueAt: number | null;
  basis: string;
}

export const REPORT_TITLES: Readonly<Record<ReportKind, string>> = {
  form03: 'Initial incident report (Circular 20/2017, Form 03)',
  form04: 'End-of-response report (Circular 20/2017, Form 04)',
  'nd331-notice': 'Initial notice of a serious incident (Decree 331/2026 Art. 31.2.d)',
  'nd331-report': 'Report on cause, scope and remediation (Decree 331/2026 Art. 31.2.d)',
};

export const REPORT_REGIMES: Readonly<Record<ReportKind, Regime>> = {
  form03: 'decree85',
  form04: 'decree85',
  'nd331-notice': 'decree331',
  'nd331-report': 'decree331',
};

const BASIS: Readonly<Record<ReportKind, string>> = {
  form03: 'Decision 05/2017 Art. 11; Circular 20/2017 Art. 9.2: within 5 days of detection, immediately if beyond own capacity. [uncertain] status of Circular 20 after 1 Jul 2026',
  form04: 'Circular 20/2017 Art. 9.3: within 5 days after the response ends. [uncertain] status of Circular 20 after 1 Jul 2026',
  'nd331-notice': 'Decree 331/2026 Art. 31.2.d: within 24 h for a serious incident. [uncertain] "serious incident" not yet defined (Art. 28.6 guidance pending)',
  'nd331-report': 'Decree 331/2026 Art. 31.2.d: cause, scope and remediation within 72 h. [uncertain] counted here from detection, not from the notice',
};

export function isReportKind(value: string): value is ReportKind {
  return (REPORT_KINDS as readonly string[]).includes(value);
}

/** The reports the incident owes under the configured regimes, in due order per regime. */
export function reportObligations(incident: Incident, config: ReportingConfig): ReportObligation[] {
  const detected = Date.parse(incident.detected_at);
  const out: ReportObligation[] = [];
  const add = (kind: ReportKind, recipient: string, dueAt: number | null): void => {
    out.push({ kind, regime: REPORT_REGIMES[kind], title: REPORT_TITLES[kind], recipient, dueAt, basis: BASIS[kind] });
  };
  if (config.regimes.includes('decree85')) {
    const c = config.decree85;
    add('form03', c.recipient, detected + c.initialReportDays * DAY);
    // The response ends when the incident is resolved (or closed without a resolution step).
    const ended = incident.resolved_at ?? incident.closed_at;
    add('form04', c.recipient, ended === null ? null : Date.parse(ended) + c.closingReportDays * DAY);
  }
  if (config.regimes.includes('decree331') && incident.serious) {
    const c = config.decree331;
    add('nd331-notice', c.recipient, detected + c.noticeHours * HOUR);
    add('nd331-report', c.recipient, detected + c.reportHours * HOUR);
  }
  return out;
}
