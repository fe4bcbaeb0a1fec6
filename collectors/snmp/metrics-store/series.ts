/** The series the metrics store keeps: column names double as the API's `metric` values. */

export const INTERFACE_METRICS = [
  'in_bps',
  'out_bps',
  'in_pps',
  'out_pps',
  'in_errors_ps',
  'out_errors_ps',
  'in_discards_ps',
  'out_discards_ps',
  'utilization_pct',
  'oper_up',
] as const;
export type InterfaceMetric = (typeof INTERFACE_METRICS)[number];

export const DEVICE_METRICS = ['up', 'cpu_load_pct', 'memory_used_pct', 'poll_ms'] as const;
export type DeviceMetric = (typeof DEVICE_METRICS)[number];

export type MetricName = InterfaceMetric | DeviceMetric;

export function isInterfaceMetric(m: string): m is InterfaceMetric {
  return (INTERFACE_METRICS as readonly string[]).includes(m);
}

export function isDeviceMetric(m: string): m is DeviceMetric {
  return (DEVICE_METRICS as readonly string[]).includes(m);
}

/** Rollup bucket: 5 minutes. */
export const ROLLUP_MS = 300_000;

function columns(names: readonly string[], withMax: boolean): string {
  return names.map((n) => (withMax ? `${n} REAL, ${n}_max REAL` : `${n} REAL`)).join(', ');
}

export const METRICS_MIGRATIONS: readonly string[] = [
  `CREATE TABLE snmp_if_samples (device_id TEXT NOT NULL, if_index INTEGER NOT NULL, ts INTEGER NOT NULL, ${columns(INTERFACE_METRICS, false)},
     PRIMARY KEY (device_id, if_index, ts)) WITHOUT ROWID;
   CREATE INDEX snmp_if_samples_ts ON snmp_if_samples (ts);
   CREATE TABLE snmp_if_rollup_5m (device_id TEXT NOT NULL, if_index INTEGER NOT NULL, ts INTEGER NOT NULL, ${columns(INTERFACE_METRICS, true)},
     PRIMARY KEY (device_id, if_index, ts)) WITHOUT ROWID;
   CREATE INDEX snmp_if_rollup_5m_ts ON snmp_if_rollup_5m (ts);
   CREATE TABLE snmp_device_samples (device_id TEXT NOT NULL, ts INTEGER NOT NULL, ${columns(DEVICE_METRICS, false)},
     PRIMARY KEY (device_id, ts)) WITHOUT ROWID;
   CREATE INDEX snmp_device_samples_ts ON snmp_device_samples (ts);
   CREATE TABLE snmp_device_rollup_5m (device_id TEXT NOT NULL, ts INTEGER NOT NULL, ${columns(DEVICE_METRICS, true)},
     PRIMARY KEY (device_id, ts)) WITHOUT ROWID;
   CREATE INDEX snmp_device_rollup_5m_ts ON snmp_device_rollup_5m (ts);
   CREATE TABLE snmp_metrics_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);`,
];
