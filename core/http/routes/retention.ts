/**
 * Read-only data retention for administrators: how long each kind of data is kept (from socnoc.yaml,
 * where operators change it) and what the event store holds on disk. Nothing here changes retention:
 * a setting edited through the API would silently disagree with the configuration file.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { eventStoreDiskStats } from '../../store/event-partition-stats';
import type { HttpModule } from '../deps';
import type { OpenApiRegistry } from '../openapi';
import { defineRoute } from '../route';

/** One retention setting of socnoc.yaml, by its dotted key (`netflow.aggregate.retentionDays`). */
export interface RetentionSetting {
  key: string;
  days: number;
}

export interface RetentionHttpDeps {
  /** `retention.days` of socnoc.yaml: event partitions older than this are deleted. */
  retentionDays: number;
  /** Folder of the event store's day partitions (`<dataDir>/events`). */
  eventsDir: string;
  /** Other capabilities' retention settings (SNMP metrics, flow aggregates), shown beside the events'. */
  otherSettings?: readonly RetentionSetting[];
  now?: () => number;
}

const retentionAnswer = z.object({
  settings: z.array(z.object({ key: z.string(), days: z.number() })).describe('retention settings of socnoc.yaml; `retention.days` first'),
  events: z.object({
    retentionDays: z.number(),
    partitions: z.array(z.object({ day: z.string().describe('UTC day, YYYY-MM-DD'), bytes: z.number() })).describe('oldest first'),
    totalBytes: z.number(),
    oldestEventAt: z.string().nullable().describe('@timestamp of the oldest stored event; null when none'),
    deletesBefore: z.string().describe('partitions of days before this one are deleted at the next retention pass'),
  }),
});
export type RetentionAnswer = z.infer<typeof retentionAnswer>;

const DAY_MS = 86_400_000;

export function retentionHttpModule(deps: RetentionHttpDeps): HttpModule {
  const now = deps.now ?? Date.now;
  return {
    name: 'retention',
    register(router: Router, api: OpenApiRegistry): void {
      defineRoute(router, api, {
        method: 'get',
        path: '/admin/retention',
        summary: 'Data retention settings and what the event store holds',
        description: 'Read-only; retention is changed in socnoc.yaml (`retention.days`, `snmp.metrics.*RetentionDays`, `netflow.aggregate.retentionDays`); a change takes effect when socnoc restarts.',
        tags: ['admin'],
        permission: 'users:manage',
        responses: { 200: { description: 'retention', schema: retentionAnswer } },
        handler: (): RetentionAnswer => {
          const disk = eventStoreDiskStats(deps.eventsDir);
          const cutoffDay = Math.floor((now() - deps.retentionDays * DAY_MS) / DAY_MS);
          return {
            settings: [{ key: 'retention.days', days: deps.retentionDays }, ...(deps.otherSettings ?? []).map((s) => ({ key: s.key, days: s.days }))],
            events: {
              retentionDays: deps.retentionDays,
              partitions: disk.partitions,
              totalBytes: disk.totalBytes,
              oldestEventAt: disk.oldestEventAt === null ? null : new Date(disk.oldestEventAt).toISOString(),
              deletesBefore: new Date(cutoffDay * DAY_MS).toISOString().slice(0, 10),
            },
          };
        },
      });
    },
  };
}
