/**
 * socnoc's three Grafana dashboards over its /metrics names (core/metrics.ts, correlation/*,
 * collectors/*): pipeline health, SOC activity, NOC device and interface health.
 */
import { dashboard, labelVariable, type Dashboard } from './model';

const INPUT = 'input=~"$input"';

export function pipelineDashboard(): Dashboard {
  return dashboard({
    uid: 'socnoc-pipeline',
    title: 'socnoc — pipeline health',
    description: 'Intake per input (syslog, SNMP, flows, agents), failures and drops, queue depths, storage and detection pace, process resources.',
    tags: ['pipeline'],
    variables: [labelVariable('input', 'Input', 'socnoc_input_received_total', 'input')],
    rows: [
      {
        row: 'Intake',
        panels: [
          { type: 'stat', title: 'Events / s received', w: 6, h: 4, unit: 'ops', queries: [{ expr: `sum(rate(socnoc_input_received_total{${INPUT}}[$__rate_interval]))` }] },
          { type: 'stat', title: 'Events / s stored', w: 6, h: 4, unit: 'ops', queries: [{ expr: `sum(rate(socnoc_input_stored_total{${INPUT}}[$__rate_interval]))` }] },
          { type: 'stat', title: 'Drops / s', w: 6, h: 4, unit: 'ops', thresholds: [[0.001, 'red']], queries: [{ expr: `sum(rate(socnoc_input_dropped_total{${INPUT}}[$__rate_interval])) or vector(0)` }] },
          { type: 'stat', title: 'Parse failures / s', w: 6, h: 4, unit: 'ops', thresholds: [[1, 'orange']], queries: [{ expr: `sum(rate(socnoc_input_failed_total{${INPUT}}[$__rate_interval])) or vector(0)` }] },
          { type: 'timeseries', title: 'Received per input', w: 12, h: 8, unit: 'ops', stack: true, queries: [{ expr: `sum by (input) (rate(socnoc_input_received_total{${INPUT}}[$__rate_interval]))`, legend: '{{input}}' }] },
          { type: 'timeseries', title: 'Received, parsed, stored', w: 12, h: 8, unit: 'ops', queries: [
            { expr: `sum(rate(socnoc_input_received_total{${INPUT}}[$__rate_interval]))`, legend: 'received' },
            { expr: `sum(rate(socnoc_input_parsed_total{${INPUT}}[$__rate_interval]))`, legend: 'parsed' },
            { expr: `sum(rate(socnoc_input_stored_total{${INPUT}}[$__rate_interval]))`, legend: 'stored' },
          ] },
        ],
      },
      {
        row: 'Losses and backpressure',
        panels: [
          { type: 'timeseries', title: 'Drops by input and reason', w: 12, h: 8, unit: 'ops', queries: [{ expr: `sum by (input, reason) (rate(socnoc_input_dropped_total{${INPUT}}[$__rate_interval]))`, legend: '{{input}} {{reason}}' }] },
          { type: 'timeseries', title: 'Failures by input and reason', w: 12, h: 8, unit: 'ops', queries: [{ expr: `sum by (input, reason) (rate(socnoc_input_failed_total{${INPUT}}[$__rate_interval]))`, legend: '{{input}} {{reason}}' }] },
          { type: 'timeseries', title: 'Queue depth', w: 12, h: 8, unit: 'short', queries: [{ expr: 'socnoc_queue_depth', legend: '{{queue}}' }] },
          { type: 'timeseries', title: 'Flow records decoded per format', w: 12, h: 8, unit: 'ops', queries: [{ expr: 'sum by (format) (rate(socnoc_flow_records_total[$__rate_interval]))', legend: '{{format}}' }] },
        ],
      },
      {
        row: 'Detection and process',
        panels: [
          { type: 'timeseries', title: 'Events evaluated by rules', w: 8, h: 8, unit: 'ops', queries: [{ expr: 'rate(socnoc_detection_events_total[$__rate_interval])', legend: 'evaluated' }, { expr: 'rate(socnoc_detection_errors_total[$__rate_interval])', legend: 'errors' }] },
          { type: 'stat', title: 'Rules running', w: 4, h: 4, queries: [{ expr: 'socnoc_rules_enabled' }] },
          { type: 'stat', title: 'Rule load errors', w: 4, h: 4, thresholds: [[1, 'orange']], queries: [{ expr: 'socnoc_rule_load_errors' }] },
          { type: 'timeseries', title: 'CPU', w: 8, h: 8, unit: 'percentunit', queries: [{ expr: 'rate(socnoc_process_process_cpu_seconds_total[$__rate_interval])', legend: 'cpu' }] },
          { type: 'timeseries', title: 'Memory (resident)', w: 8, h: 8, unit: 'bytes', queries: [{ expr: 'socnoc_process_process_resident_memory_bytes', legend: 'rss' }] },
          { type: 'timeseries', title: 'Event loop lag (p99)', w: 8, h: 8, unit: 's', queries: [{ expr: 'socnoc_process_nodejs_eventloop_lag_p99_seconds', legend: 'p99' }] },
        ],
      },
    ],
  });
}

