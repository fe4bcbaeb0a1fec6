/** `socnoc dashboards grafana --out DIR`: writes the dashboards as importable Grafana JSON files. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { allDashboards } from './dashboards';

export { allDashboards, nocDashboard, pipelineDashboard, socDashboard } from './dashboards';
export type { Dashboard, Panel } from './model';

/** Writes one `<uid>.json` per dashboard into outDir (created if missing); returns the paths written. */
export function runGrafanaExport(outDir: string, out: NodeJS.WritableStream = process.stdout): string[] {
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const d of allDashboards()) {
    const file = join(dir, `${d.uid}.json`);
    writeFileSync(file, `${JSON.stringify(d, null, 2)}\n`);
    written.push(file);
    out.write(`${file}\t${d.title}\t${d.panels.length} panels\n`);
  }
  return written;
}
