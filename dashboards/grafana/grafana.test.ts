/**
 * The generated dashboards against Grafana's dashboard JSON model: the members Grafana needs to
 * import them, panels on the 24-column grid that do not overlap, unique ids, every query bound to
 * the templated Prometheus data source, variables that exist, and metric names socnoc exports.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Metrics } from '../../core/metrics';
import { allDashboards, runGrafanaExport, type Dashboard, type Panel } from './index';
import { DATASOURCE_VARIABLE, SCHEMA_VERSION } from './model';

const ROOT = join(__dirname, '..', '..');

function allPanels(d: Dashboard): Panel[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

function sourceText(): string {
  const parts: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'testdata' || name.startsWith('.')) continue;
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) parts.push(readFileSync(full, 'utf8'));
    }
  };
  for (const dir of ['core', 'collectors', 'correlation', 'playbooks']) walk(join(ROOT, dir));
  return parts.join('\n');
}

describe('Grafana dashboards', () => {
  const dashboards = allDashboards();

  it('are the NOC, SOC and pipeline dashboards with unique uids', () => {
    expect(dashboards.map((d) => d.uid).sort()).toEqual(['socnoc-noc', 'socnoc-pipeline', 'socnoc-soc']);
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))('%s has the members of the dashboard model', (_uid, d) => {
    expect(d.schemaVersion).toBe(SCHEMA_VERSION);
    expect(typeof d.title).toBe('string');
    expect(d.uid.length).toBeLessThanOrEqual(40);
    expect(d.uid).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(d.time).toEqual({ from: expect.any(String), to: 'now' });
    expect(Array.isArray(d.templating.list)).toBe(true);
    expect(Array.isArray(d.annotations.list)).toBe(true);
    expect(d.tags).toContain('socnoc');
    // Grafana's importer rejects an `id` at dashboard level for a new dashboard only if it clashes; we send none.
    expect('id' in d).toBe(false);
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))('%s: unique panel ids, grid positions inside 24 columns without overlap', (_uid, d) => {
    const panels = allPanels(d);
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const taken = new Set<string>();
    for (const p of panels) {
      const { x, y, w, h } = p.gridPos;
      for (const v of [x, y, w, h]) expect(Number.isInteger(v)).toBe(true);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(w).toBeGreaterThan(0);
      expect(h).toBeGreaterThan(0);
      expect(x + w).toBeLessThanOrEqual(24);
      for (let cx = x; cx < x + w; cx++)
        for (let cy = y; cy < y + h; cy++) {
          const cell = `${cx},${cy}`;
          if (taken.has(cell)) throw new Error(`${d.uid}: panel "${p.title}" overlaps another at ${cell}`);
          taken.add(cell);
        }
    }
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))('%s: every query uses the templated Prometheus data source and only defined variables', (_uid, d) => {
    const dsVar = d.templating.list.find((v) => v.name === DATASOURCE_VARIABLE);
    expect(dsVar).toMatchObject({ type: 'datasource', query: 'prometheus' });
    const defined = new Set([...d.templating.list.map((v) => v.name), '__rate_interval', '__interval', '__range']);
    for (const p of allPanels(d)) {
      if (p.type === 'row') continue;
      expect(p.datasource).toEqual({ type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` });
      expect(p.targets?.length).toBeGreaterThan(0);
      const refIds = p.targets!.map((t) => t.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
      for (const t of p.targets!) {
        expect(t.datasource.uid).toBe(`\${${DATASOURCE_VARIABLE}}`);
        expect(t.expr.trim()).not.toBe('');
        for (const m of t.expr.matchAll(/\$(\w+)/g)) if (!defined.has(m[1])) throw new Error(`${d.uid}/${p.title}: undefined variable $${m[1]}`);
        // Balanced brackets catch a typo PromQL would reject at query time.
        for (const [open, close] of ['()', '{}', '[]']) expect(t.expr.split(open).length).toBe(t.expr.split(close).length);
      }
    }
    for (const v of d.templating.list) {
      if (v.type !== 'query') continue;
      expect(v.datasource?.uid).toBe(`\${${DATASOURCE_VARIABLE}}`);
    }
  });

  it('queries only metric names socnoc exports', async () => {
    const names = new Set<string>();
    for (const d of dashboards) for (const p of allPanels(d)) for (const t of p.targets ?? []) for (const m of t.expr.matchAll(/\bsocnoc_[a-z0-9_]+/g)) names.add(m[0]);
    for (const v of dashboards.flatMap((d) => d.templating.list)) if (typeof v.query === 'object') for (const m of v.query.query.matchAll(/\bsocnoc_[a-z0-9_]+/g)) names.add(m[0]);
    // Core and process metrics: scraped from a real registry.
    const metrics = new Metrics();
    metrics.input('syslog/udp').received = 1;
    metrics.queueDepth('pipeline', () => 0);
    const exposed = await metrics.registry.metrics();
    const source = sourceText();
    const unknown = [...names].filter((n) => {
      if (exposed.includes(`\n${n} `) || exposed.includes(`\n${n}{`) || exposed.startsWith(`${n}`)) return false;
      return !source.includes(`'${n}'`);
    });
    expect(unknown).toEqual([]);
  });

  it('breaks SOC alert rates down by severity and agency, filtered by both variables', () => {
    const soc = dashboards.find((d) => d.uid === 'socnoc-soc')!;
    expect(soc.templating.list.map((v) => v.name)).toEqual(expect.arrayContaining(['agency', 'severity']));
    const exprs = allPanels(soc).flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    const created = exprs.filter((e) => e.includes('socnoc_alerts_created_total'));
    expect(created.some((e) => e.startsWith('sum by (severity)'))).toBe(true);
    expect(created.some((e) => e.startsWith('sum by (agency)'))).toBe(true);
    for (const e of created) expect(e).toContain('agency=~"$agency"');
  });

  it('writes one importable JSON file per dashboard', () => {
    const dir = mkdtempSync(join(tmpdir(), 'socnoc-grafana-'));
    try {
      const lines: string[] = [];
      const out = new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      });
      const written = runGrafanaExport(join(dir, 'nested', 'out'), out);
      expect(written.map((f) => f.slice(f.lastIndexOf('/') + 1)).sort()).toEqual(['socnoc-noc.json', 'socnoc-pipeline.json', 'socnoc-soc.json']);
      for (const f of written) {
        const parsed = JSON.parse(readFileSync(f, 'utf8')) as Dashboard;
        expect(parsed.schemaVersion).toBe(SCHEMA_VERSION);
        expect(parsed.panels.length).toBeGreaterThan(5);
      }
      expect(lines.join('')).toContain('socnoc — NOC device and interface health');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
