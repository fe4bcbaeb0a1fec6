/** Messages between SnmpMetricsStore's RollupThread and its worker (rollup-worker.ts). */

export type RollupRequest = { seq: number; op: 'rollup'; now: number } | { seq: number; op: 'close' };

export type RollupReply = { seq: number; ok: true; rows: number } | { seq: number; ok: false; message: string };
