/** Threat intelligence (correlation/intel/http.ts): feeds and indicators. */
import { api } from './client';

export const INDICATOR_TYPES = ['ipv4', 'ipv6', 'domain', 'hostname', 'url', 'md5', 'sha1', 'sha256'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

export interface IntelFeed {
  name: string;
  format: 'stix' | 'misp' | 'csv' | 'txt';
  source: string;
  enabled: boolean;
  state: 'disabled' | 'loading' | 'ok' | 'failed';
  indicators: number;
  active: number;
  by_type: Record<string, number>;
  last_success: string | null;
  last_change: string | null;
  next_refresh: string | null;
  last_error: string | null;
}

export interface Indicator {
  type: IndicatorType;
  value: string;
  feed: string;
  confidence: number;
  active: boolean;
  last_seen: string | null;
  valid_until: string | null;
  name: string | null;
  labels: string[];
  attack: string[];
  tlp: string | null;
}

export const intelApi = {
  feeds: async (): Promise<IntelFeed[]> => (await api.get<{ feeds: IntelFeed[] }>('/intel/feeds')).feeds,
  refresh: (name: string): Promise<IntelFeed> => api.post(`/intel/feeds/${encodeURIComponent(name)}/refresh`, {}),
  indicators: (params: { q?: string; type?: string; feed?: string; active?: string; limit?: number; offset?: number }): Promise<{ total: number; indicators: Indicator[] }> =>
    api.get('/intel/indicators', { limit: 100, ...params }),
};
