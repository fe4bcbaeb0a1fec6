/**
 * The configuration reference (README.md and the capability guides in docs/) must name every key of
 * socnoc.yaml: walk the composed zod schema and look for each key path, so a new option cannot ship
 * undocumented.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { socnocConfigSchema } from '../app/config';

/** Keys whose inner structure the README describes in one row. */
const DOCUMENTED_AS_A_WHOLE = new Set([
  'snmp.traps.users',
  'devices[].snmp',
  'correlation.sigma.paths',
  // The agents' central configuration: docs/agents.md gives each part's shape in one row.
  'agents.defaultConfig.files',
  'agents.defaultConfig.journald',
  'agents.defaultConfig.fim',
  'agents.defaultConfig.yara',
  'agents.defaultConfig.inventory',
  'agents.defaultConfig.queue',
  'agents.defaultConfig.batch',
  'compliance.schedules',
]);

type JsonSchema = { type?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; allOf?: JsonSchema[] };

function keyPaths(schema: JsonSchema, prefix: string, out: Set<string>): void {
  for (const alt of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) keyPaths(alt, prefix, out);
  if (schema.items) keyPaths(schema.items, `${prefix}[]`, out);
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    // Sections (objects of options) are not options themselves; their keys are.
    const isSection = child.properties !== undefined && !DOCUMENTED_AS_A_WHOLE.has(path);
    if (!isSection) out.add(path);
    if (!DOCUMENTED_AS_A_WHOLE.has(path)) keyPaths(child, path, out);
  }
}

describe('README configuration reference', () => {
  it('documents every key of socnoc.yaml', () => {
    const docsDir = join(__dirname, '..', 'docs');
    const guides = readdirSync(docsDir).filter((f) => f.endsWith('.md')).map((f) => readFileSync(join(docsDir, f), 'utf8'));
    const readme = [readFileSync(join(__dirname, '..', 'README.md'), 'utf8'), ...guides].join('\n');
    const paths = new Set<string>();
    keyPaths(z.toJSONSchema(socnocConfigSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema, '', paths);
    expect(paths.size).toBeGreaterThan(50);
    const missing = [...paths].filter((p) => !readme.includes(`| \`${p}\` |`));
    expect(missing).toEqual([]);
  });
});
