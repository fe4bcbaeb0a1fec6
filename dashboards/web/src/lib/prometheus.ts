/**
 * The Prometheus text exposition format, read just enough for the collector health view: samples
 * with labels, and per-second rates from two scrapes (a counter that went down was reset by a
 * restart: its new value is the increase).
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === ',') i++;
    const eq = text.indexOf('=', i);
    if (eq < 0) break;
    const name = text.slice(i, eq).trim();
    i = eq + 1;
    if (text[i] !== '"') break;
    i++;
    let value = '';
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\' && i + 1 < text.length) {
        const next = text[i + 1];
        value += next === 'n' ? '\n' : next;
        i += 2;
      } else value += text[i++];
    }
    i++;
    labels[name] = value;
  }
  return labels;
}

export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    let name: string;
    let labels: Record<string, string> = {};
    let rest: string;
    if (brace >= 0 && brace < line.indexOf(' ')) {
      name = line.slice(0, brace);
      const close = line.lastIndexOf('}');
      labels = parseLabels(line.slice(brace + 1, close));
      rest = line.slice(close + 1).trim();
    } else {
      const space = line.indexOf(' ');
      name = line.slice(0, space);
      rest = line.slice(space + 1).trim();
    }
    const valueText = rest.split(' ')[0];
    const value = valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
    if (name !== '' && !Number.isNaN(value)) samples.push({ name, labels, value });
  }
  return samples;
}

export function seriesKey(s: Sample): string {
  const keys = Object.keys(s.labels).sort();
  return `${s.name}{${keys.map((k) => `${k}="${s.labels[k]}"`).join(',')}}`;
}

/** Sum of a metric's samples grouped by one label. */
export function sumBy(samples: readonly Sample[], name: string, label: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples) {
    if (s.name !== name) continue;
    const key = s.labels[label] ?? '';
    out.set(key, (out.get(key) ?? 0) + s.value);
  }
  return out;
}

/** Per-second rate of each `name` series grouped by `label`, between two scrapes `seconds` apart. */
export function ratesBy(before: readonly Sample[], after: readonly Sample[], name: string, label: string, seconds: number): Map<string, number> {
  const prev = new Map<string, number>();
  for (const s of before) if (s.name === name) prev.set(seriesKey(s), s.value);
  const out = new Map<string, number>();
  for (const s of after) {
    if (s.name !== name) continue;
    const old = prev.get(seriesKey(s)) ?? 0;
    const increase = s.value >= old ? s.value - old : s.value;
    const key = s.labels[label] ?? '';
    out.set(key, (out.get(key) ?? 0) + (seconds > 0 ? increase / seconds : 0));
  }
  return out;
}
