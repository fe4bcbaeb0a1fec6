/** The `console:` section of socnoc.yaml: whether socnoc serves the web console at `/`, and from where. */
import { z } from 'zod';

const defaults = {
  enabled: true,
  dir: '',
  refreshSeconds: 5,
};

export const consoleConfigSchema = z
  .object({
    /** Serve the web console at `/` (the API stays under /api/v1 either way). */
    enabled: z.boolean().default(defaults.enabled),
    /** Folder of a built console (index.html + assets/); empty means the one built with socnoc (dist/web). */
    dir: z.string().default(defaults.dir),
    /** How often the console polls for new alerts and metrics; the wall screen uses twice this. */
    refreshSeconds: z.number().int().min(1).max(300).default(defaults.refreshSeconds),
  })
  .strict()
  .default(defaults);

export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;
