/**
 * Devices (issue 4) and flows (issue 5). The list shapes are the issues' contracts; the time series
 * shapes are read leniently (arrays of [time, value] or {time|t|start, value|v|bytes}) because
 * those routes are being written alongside the console.
 */
import { api } from './client';
import type { Device, DeviceInterface, DiscoverySweep, FlowTopBy, FlowTopRow, SeriesPoint } from './types';

type RawPoint = unknown;

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null;
}

/** One point from the forms the metrics routes may use. */
export function toPoint(raw: RawPoint, valueKey = 'value'): SeriesPoint | undefined {
  if (Array.isArray(raw) && raw.length >= 2) return { time: raw[0] as string | number, value: num(raw[1]) };
  if (raw !== null && typeof raw === 'object') {
    const o = raw as Record<string, unknown>;
    const time = (o.time ?? o.t ?? o.start ?? o.ts ?? o['@timestamp']) as string | number | undefined;
    if (time === undefined) return undefined;
    const value = num(o[valueKey] ?? o.value ?? o.v ?? o.avg);
    return { time, value };
  }
  return undefined;
}

/** Finds the first array of points in an answer: `points`, `series[0].points`, `buckets`, `values`, `data`. */
export function pointsOf(answer: unknown, valueKey = 'value'): SeriesPoint[] {
  if (answer === null || typeof answer !== 'object') return [];
  const o = answer as Record<string, unknown>;
  const candidates = [o.points, o.buckets, o.values, o.data, o.series, o.timeseries];
  for (const c of candidates) {
    if (!Array.isArray(c)) continue;
    if (c.length > 0 && c[0] !== null && typeof c[0] === 'object' && !Array.isArray(c[0]) && 'points' in (c[0] as object)) return pointsOf(c[0], valueKey);
    const pts: SeriesPoint[] = [];
    for (const raw of c) {
      const p = toPoint(raw, valueKey);
      if (p) pts.push(p);
    }
    return pts;
  }
  return [];
}

export const devicesApi = {
  list: async (): Promise<Device[]> => (await api.get<{ devices: Device[] }>('/devices')).devices,
  get: (id: string): Promise<Device> => api.get<Device>(`/devices/${encodeURIComponent(id)}`),
  interfaces: async (id: string): Promise<DeviceInterface[]> => (await api.get<{ interfaces: DeviceInterface[] }>(`/devices/${encodeURIComponent(id)}/interfaces`)).interfaces,
  metrics: async (id: string, metric: string, params: { interface?: string | number; from?: string; to?: string } = {}): Promise<SeriesPoint[]> =>
    pointsOf(await api.get<unknown>(`/devices/${encodeURIComponent(id)}/metrics`, { metric, interface: params.interface === undefined ? undefined : String(params.interface), from: params.from, to: params.to })),
  discovery: async (): Promise<DiscoverySweep | null> => (await api.get<{ sweep: DiscoverySweep | null }>('/devices/discovery')).sweep,
  discover: async (): Promise<DiscoverySweep> => (await api.post<{ sweep: DiscoverySweep }>('/devices/discovery', {})).sweep,
};

export const flowsApi = {
  top: async (by: FlowTopBy, params: { from?: string; to?: string; limit?: number } = {}): Promise<FlowTopRow[]> =>
    (await api.get<{ top: FlowTopRow[] }>('/flows/top', { by, ...params })).top,
  timeseries: async (params: { from?: string; to?: string; ip?: string } = {}): Promise<SeriesPoint[]> => pointsOf(await api.get<unknown>('/flows/timeseries', params), 'bytes'),
};
