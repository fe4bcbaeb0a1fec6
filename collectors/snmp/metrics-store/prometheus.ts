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
  new Gauge({
    name: 'socnoc_device_up',
    help: 'SNMP device reachability: 1 up, 0 down or unreachable behind its parent (devices never polled are absent)',
    labelNames: ['device', 'agency'],
    registers,
    collect() {
      this.reset();
      for (const d of current()) if (d.status !== 'unknown') this.set({ device: d.name, agency: d.organization.id }, d.status === 'up' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'socnoc_device_cpu_load_ratio',
    help: 'Mean hrProcessorLoad over the processors, 0 to 1',
    labelNames: ['device', 'agency'],
    registers,
    collect() {
      this.reset();
      for (const d of current()) if (d.cpu_load_pct !== undefined) this.set({ device: d.name, agency: d.organization.id }, d.cpu_load_pct / 100);
    },
  });
  new Gauge({
    name: 'socnoc_device_memory_used_ratio',
    help: 'Physical memory in use (without buffers and cache where the agent reports them), 0 to 1',
    labelNames: ['device', 'agency'],
    registers,
    collect() {
      this.reset();
      for (const d of current()) if (d.memory_used_pct !== undefined) this.set({ device: d.name, agency: d.organization.id }, d.memory_used_pct / 100);
    },
  });
  new Gauge({
    name: 'socnoc_interface_utilization_ratio',
    help: 'Interface utilisation against its speed, 0 to 1, per direction',
    labelNames: ['device', 'interface', 'direction'],
    registers,
    collect() {
      this.reset();
      for (const d of current()) {
        for (const i of d.interfaces) {
          if (i.in_utilization_pct !== undefined) this.set({ device: d.name, interface: i.name, direction: 'in' }, i.in_utilization_pct / 100);
          if (i.out_utilization_pct !== undefined) this.set({ device: d.name, interface: i.name, direction: 'out' }, i.out_utilization_pct / 100);
        }
      }
    },
  });
  new Gauge({
    name: 'socnoc_interface_bits_per_second',
    help: 'Interface traffic in bit/s, per direction',
    labelNames: ['device', 'interface', 'direction'],
    registers,
    collect() {
      this.reset();
      for (const d of current()) {
        for (const i of d.interfaces) {
          if (i.in_bps !== undefined) this.set({ device: d.name, interface: i.name, direction: 'in' }, i.in_bps);
          if (i.out_bps !== undefined) this.set({ device: d.name, interface: i.name, direction: 'out' }, i.out_bps);
        }
      }
    },
  });
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
