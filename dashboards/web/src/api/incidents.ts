/** Incidents (issue 6): list and one incident with its timeline and tasks. */
import { api } from './client';
import type { Incident } from './types';

export const incidentsApi = {
  list: (params: { status?: string; q?: string; limit?: number } = {}): Promise<{ total: number; incidents: Incident[] }> => api.get('/incidents', { limit: 500, ...params }),
  get: (id: string): Promise<Incident> => api.get<Incident>(`/incidents/${encodeURIComponent(id)}`),
  update: (id: string, body: { status?: string; assignee?: string | null }): Promise<Incident> => api.patch(`/incidents/${encodeURIComponent(id)}`, body),
  comment: (id: string, text: string): Promise<unknown> => api.post(`/incidents/${encodeURIComponent(id)}/comments`, { text }),
};
