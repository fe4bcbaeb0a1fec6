import { parsePrometheusText, ratesBy, sumBy } from './prometheus';
import { collectorHealth } from './collector-health';

// The shape prom-client writes for socnoc's input counters (core/metrics.ts).
const SCRAPE_1 = `# HELP socnoc_input_received_total Messages received per input (datagrams, frames, agent events)
# TYPE socnoc_input_received_total counter
socnoc_input_received_total{input="syslog/udp"} 1000
socnoc_input_received_total{input="syslog/tcp"} 50
# HELP socnoc_input_dropped_total Messages dropped (queue full, oversize...), per input and reason
# TYPE socnoc_input_dropped_total counter
socnoc_input_dropped_total{input="syslog/udp",reason="queue_full"} 10
# HELP socnoc_queue_depth Items waiting in each bounded queue
# TYPE socnoc_queue_depth gauge
socnoc_queue_depth{queue="pipeline"} 12
socnoc_queue_depth{queue="pipeline_in_flight"} 1
socnoc_alerts_created_total 4
socnoc_rules_enabled 42
socnoc_process_cpu_user_seconds_total 0.5
`;

const SCRAPE_2 = `socnoc_input_received_total{input="syslog/udp"} 6000
socnoc_input_received_total{input="syslog/tcp"} 20
socnoc_input_dropped_total{input="syslog/udp",reason="queue_full"} 60
socnoc_input_dropped_total{input="syslog/udp",reason="oversize"} 5
socnoc_queue_depth{queue="pipeline"} 300
socnoc_alerts_created_total 14
socnoc_rules_enabled 42
socnoc_rule_load_errors 1
`;

describe('Prometheus text parsing', () => {
  it('reads names, labels (with escapes) and values, skipping comments', () => {
    const samples = parsePrometheusText(`# HELP x y\nm_total{a="1",b="say \\"hi\\"\\nthere"} 3.5\nplain 7 1712000000000\nbad{a="x"} NaN\n`);
    expect(samples).toEqual([
      { name: 'm_total', labels: { a: '1', b: 'say "hi"\nthere' }, value: 3.5 },
      { name: 'plain', labels: {}, value: 7 },
    ]);
  });

  it('sums a metric by one label', () => {
    expect(sumBy(parsePrometheusText(SCRAPE_2), 'socnoc_input_dropped_total', 'input')).toEqual(new Map([['syslog/udp', 65]]));
  });

  it('computes per-second rates between scrapes and treats a decrease as a counter reset', () => {
    const rates = ratesBy(parsePrometheusText(SCRAPE_1), parsePrometheusText(SCRAPE_2), 'socnoc_input_received_total', 'input', 5);
    expect(rates.get('syslog/udp')).toBe(1000);
    // 50 → 20: the process restarted and has counted 20 since.
    expect(rates.get('syslog/tcp')).toBe(4);
  });

  it('builds the collector health table: rates, totals, drop reasons, queues, alert pace', () => {
    const h = collectorHealth(parsePrometheusText(SCRAPE_1), parsePrometheusText(SCRAPE_2), 10);
    const udp = h.inputs.find((x) => x.input === 'syslog/udp')!;
    expect(udp.receivedPerSec).toBe(500);
    expect(udp.droppedPerSec).toBe(5.5);
    expect(udp.droppedTotal).toBe(65);
    expect(udp.dropReasons).toEqual(new Map([['queue_full', 60], ['oversize', 5]]));
    expect(h.inputs.map((x) => x.input)).toEqual(['syslog/tcp', 'syslog/udp']);
    expect(h.queues).toEqual([{ queue: 'pipeline', depth: 300 }]);
    expect(h.alertsPerMin).toBe(60);
    expect(h.rulesEnabled).toBe(42);
    expect(h.ruleLoadErrors).toBe(1);
  });
});