export function socDashboard(): Dashboard {
  // Labelled by severity at creation and agency (agencies of socnoc.yaml; others as "other").
  const alertsCreated = 'socnoc_alerts_created_total{agency=~"$agency", severity=~"$severity"}';
  return dashboard({
    uid: 'socnoc-soc',
    title: 'socnoc — SOC activity',
    description: 'Alert creation and folding, suppression, rule matches, incidents and their reporting deadlines, threat-intel hits, playbook runs.',
    tags: ['soc'],
    variables: [labelVariable('agency', 'Agency', 'socnoc_alerts_created_total', 'agency'), labelVariable('severity', 'Severity', 'socnoc_alerts_created_total', 'severity')],
    rows: [
      {
        row: 'Alerts by severity and agency',
        panels: [
          { type: 'stat', title: 'Critical alerts (range)', w: 6, h: 4, thresholds: [[1, 'red']], queries: [{ expr: `sum(increase(socnoc_alerts_created_total{agency=~"$agency", severity="critical"}[$__range])) or vector(0)` }] },
          { type: 'stat', title: 'High alerts (range)', w: 6, h: 4, thresholds: [[1, 'orange']], queries: [{ expr: `sum(increase(socnoc_alerts_created_total{agency=~"$agency", severity="high"}[$__range])) or vector(0)` }] },
          { type: 'stat', title: 'Medium alerts (range)', w: 6, h: 4, queries: [{ expr: `sum(increase(socnoc_alerts_created_total{agency=~"$agency", severity="medium"}[$__range])) or vector(0)` }] },
          { type: 'stat', title: 'Low and informational alerts (range)', w: 6, h: 4, queries: [{ expr: `sum(increase(socnoc_alerts_created_total{agency=~"$agency", severity=~"low|informational"}[$__range])) or vector(0)` }] },
          { type: 'timeseries', title: 'New alerts by severity', w: 12, h: 8, unit: 'short', queries: [{ expr: `sum by (severity) (increase(${alertsCreated}[$__interval]))`, legend: '{{severity}}' }] },
          { type: 'timeseries', title: 'New alerts by agency', w: 12, h: 8, unit: 'short', queries: [{ expr: `sum by (agency) (increase(${alertsCreated}[$__interval]))`, legend: '{{agency}}' }] },
          { type: 'bargauge', title: 'New alerts per agency and severity (range)', w: 24, h: 8, queries: [{ expr: `sum by (agency, severity) (increase(${alertsCreated}[$__range]))`, legend: '{{agency}} {{severity}}' }] },
        ],
      },
      {
        row: 'Alerts',
        panels: [
          { type: 'stat', title: 'New alerts (range)', w: 6, h: 4, queries: [{ expr: `sum(increase(${alertsCreated}[$__range]))` }] },
          { type: 'stat', title: 'Matches folded into alerts (range)', w: 6, h: 4, queries: [{ expr: 'sum(increase(socnoc_alerts_updated_total[$__range]))' }] },
          { type: 'stat', title: 'Suppressed detections (range)', w: 6, h: 4, queries: [{ expr: 'sum(increase(socnoc_alerts_suppressed_total[$__range])) or vector(0)' }] },
          { type: 'stat', title: 'Reporting deadlines breached (range)', w: 6, h: 4, thresholds: [[1, 'red']], queries: [{ expr: 'sum(increase(socnoc_incidents_deadline_breaches_total[$__range])) or vector(0)' }] },
          { type: 'timeseries', title: 'Alert rate', w: 12, h: 8, unit: 'cpm', queries: [
            { expr: `sum(rate(${alertsCreated}[$__rate_interval])) * 60`, legend: 'created' },
            { expr: 'sum(rate(socnoc_alerts_updated_total[$__rate_interval])) * 60', legend: 'folded' },
            { expr: 'sum(rate(socnoc_alerts_suppressed_total[$__rate_interval])) * 60', legend: 'suppressed' },
          ] },
          { type: 'timeseries', title: 'Rule matches', w: 12, h: 8, unit: 'cpm', queries: [{ expr: 'sum(rate(socnoc_detection_rule_matches_total[$__rate_interval])) * 60', legend: 'matches / min' }] },
        ],
      },
      {
        row: 'Incidents, intel and playbooks',
        panels: [
          { type: 'timeseries', title: 'Incidents opened by source', w: 8, h: 8, unit: 'short', queries: [{ expr: 'sum by (source) (increase(socnoc_incidents_created_total[$__interval]))', legend: '{{source}}' }] },
          { type: 'timeseries', title: 'Threat-intel hits by feed', w: 8, h: 8, unit: 'short', queries: [{ expr: 'sum by (feed) (increase(socnoc_intel_hits_total[$__interval]))', legend: '{{feed}}' }] },
          { type: 'timeseries', title: 'Playbook runs', w: 8, h: 8, unit: 'short', queries: [{ expr: 'sum(increase(socnoc_playbooks_runs_total[$__interval]))', legend: 'runs' }, { expr: 'socnoc_playbooks_queued_runs', legend: 'queued' }] },
          { type: 'bargauge', title: 'Indicators loaded per feed', w: 12, h: 8, queries: [{ expr: 'sum by (feed) (socnoc_intel_indicators)', legend: '{{feed}}' }] },
          { type: 'stat', title: 'Audit records written (range)', w: 12, h: 8, queries: [{ expr: 'sum(increase(socnoc_audit_records_total[$__range])) or vector(0)' }] },
        ],
      },
    ],
  });
}

