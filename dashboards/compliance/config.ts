/** The `compliance:` section of socnoc.yaml: evidence thresholds, manual evidence storage, scheduled reports. */
import { z } from 'zod';

export const scheduleSchema = z
  .object({
    /** Names the schedule in logs, mail subjects and the audit log. */
    name: z.string().min(1).max(100),
    /** compliance: the assessment report; monitoring: a Circular 31/2017 monitoring report of `period` for `agency`. */
    report: z.enum(['compliance', 'monitoring']).default('compliance'),
    period: z.enum(['daily', 'weekly', 'semiannual']).default('weekly'),
    regime: z.enum(['decree85', 'decree331']).default('decree85'),
    system: z.string().min(1).optional(),
    agency: z.string().min(1).optional(),
    format: z.enum(['pdf', 'html', 'csv']).default('pdf'),
    lang: z.enum(['vi', 'en']).default('vi'),
    /** daily, weekly (on `weekday`, 1 = Monday), monthly (on `day`), yearly (on `month`/`day`: the annual report is due by 20 Dec). */
    cadence: z.enum(['daily', 'weekly', 'monthly', 'yearly']),
    weekday: z.number().int().min(1).max(7).default(1),
    day: z.number().int().min(1).max(28).default(1),
    month: z.number().int().min(1).max(12).default(12),
    /** Hour of day (server local time) to run. */
    hour: z.number().int().min(0).max(23).default(7),
    recipients: z.array(z.email()).min(1),
  })
  .strict()
  .refine((s) => (s.system === undefined) !== (s.agency === undefined), { message: 'give exactly one of system or agency' })
  .refine((s) => s.report === 'compliance' || s.agency !== undefined, { message: 'a monitoring report is per agency: give agency' });

const defaults = {
  enabled: true,
  catalogFile: '',
  evidenceDir: 'compliance/evidence',
  maxUploadBytes: 20 * 1024 * 1024,
  lookbackDays: 30,
  silentSourceHours: 24,
  maxClockOffsetMs: 1000,
  agentStaleHours: 24,
  malwareScanMaxAgeHours: 168,
  signatureMaxAgeHours: 48,
  intelMaxAgeHours: 48,
  fieldCompletenessMin: 0.95,
  requiredFields: ['@timestamp', 'event.action|event.outcome|event.code', 'observer.ip|host.name|agent.id'],
  mttdTargetMinutes: 60,
  mttrTargetHours: 24,
  malwareRemediationDays: 7,
  schedules: [] as Array<z.input<typeof scheduleSchema>>,
};

export const complianceConfigSchema = z
  .object({
    /** Serve the compliance API and run scheduled reports. */
    enabled: z.boolean().default(defaults.enabled),
    /** Catalogue JSON; empty means socnoc's own rules/compliance/catalog.json. */
    catalogFile: z.string().default(defaults.catalogFile),
    /** Uploaded evidence documents, relative to the data folder unless absolute. */
    evidenceDir: z.string().min(1).default(defaults.evidenceDir),
    maxUploadBytes: z.number().int().min(1024).max(1024 * 1024 * 1024).default(defaults.maxUploadBytes),
    /** Window of the event-based evidence (coverage, completeness, IDS presence, incidents). */
    lookbackDays: z.number().int().min(1).max(3650).default(defaults.lookbackDays),
    /** A log source with no event for this long is silent. */
    silentSourceHours: z.number().min(0.1).max(24 * 90).default(defaults.silentSourceHours),
    /** Largest clock offset counted as synchronised. */
    maxClockOffsetMs: z.number().int().min(1).default(defaults.maxClockOffsetMs),
    /** An agent not seen for this long is unhealthy. */
    agentStaleHours: z.number().min(0.1).default(defaults.agentStaleHours),
    malwareScanMaxAgeHours: z.number().min(1).default(defaults.malwareScanMaxAgeHours),
    signatureMaxAgeHours: z.number().min(1).default(defaults.signatureMaxAgeHours),
    intelMaxAgeHours: z.number().min(1).default(defaults.intelMaxAgeHours),
    /** Share (0-1) of events carrying the required fields to count as complete. */
    fieldCompletenessMin: z.number().min(0).max(1).default(defaults.fieldCompletenessMin),
    /** Fields every event should carry; `a|b` means any of them. */
    requiredFields: z.array(z.string().min(1)).min(1).default(defaults.requiredFields),
    mttdTargetMinutes: z.number().min(1).default(defaults.mttdTargetMinutes),
    mttrTargetHours: z.number().min(0.1).default(defaults.mttrTargetHours),
    /** A malware alert still open after this many days counts against malware_detections. */
    malwareRemediationDays: z.number().min(0.1).max(365).default(defaults.malwareRemediationDays),
    schedules: z.array(scheduleSchema).default([]),
  })
  .strict()
  .default({ ...defaults, schedules: [] });

export type ComplianceConfig = z.infer<typeof complianceConfigSchema>;
export type ReportSchedule = z.infer<typeof scheduleSchema>;
export const DEFAULT_COMPLIANCE_CONFIG: ComplianceConfig = complianceConfigSchema.parse(undefined);
