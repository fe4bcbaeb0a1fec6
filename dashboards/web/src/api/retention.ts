/** Data retention (core/http/routes/retention.ts): settings of socnoc.yaml and the event store on disk. */
import { api } from './client';

export interface RetentionInfo {
  settings: Array<{ key: string; days: number }>;
  events: {
    retentionDays: number;
    partitions: Array<{ day: string; bytes: number }>;
    totalBytes: number;
    oldestEventAt: string | null;
    deletesBefore: string;
  };
}

export const retentionApi = {
  get: (): Promise<RetentionInfo> => api.get<RetentionInfo>('/admin/retention'),
};
