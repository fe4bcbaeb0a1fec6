/** An information system in the register: what an auditor assesses at its approved level. */
import { z } from 'zod';

export const SYSTEM_REGIMES = ['decree85', 'decree331'] as const;

const assetName = z.string().trim().min(1).max(255);

export const systemAssetsSchema = z
  .object({
    /** Network/security devices by name or address (as the SNMP inventory and syslog see them). */
    devices: z.array(z.object({ name: assetName.optional(), address: assetName.optional() }).strict().refine((d) => d.name !== undefined || d.address !== undefined, 'a device needs a name or an address')).max(5000).default([]),
    /** Hosts running the socnoc agent, by hostname. */
    agent_hosts: z.array(assetName).max(5000).default([]),
    /** Log sources: the sender address, the reported host name, or an agent id. */
    log_sources: z
      .array(
        z
          .object({ name: assetName.optional(), address: assetName.optional(), host: assetName.optional(), agent_id: assetName.optional() })
          .strict()
          .refine((s) => s.address !== undefined || s.host !== undefined || s.agent_id !== undefined, 'a log source needs an address, host or agent_id'),
      )
      .max(5000)
      .default([]),
  })
  .strict();

export const systemInputSchema = z
  .object({
    name: z.string().trim().min(1).max(255),
    /** The owner agency (organization.id). */
    agency: z.string().trim().min(1).max(100),
    level: z.number().int().min(1).max(5),
    regime: z.enum(SYSTEM_REGIMES).default('decree85'),
    description: z.string().max(4000).default(''),
    assets: systemAssetsSchema.default({ devices: [], agent_hosts: [], log_sources: [] }),
    approval: z
      .object({ document: z.string().trim().min(1).max(255), date: z.iso.date() })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();

export const systemPatchSchema = systemInputSchema.partial().strict();

export type SystemAssets = z.infer<typeof systemAssetsSchema>;
export type SystemInput = z.input<typeof systemInputSchema>;
export type SystemPatch = z.infer<typeof systemPatchSchema>;

export interface ComplianceSystem {
  id: string;
  name: string;
  agency: string;
  level: number;
  regime: (typeof SYSTEM_REGIMES)[number];
  description: string;
  assets: SystemAssets;
  approval: { document: string; date: string } | null;
  created_at: string;
  updated_at: string;
}
