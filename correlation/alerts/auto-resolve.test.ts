/**
 * Auto-resolution through the real detection engine with socnoc's NOC rules
 * (rules/sigma/socnoc/noc): the recovery events the SNMP poller and trap receiver emit clear the
 * failure alerts they name in `socnoc.resolves`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InProcessBus } from '../../core/bus';
import type { EcsEvent } from '../../core/event';
import { createLogger } from '../../core/logger';
import { Metrics } from '../../core/metrics';
import { openSqlite, type SqliteDb } from '../../core/store/sqlite';
import { correlationConfigSchema } from '../config';
import { createDetectionEngine, type DetectionEngine } from '../runtime/engine';
import { resolveTargetsOf } from './auto-resolve';
import { registerAlertMetrics } from './metrics';

const NOC_RULES = join(__dirname, '..', '..', 'rules', 'sigma', 'socnoc', 'noc');
const CASES = join(__dirname, '..', '..', 'rules', 'sigma', 'socnoc', 'tests');

const DEVICE_DOWN = '3d9f2f31-5d1a-4b1e-9848-80257939af21';
const UNREACHABLE = '10f474de-eca5-4a5d-8f41-34c3b77ad09e';
const BACK_UP = 'e3fbbbde-a818-4dbe-a739-19a364aead34';
const UPLINK_DOWN = '9a869c42-e95e-4668-858a-a746a9ddf122';
const TRAP_UPLINK_DOWN = '65dca56a-d776-449b-83a1-a06daa392d65';

type Cases = { positive: EcsEvent[]; negative: EcsEvent[] };
const cases = (stem: string): Cases => JSON.parse(readFileSync(join(CASES, `${stem}.json`), 'utf8')) as Cases;

/** The poller's events for hn-sotttt-sw-03 (behind hn-core-rtr-01), from the rule test cases. */
const swDown = (): EcsEvent => structuredClone(cases('noc_device_down').positive[0]);
const swUnreachable = (): EcsEvent => structuredClone(cases('noc_device_down').negative[0]);
const swUp = (): EcsEvent => structuredClone(cases('noc_device_down').negative[1]);

function at(e: EcsEvent, iso: string): EcsEvent {
  e['@timestamp'] = iso;
  e.event.id = `${e.event.id.slice(0, 30)}${Math.random().toString(16).slice(2, 8)}`;
  return e;
}

/** The parent router coming back: a device-up event whose device id is the switch's parent. */
function parentUp(iso: string): EcsEvent {
  const e = at(swUp(), iso);
  const dev = (e.snmp as { device: Record<string, unknown> }).device;
  dev.id = 'b7c3e0a2-5f41-4d7e-9a0c-1f2e3d4c5b6a';
  dev.name = 'hn-core-rtr-01';
  delete dev.parent;
  delete dev.parent_name;
  return e;
}

