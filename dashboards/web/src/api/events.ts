/** Event search, histogram and top values (core routes). */
import { api } from './client';
import type { EventPage, Histogram, TopValues } from './types';

export interface EventQuery {
  q?: string;
  from?: string;
  to?: string;
}

export const eventsApi = {
  search: (query: EventQuery & { limit?: number; cursor?: string }, signal?: AbortSignal): Promise<EventPage> =>
    api.get<EventPage>('/events', { ...query }, signal),
  histogram: (query: EventQuery & { interval?: string }, signal?: AbortSignal): Promise<Histogram> => api.get<Histogram>('/events/histogram', { ...query }, signal),
  top: (query: EventQuery & { field: string; size?: number }, signal?: AbortSignal): Promise<TopValues> => api.get<TopValues>('/events/top', { ...query }, signal),
};
