/**
 * The poller's current view on /metrics, read at scrape time from its read model: one series per
 * device and per polled interface (cardinality bounded by the inventory), gone when the device is.
 * Names are listed in docs/noc.md for the Grafana dashboards.
 */
import { Gauge } from 'prom-client';
import type { Metrics } from '../../../core/metrics';
import type { DeviceStatus } from '../poll/device-status';

export interface DeviceStatusReader {
  devices(): DeviceStatus[];
}

export function registerSnmpPrometheus(metrics: Metrics, poller: DeviceStatusReader): void {
  const registers = [metrics.registry];
  // One read of the read model per scrape, shared by the gauges below (collect runs per gauge).
  let cached: { at: number; devices: DeviceStatus[] } | undefined;
  const current = (): DeviceStatus[] => {
    const now = Date.now();
    if (cached === undefined || now - cached.at > 1000) cached = { at: now, devices: poller.devices() };
    return cached.devices;
  };
  // Percentages from the read model become 0-1 ratios, the Prometheus convention.
  const ratio = (pct: number | undefined): number | undefined => (pct === undefined ? undefined : pct / 100);
  // One gauge per device-level figure, labelled by device and agency; undefined leaves the device out.
  const deviceGauge = (name: string, help: string, value: (d: DeviceStatus) => number | undefined): void => {
    new Gauge({
      name,
      help,
      labelNames: ['device', 'agency'],
      registers,
      collect() {
        this.reset();
        for (const d of current()) {
          const v = value(d);
          if (v !== undefined) this.set({ device: d.name, agency: d.organization.id }, v);
        }
      },
    });
  };
  deviceGauge('socnoc_device_up', 'SNMP device reachability: 1 up, 0 down or unreachable behind its parent (devices never polled are absent)', (d) =>
    d.status === 'unknown' ? undefined : d.status === 'up' ? 1 : 0,
  );
  deviceGauge('socnoc_device_cpu_load_ratio', 'Mean hrProcessorLoad over the processors, 0 to 1', (d) => ratio(d.cpu_load_pct));
  deviceGauge('socnoc_device_memory_used_ratio', 'Physical memory in use (without buffers and cache where the agent reports them), 0 to 1', (d) => ratio(d.memory_used_pct));
  // One gauge per interface figure measured in each direction; undefined leaves that direction out.
  type InterfaceStatus = DeviceStatus['interfaces'][number];
  const directionGauge = (name: string, help: string, inValue: (i: InterfaceStatus) => number | undefined, outValue: (i: InterfaceStatus) => number | undefined): void => {
    new Gauge({
      name,
      help,
      labelNames: ['device', 'interface', 'direction'],
      registers,
      collect() {
        this.reset();
        for (const d of current()) {
          for (const i of d.interfaces) {
            const inV = inValue(i);
            const outV = outValue(i);
            if (inV !== undefined) this.set({ device: d.name, interface: i.name, direction: 'in' }, inV);
            if (outV !== undefined) this.set({ device: d.name, interface: i.name, direction: 'out' }, outV);
          }
        }
      },
    });
  };
  directionGauge(
    'socnoc_interface_utilization_ratio',
    'Interface utilisation against its speed, 0 to 1, per direction',
    (i) => ratio(i.in_utilization_pct),
    (i) => ratio(i.out_utilization_pct),
  );
  directionGauge('socnoc_interface_bits_per_second', 'Interface traffic in bit/s, per direction', (i) => i.in_bps, (i) => i.out_bps);
  new Gauge({
    name: 'socnoc_interface_oper_up',
    help: 'ifOperStatus: 1 up, 0 any other state',
    labelNames: ['device', 'interface'],
    registers,
    collect() {
      this.reset();
      for (const d of current()) for (const i of d.interfaces) if (i.oper_status !== undefined) this.set({ device: d.name, interface: i.name }, i.oper_status === 'up' ? 1 : 0);
    },
  });
}
