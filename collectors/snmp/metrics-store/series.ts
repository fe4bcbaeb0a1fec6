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

/** The finest rollup bucket, and how often rollups run: 5 minutes. */
export const ROLLUP_MS = 300_000;
