/** The `correlation:` section of socnoc.yaml: which Sigma rules run, and how alerts are folded. */
import { z } from 'zod';

/** A rule folder (or file) besides socnoc's own `rules/sigma`; `ruleset` names it on alerts. */
const rulePathSchema = z.union([
  z.string().min(1),
  z
    .object({
      path: z.string().min(1),
      /** Shown as `rule.ruleset` on alerts and rules (default: the folder's base name). */
      ruleset: z.string().regex(/^[A-Za-z0-9._-]+$/, 'ruleset may hold letters, digits, dot, dash and underscore').optional(),
    })
    .strict(),
]);
export type RulePathConfig = z.infer<typeof rulePathSchema>;

const sigmaDefaults = {
  paths: [] as RulePathConfig[],
  includeBuiltin: true,
  placeholders: {} as Record<string, string[]>,
  unresolvedPlaceholders: 'empty' as const,
  disabled: [] as string[],
  watch: true,
  reloadDebounceMs: 500,
};

/** ECS fields whose first present value identifies "the same thing" for a single-event rule. */
export const DEFAULT_DEDUP_FIELDS = ['source.ip', 'user.name', 'host.name'];

const defaults = {
  enabled: true,
  sigma: sigmaDefaults,
  dedupWindowMinutes: 10,
  dedupFields: DEFAULT_DEDUP_FIELDS,
  maxSampleEvents: 10,
  maxEventIds: 100,
};

export const correlationConfigSchema = z
  .object({
    enabled: z.boolean().default(defaults.enabled),
    sigma: z
      .object({
        /** Extra rule folders or files, e.g. a SigmaHQ checkout's `rules` folder; relative paths are resolved from the working directory. */
        paths: z.array(rulePathSchema).default(sigmaDefaults.paths),
        /** Load socnoc's own pack (rules/sigma of the installation). */
        includeBuiltin: z.boolean().default(sigmaDefaults.includeBuiltin),
        /** Values for the `expand` modifier's %placeholders% (e.g. `admin_users: [root, admin]`). */
        placeholders: z.record(z.string().min(1), z.array(z.string())).default(sigmaDefaults.placeholders),
        /** A placeholder with no configured values: an empty list (a warning) or reject the rule. */
        unresolvedPlaceholders: z.enum(['empty', 'reject']).default(sigmaDefaults.unresolvedPlaceholders),
        /** Rule ids, names or titles to load but not run (listed with enabled: false). */
        disabled: z.array(z.string().min(1)).default(sigmaDefaults.disabled),
        /** Reload when a rule file changes. */
        watch: z.boolean().default(sigmaDefaults.watch),
        /** Quiet time after the last change before reloading (an editor or git checkout writes many files). */
        reloadDebounceMs: z.number().int().min(0).max(60_000).default(sigmaDefaults.reloadDebounceMs),
      })
      .strict()
      .default(sigmaDefaults),
    /** A match folds into an open alert of the same rule, agency and key seen within this many minutes. */
    dedupWindowMinutes: z.number().positive().max(7 * 24 * 60).default(defaults.dedupWindowMinutes),
    /** Single-event rules: the first of these fields present in the event is the alert's key (a rule may set `socnoc.dedup_by`). */
    dedupFields: z.array(z.string().regex(/^[A-Za-z0-9_@][A-Za-z0-9_@.-]*$/, 'expected an ECS field name')).default(defaults.dedupFields),
    /** Matching events kept inline on an alert (the first ones). */
    maxSampleEvents: z.number().int().min(0).max(100).default(defaults.maxSampleEvents),
    /** Matching event ids kept on an alert (the first ones), to find the rest in the event store. */
    maxEventIds: z.number().int().min(0).max(10_000).default(defaults.maxEventIds),
  })
  .strict()
  .default(defaults);

export type CorrelationConfig = z.infer<typeof correlationConfigSchema>;