describe('auto-resolve through the detection engine', () => {
  let db: SqliteDb;
  let bus: InProcessBus;
  let engine: DetectionEngine;
  let metrics: Metrics;

  beforeEach(async () => {
    db = openSqlite(':memory:');
    bus = new InProcessBus();
    const config = correlationConfigSchema.parse({ sigma: { includeBuiltin: false, watch: false, paths: [{ path: NOC_RULES, ruleset: 'socnoc' }] } });
    metrics = new Metrics({ defaultMetrics: false });
    engine = createDetectionEngine({ bus, db, metrics, logger: createLogger('silent') }, config);
    registerAlertMetrics(metrics, engine.alerts);
    await engine.start();
  });
  afterEach(async () => {
    await engine.stop();
    await bus.close();
    db.close();
  });

  const alertsOf = (ruleId: string) => engine.alerts.search({ limit: 100 }).alerts.filter((a) => a.rule.id === ruleId);

  it('resolves the open device-down alert when the device is back up, recording who and why', async () => {
    await bus.publish('events', [at(swDown(), '2026-11-27T02:00:00.000Z')]);
    const [down] = alertsOf(DEVICE_DOWN);
    expect(down.status).toBe('new');
    // An analyst has taken it: still open, so still cleared.
    engine.alerts.update(down.id, { status: 'acknowledged' }, 'noc-an');

    await bus.publish('events', [at(swUp(), '2026-11-27T02:09:00.000Z')]);
    const after = engine.alerts.get(down.id)!;
    expect(after.status).toBe('resolved');
    expect(after.updated_by).toBe('system');
    const history = engine.alerts.alertHistory(down.id)!;
    expect(history.map((h) => [h.actor, h.kind, h.from, h.to, h.text])).toEqual([
      ['noc-an', 'status', 'new', 'acknowledged', null],
      ['system', 'status', 'acknowledged', 'resolved', null],
      ['system', 'comment', null, null, 'cleared by Network Device Back Up'],
    ]);
    expect(alertsOf(BACK_UP)).toHaveLength(1);
    expect(engine.alerts.autoResolved).toBe(1);
    expect(await metrics.registry.metrics()).toMatch(/^socnoc_alerts_auto_resolved_total 1$/m);
  });

  it('clears only the same device in the same agency, and leaves closed alerts as they are', async () => {
    await bus.publish('events', [at(swDown(), '2026-11-27T02:00:00.000Z')]);
    const otherDevice = at(swUp(), '2026-11-27T02:05:00.000Z');
    (otherDevice.snmp as { device: { id: string } }).device.id = 'another-switch';
    const otherAgency = at(swUp(), '2026-11-27T02:06:00.000Z');
    otherAgency.organization = { id: 'so-tttt-danang' };
    await bus.publish('events', [otherDevice, otherAgency]);
    expect(alertsOf(DEVICE_DOWN).map((a) => a.status)).toEqual(['new']);

    const [down] = alertsOf(DEVICE_DOWN);
    engine.alerts.update(down.id, { status: 'false_positive' }, 'noc-an');
    await bus.publish('events', [at(swUp(), '2026-11-27T02:09:00.000Z')]);
    expect(engine.alerts.get(down.id)!.status).toBe('false_positive');
    expect(engine.alerts.autoResolved).toBe(0);
  });

  it('within one batch, a recovery clears the failure before it but not one after it', async () => {
    await bus.publish('events', [at(swDown(), '2026-11-27T02:00:00.000Z'), at(swUp(), '2026-11-27T02:03:00.000Z')]);
    expect(alertsOf(DEVICE_DOWN).map((a) => a.status)).toEqual(['resolved']);

    // Out of order delivery: the up (02:20) arrives with a later down (02:30) in the same batch.
    await bus.publish('events', [at(swDown(), '2026-11-27T02:30:00.000Z'), at(swUp(), '2026-11-27T02:20:00.000Z')]);
    const open = alertsOf(DEVICE_DOWN).filter((a) => a.status === 'new');
    expect(open.map((a) => a.last_seen)).toEqual(['2026-11-27T02:30:00.000Z']);
  });

  it("clears the unreachable-behind-parent alert when the parent itself is back (group mapped from the parent's id)", async () => {
    await bus.publish('events', [at(swUnreachable(), '2026-11-27T02:00:00.000Z')]);
    const [unreachable] = alertsOf(UNREACHABLE);
    expect(unreachable.group).toEqual({ 'snmp.device.parent': 'b7c3e0a2-5f41-4d7e-9a0c-1f2e3d4c5b6a' });
    await bus.publish('events', [parentUp('2026-11-27T02:10:00.000Z')]);
    expect(engine.alerts.get(unreachable.id)!.status).toBe('resolved');
  });

  it('clears a trap-raised uplink-down alert when the poller sees the interface up, and a poller-raised one on a linkUp trap', async () => {
    const trapDown = at(structuredClone(cases('noc_trap_uplink_link_down').positive[0]), '2026-11-27T02:00:00.000Z');
    await bus.publish('events', [trapDown]);
    const [fromTrap] = alertsOf(TRAP_UPLINK_DOWN);
    expect(fromTrap.group).toEqual({ 'interface.id': '10101', 'observer.ip': '10.10.12.3' });

    const pollerUp = at(structuredClone(cases('noc_uplink_interface_up').positive[0]), '2026-11-27T02:02:00.000Z');
    await bus.publish('events', [pollerUp]);
    expect(engine.alerts.get(fromTrap.id)!.status).toBe('resolved');
    expect(engine.alerts.alertHistory(fromTrap.id)!.at(-1)!.text).toBe('cleared by Uplink or Trunk Interface Back Up');

    const pollerDown = at(structuredClone(cases('noc_uplink_interface_down').positive[0]), '2026-11-27T02:30:00.000Z');
    await bus.publish('events', [pollerDown]);
    const [fromPoller] = alertsOf(UPLINK_DOWN);
    expect(fromPoller.status).toBe('new');
    const trapUp = at(structuredClone(cases('noc_trap_uplink_link_up').positive[0]), '2026-11-27T02:31:00.000Z');
    await bus.publish('events', [trapUp]);
    expect(engine.alerts.get(fromPoller.id)!.status).toBe('resolved');
  });
});

describe('resolveTargetsOf', () => {
  it('reads rule ids and {rule, group} mappings, and reports entries it cannot use', () => {
    const problems: string[] = [];
    const targets = resolveTargetsOf({ resolves: ['a', { rule: 'b', group: { 'snmp.device.parent': 'snmp.device.id' } }, { rule: 'c' }, 7] }, problems);
    expect(targets).toEqual([{ ruleId: 'a' }, { ruleId: 'b', group: [['snmp.device.parent', 'snmp.device.id']] }]);
    expect(problems).toHaveLength(2);
    expect(resolveTargetsOf({ resolves: 'a' })).toEqual([{ ruleId: 'a' }]);
    expect(resolveTargetsOf({})).toBeUndefined();
    expect(resolveTargetsOf(undefined)).toBeUndefined();
  });
});