export function nocDashboard(): Dashboard {
  const dev = 'agency=~"$agency", device=~"$device"';
  return dashboard({
    uid: 'socnoc-noc',
    title: 'socnoc — NOC device and interface health',
    description: 'Device reachability, CPU and memory, interface utilisation and traffic, flow intake.',
    tags: ['noc'],
    variables: [labelVariable('agency', 'Agency', 'socnoc_device_up', 'agency'), labelVariable('device', 'Device', 'socnoc_device_up{agency=~"$agency"}', 'device')],
    rows: [
      {
        row: 'Devices',
        panels: [
          { type: 'stat', title: 'Devices up', w: 6, h: 4, queries: [{ expr: `sum(socnoc_device_up{${dev}})` }] },
          { type: 'stat', title: 'Devices down', w: 6, h: 4, thresholds: [[1, 'red']], queries: [{ expr: `count(socnoc_device_up{${dev}} == 0) or vector(0)` }] },
          { type: 'stat', title: 'Interfaces down', w: 6, h: 4, thresholds: [[1, 'orange']], queries: [{ expr: 'count(socnoc_interface_oper_up{device=~"$device"} == 0) or vector(0)' }] },
          { type: 'stat', title: 'Flow records / s', w: 6, h: 4, unit: 'ops', queries: [{ expr: 'sum(rate(socnoc_flow_records_total[$__rate_interval]))' }] },
          { type: 'table', title: 'Devices not up', w: 12, h: 8, queries: [{ expr: `socnoc_device_up{${dev}} == 0` }] },
          { type: 'bargauge', title: 'Devices up per agency', w: 12, h: 8, queries: [{ expr: `sum by (agency) (socnoc_device_up{${dev}})`, legend: '{{agency}} up' }, { expr: `count by (agency) (socnoc_device_up{${dev}} == 0)`, legend: '{{agency}} down' }] },
          { type: 'stat', title: 'Interfaces above 80 % utilisation', w: 12, h: 8, thresholds: [[1, 'orange']], queries: [{ expr: 'count(socnoc_interface_utilization_ratio{device=~"$device"} > 0.8) or vector(0)' }] },
          { type: 'timeseries', title: 'Reachability', w: 12, h: 8, unit: 'bool_yes_no', queries: [{ expr: `socnoc_device_up{${dev}}`, legend: '{{device}}' }] },
          { type: 'timeseries', title: 'CPU load', w: 12, h: 8, unit: 'percentunit', queries: [{ expr: `socnoc_device_cpu_load_ratio{${dev}}`, legend: '{{device}}' }] },
          { type: 'timeseries', title: 'Memory used', w: 12, h: 8, unit: 'percentunit', queries: [{ expr: `socnoc_device_memory_used_ratio{${dev}}`, legend: '{{device}}' }] },
        ],
      },
      {
        row: 'Interfaces',
        panels: [
          { type: 'bargauge', title: 'Busiest interfaces (utilisation)', w: 12, h: 10, unit: 'percentunit', thresholds: [[0.7, 'orange'], [0.9, 'red']], queries: [{ expr: 'topk(15, socnoc_interface_utilization_ratio{device=~"$device"})', legend: '{{device}} {{interface}} {{direction}}' }] },
          { type: 'timeseries', title: 'Interface traffic', w: 12, h: 10, unit: 'bps', queries: [{ expr: 'topk(10, socnoc_interface_bits_per_second{device=~"$device"})', legend: '{{device}} {{interface}} {{direction}}' }] },
          { type: 'timeseries', title: 'Interface operational state', w: 24, h: 8, unit: 'bool_yes_no', queries: [{ expr: 'socnoc_interface_oper_up{device=~"$device"}', legend: '{{device}} {{interface}}' }] },
        ],
      },
    ],
  });
}

export function allDashboards(): Dashboard[] {
  return [nocDashboard(), socDashboard(), pipelineDashboard()];
}
