/**
 * The subset of Grafana's dashboard JSON model (schemaVersion 39, Grafana 10.x/11.x) socnoc
 * generates, and builders that lay panels out on the 24-column grid. Every panel queries the
 * Prometheus data source chosen in the `datasource` template variable, so one import works with
 * whatever the Prometheus data source is called on the user's Grafana.
 */

export const SCHEMA_VERSION = 39;
export const DATASOURCE_VARIABLE = 'datasource';
export const PROMETHEUS = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` } as const;

export interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Target {
  refId: string;
  expr: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
  format?: 'time_series' | 'table';
  datasource: typeof PROMETHEUS;
}

export type PanelType = 'timeseries' | 'stat' | 'table' | 'bargauge' | 'row';

export interface Panel {
  id: number;
  type: PanelType;
  title: string;
  description?: string;
  gridPos: GridPos;
  datasource?: typeof PROMETHEUS;
  targets?: Target[];
  fieldConfig?: { defaults: Record<string, unknown>; overrides: unknown[] };
  options?: Record<string, unknown>;
  collapsed?: boolean;
  panels?: Panel[];
}

export interface TemplateVariable {
  name: string;
  label: string;
  type: 'datasource' | 'query';
  query: string | { query: string; refId: string };
  datasource?: typeof PROMETHEUS;
  refresh?: 1 | 2;
  includeAll?: boolean;
  multi?: boolean;
  allValue?: string;
  current: Record<string, unknown>;
  hide: 0;
  options: unknown[];
  sort?: number;
}

export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  timezone: 'browser';
  schemaVersion: number;
  version: number;
  editable: boolean;
  graphTooltip: 1;
  refresh: string;
  time: { from: string; to: string };
  timepicker: Record<string, unknown>;
  templating: { list: TemplateVariable[] };
  annotations: { list: unknown[] };
  links: unknown[];
  panels: Panel[];
}

export interface PanelSpec {
  type: Exclude<PanelType, 'row'>;
  title: string;
  description?: string;
  /** Width in grid columns (of 24) and height in grid rows. */
  w: number;
  h: number;
  queries: Array<{ expr: string; legend?: string }>;
  unit?: string;
  /** Thresholds for stat panels: [value, colour] above the base green. */
  thresholds?: Array<[number, string]>;
  stack?: boolean;
  instant?: boolean;
}

export type RowSpec = { row: string; panels: PanelSpec[] };

export function datasourceVariable(): TemplateVariable {
  return { name: DATASOURCE_VARIABLE, label: 'Prometheus', type: 'datasource', query: 'prometheus', current: {}, hide: 0, options: [], refresh: 1 };
}

/** A multi-select variable over a label's values, `All` matching everything. */
export function labelVariable(name: string, label: string, metric: string, labelName: string): TemplateVariable {
  const query = `label_values(${metric}, ${labelName})`;
  return {
    name,
    label,
    type: 'query',
    datasource: PROMETHEUS,
    query: { query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    hide: 0,
    options: [],
    sort: 1,
  };
}

function panelFrom(spec: PanelSpec, id: number, gridPos: GridPos): Panel {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const targets: Target[] = spec.queries.map((q, i) => ({
    refId: letters[i],
    expr: q.expr,
    ...(q.legend !== undefined ? { legendFormat: q.legend } : {}),
    ...(spec.instant || spec.type === 'table' ? { instant: true, range: false, format: spec.type === 'table' ? ('table' as const) : ('time_series' as const) } : {}),
    datasource: PROMETHEUS,
  }));
  const defaults: Record<string, unknown> = { unit: spec.unit ?? 'short' };
  if (spec.thresholds) defaults.thresholds = { mode: 'absolute', steps: [{ color: 'green', value: null }, ...spec.thresholds.map(([value, color]) => ({ color, value }))] };
  if (spec.type === 'timeseries') defaults.custom = { drawStyle: 'line', lineWidth: 1, fillOpacity: spec.stack ? 30 : 10, stacking: { mode: spec.stack ? 'normal' : 'none', group: 'A' }, showPoints: 'never' };
  const options: Record<string, unknown> =
    spec.type === 'timeseries'
      ? { legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['mean', 'max', 'lastNotNull'] }, tooltip: { mode: 'multi', sort: 'desc' } }
      : spec.type === 'stat'
        ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background', graphMode: 'area', textMode: 'auto' }
        : spec.type === 'bargauge'
          ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, orientation: 'horizontal', displayMode: 'gradient' }
          : { showHeader: true };
  return { id, type: spec.type, title: spec.title, ...(spec.description ? { description: spec.description } : {}), gridPos, datasource: PROMETHEUS, targets, fieldConfig: { defaults, overrides: [] }, options };
}

/** Lays rows of panels out left to right, wrapping at 24 columns; ids are unique within the dashboard. */
export function layout(rows: readonly RowSpec[]): Panel[] {
  const panels: Panel[] = [];
  let id = 1;
  let y = 0;
  for (const row of rows) {
    panels.push({ id: id++, type: 'row', title: row.row, gridPos: { x: 0, y, w: 24, h: 1 }, collapsed: false, panels: [] });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const spec of row.panels) {
      if (spec.w > 24) throw new Error(`grafana panel "${spec.title}": width ${spec.w} exceeds the 24-column grid`);
      if (x + spec.w > 24) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      panels.push(panelFrom(spec, id++, { x, y, w: spec.w, h: spec.h }));
      x += spec.w;
      rowHeight = Math.max(rowHeight, spec.h);
    }
    y += rowHeight;
  }
  return panels;
}

export function dashboard(opts: { uid: string; title: string; description: string; tags: string[]; variables: TemplateVariable[]; rows: RowSpec[]; refresh?: string }): Dashboard {
  return {
    uid: opts.uid,
    title: opts.title,
    description: opts.description,
    tags: ['socnoc', ...opts.tags],
    timezone: 'browser',
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    editable: true,
    graphTooltip: 1,
    refresh: opts.refresh ?? '30s',
    time: { from: 'now-6h', to: 'now' },
    timepicker: {},
    templating: { list: [datasourceVariable(), ...opts.variables] },
    annotations: {
      list: [{ builtIn: 1, datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, hide: true, iconColor: 'rgba(0, 211, 255, 1)', name: 'Annotations & Alerts', type: 'dashboard' }],
    },
    links: [],
    panels: layout(opts.rows),
  };
}
