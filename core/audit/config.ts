/** The `audit:` section of socnoc.yaml. */
import { z } from 'zod';

const defaults = {
  enabled: true,
  file: 'audit.db',
  trail: { skipPaths: [] as string[] },
};

export const auditConfigSchema = z
  .object({
    /** Record user, token, playbook and system actions. Off only for throwaway test setups. */
    enabled: z.boolean().default(defaults.enabled),
    /** The audit database file; relative to the data folder. */
    file: z.string().min(1).default(defaults.file),
    trail: z
      .object({
        /** API paths (under /api/v1, e.g. `/ingest`) whose mutating requests are not recorded: high-volume machine input. */
        skipPaths: z.array(z.string().regex(/^\//, 'a path starting with /')).default(defaults.trail.skipPaths),
      })
      .strict()
      .default(defaults.trail),
  })
  .strict()
  .default(defaults);

export type AuditConfig = z.infer<typeof auditConfigSchema>;
