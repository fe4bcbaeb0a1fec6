/**
 * The `incidents:` section of socnoc.yaml: how alerts group into incidents, the SLA per severity,
 * and the regulatory reporting regimes with their recipients.
 */
import { z } from 'zod';
import { ALERT_SEVERITIES } from '../alerts/types';

export const DEFAULT_ENTITY_FIELDS = ['host.name', 'user.name', 'source.ip', 'destination.ip'];
/** Values that name no real entity; grouping on them would join unrelated alerts. */
export const DEFAULT_IGNORED_VALUES = ['-', 'unknown', 'n/a', 'none', 'localhost', '127.0.0.1', '::1', '0.0.0.0'];

/** Minutes to acknowledge (leave `open`) and to resolve, from the incident's opening. */
const slaSchema = (acknowledgeMinutes: number, resolveMinutes: number) =>
  z
    .object({
      acknowledgeMinutes: z.number().int().min(1).default(acknowledgeMinutes),
      resolveMinutes: z.number().int().min(1).default(resolveMinutes),
    })
    .strict()
    .default({ acknowledgeMinutes, resolveMinutes });

const SLA_DEFAULTS = {
  critical: [15, 4 * 60],
  high: [60, 24 * 60],
  medium: [4 * 60, 3 * 24 * 60],
  low: [24 * 60, 7 * 24 * 60],
  informational: [3 * 24 * 60, 30 * 24 * 60],
} as const;

const contactSchema = z
  .object({
    /** The reporting organisation's legal name, as the forms print it. */
    name: z.string().default(''),
    /** The system owner (cơ quan chủ quản). */
    owner: z.string().default(''),
    address: z.string().default(''),
    phone: z.string().default(''),
    email: z.string().default(''),
  })
  .strict();
export type ReportingContact = z.infer<typeof contactSchema>;

export const REGIMES = ['decree85', 'decree331'] as const;
export type Regime = (typeof REGIMES)[number];

const groupingDefaults = { windowHours: 24, minSeverity: 'medium' as const, entityFields: DEFAULT_ENTITY_FIELDS, ignoreValues: DEFAULT_IGNORED_VALUES };
/** The default recipients: readers that localize (the console) recognise them through DueItem.recipient_key. */
export const DEFAULT_RECIPIENTS: Readonly<Record<Regime, string>> = {
  decree85: 'VNCERT/CC (national coordinator)',
  decree331: "specialised cybersecurity unit of the Ministry of Public Security (A05) / the city's police",
};
const decree85Defaults = { recipient: DEFAULT_RECIPIENTS.decree85, initialReportDays: 5, closingReportDays: 5 };
const decree331Defaults = { recipient: DEFAULT_RECIPIENTS.decree331, noticeHours: 24, reportHours: 72 };
const reportingDefaults = {
  regimes: [...REGIMES] as Regime[],
  timeZone: 'Asia/Ho_Chi_Minh',
  decree85: decree85Defaults,
  decree331: decree331Defaults,
  contacts: {} as Record<string, ReportingContact>,
};

export const incidentsConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    grouping: z
      .object({
        /** An alert joins an open incident that saw a shared entity at most this long before (event time). */
        windowHours: z.number().min(0).max(24 * 365).default(groupingDefaults.windowHours),
        /** An alert that joins no incident opens one when its severity is at least this. */
        minSeverity: z.enum(ALERT_SEVERITIES).default(groupingDefaults.minSeverity),
        /** ECS fields of the alert's group and sample events that identify shared entities. */
        entityFields: z.array(z.string().min(1)).min(1).default(groupingDefaults.entityFields),
        /** Entity values never used to group (case-insensitive). */
        ignoreValues: z.array(z.string()).default(groupingDefaults.ignoreValues),
      })
      .strict()
      .default(groupingDefaults),
    sla: z
      .object({
        critical: slaSchema(SLA_DEFAULTS.critical[0], SLA_DEFAULTS.critical[1]),
        high: slaSchema(SLA_DEFAULTS.high[0], SLA_DEFAULTS.high[1]),
        medium: slaSchema(SLA_DEFAULTS.medium[0], SLA_DEFAULTS.medium[1]),
        low: slaSchema(SLA_DEFAULTS.low[0], SLA_DEFAULTS.low[1]),
        informational: slaSchema(SLA_DEFAULTS.informational[0], SLA_DEFAULTS.informational[1]),
      })
      .strict()
      .default({
        critical: { acknowledgeMinutes: SLA_DEFAULTS.critical[0], resolveMinutes: SLA_DEFAULTS.critical[1] },
        high: { acknowledgeMinutes: SLA_DEFAULTS.high[0], resolveMinutes: SLA_DEFAULTS.high[1] },
        medium: { acknowledgeMinutes: SLA_DEFAULTS.medium[0], resolveMinutes: SLA_DEFAULTS.medium[1] },
        low: { acknowledgeMinutes: SLA_DEFAULTS.low[0], resolveMinutes: SLA_DEFAULTS.low[1] },
        informational: { acknowledgeMinutes: SLA_DEFAULTS.informational[0], resolveMinutes: SLA_DEFAULTS.informational[1] },
      }),
    /** How often deadlines are checked for breaches. */
    checkIntervalSeconds: z.number().int().min(1).max(3600).default(60),
    reporting: z
      .object({
        /** decree85: Circular 20/2017 forms 03/04; decree331: Decree 331/2026 Art. 31.2.d notices. */
        regimes: z.array(z.enum(REGIMES)).default(reportingDefaults.regimes),
        /** Time zone of the dates printed in report documents. */
        timeZone: z.string().min(1).default(reportingDefaults.timeZone),
        decree85: z
          .object({
            recipient: z.string().min(1).default(decree85Defaults.recipient),
            initialReportDays: z.number().min(0).default(decree85Defaults.initialReportDays),
            closingReportDays: z.number().min(0).default(decree85Defaults.closingReportDays),
          })
          .strict()
          .default(decree85Defaults),
        decree331: z
          .object({
            recipient: z.string().min(1).default(decree331Defaults.recipient),
            noticeHours: z.number().min(0).default(decree331Defaults.noticeHours),
            reportHours: z.number().min(0).default(decree331Defaults.reportHours),
          })
          .strict()
          .default(decree331Defaults),
        /** Per agency (organization.id): the reporter block of the forms. */
        contacts: z.record(z.string().min(1), contactSchema).default(reportingDefaults.contacts),
      })
      .strict()
      .default(reportingDefaults),
  })
  .strict();

export type IncidentsConfig = z.infer<typeof incidentsConfigSchema>;
export type SlaConfig = IncidentsConfig['sla'];
export type ReportingConfig = IncidentsConfig['reporting'];

export function defaultIncidentsConfig(): IncidentsConfig {
  return incidentsConfigSchema.parse({});
}
