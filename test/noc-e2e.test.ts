/**
 * The NOC path end to end through `socnoc start` (in-process, free loopback ports): a device added
 * through POST /api/v1/devices pointing at a real Debian snmpd is polled; stopping snmpd raises a
 * device-down alert after downAfterMisses missed polls; starting it again raises device-up and the
 * down alert is resolved by `system`; snmptrap linkDown/linkUp on an interface tagged `uplink`
 * through PATCH arrive as events and raise, then clear, an alert. Needs Debian `snmpd` and `snmp`.
 */
import { requireBinary, snmptrap, startSnmpd, type SnmpdPeer } from '../collectors/snmp/testing/peers';
import type { EcsEvent } from '../core/event';
import { ADMIN_PASSWORD, startTestSocnoc, type TestSocnoc } from './support/socnoc';

const DEVICE_DOWN = '3d9f2f31-5d1a-4b1e-9848-80257939af21';
const BACK_UP = 'e3fbbbde-a818-4dbe-a739-19a364aead34';
const TRAP_UPLINK_DOWN = '65dca56a-d776-449b-83a1-a06daa392d65';

interface AlertJson {
  id: string;
  status: string;
  rule: { id: string; name: string };
  organization: { id: string };
  group: Record<string, string>;
}
interface HistoryJson {
  actor: string;
  kind: string;
  from: string | null;
  to: string | null;
  text: string | null;
}
interface DeviceJson {
  id: string;
  status: string;
  organization: { id: string };
  sys: { name?: string; uptime_s?: number };
  interfaces: Record<string, { tags: string[] }>;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('NOC end to end', () => {
  let s: TestSocnoc;
  let admin: string;
  let snmpd: SnmpdPeer;

  beforeAll(async () => {
    // Fail with what to install rather than with a timeout.
    requireBinary('snmpd', 'snmpd');
    requireBinary('snmptrap', 'snmp');
    snmpd = await startSnmpd({ community: 'noc-e2e-ro', sysName: 'e2e-core-sw' });
    s = await startTestSocnoc({
      agencies: [{ id: 'so-tttt-hanoi', name: 'Sở TT&TT Hà Nội', cidrs: ['127.0.0.0/8'] }],
      snmp: {
        traps: { enabled: true, host: '127.0.0.1', port: 0, communities: ['noc-e2e-trap'] },
        poller: { enabled: true, spreadStart: false, timeoutMs: 300, retries: 0, downAfterMisses: 2 },
      },
    });
    admin = await s.login('admin', ADMIN_PASSWORD);
  }, 30_000);

  afterAll(async () => {
    await s?.stop();
    await snmpd?.stop();
  });

  const call = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${s.baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
  const alerts = async (ruleId: string): Promise<AlertJson[]> => (await call<{ alerts: AlertJson[] }>('GET', '/alerts?limit=200')).body.alerts.filter((a) => a.rule.id === ruleId);
  const history = async (id: string): Promise<HistoryJson[]> => (await call<{ history: HistoryJson[] }>('GET', `/alerts/${id}`)).body.history;

  it('polls an API-added snmpd, raises device-down when it stops and clears it when it is back; linkDown traps on an uplink alert and linkUp clears them', async () => {
    const poller = s.running.noc.collector.poller;
    const created = await call<DeviceJson>('POST', '/devices', {
      name: 'e2e-core-sw',
      address: '127.0.0.1',
      port: snmpd.port,
      interval_s: 3600,
      snmp: { version: '2c', community: 'noc-e2e-ro' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body.organization).toEqual({ id: 'so-tttt-hanoi' });

    // Two polls: the system group, then interface rates (they need two samples).
    await until('the poller to know the device', async () => (poller.device(id) !== undefined ? true : undefined));
    await poller.pollNow(id);
    await new Promise((r) => setTimeout(r, 1100));
    await poller.pollNow(id);
    const dev = (await call<DeviceJson>('GET', `/devices/${id}`)).body;
    expect(dev).toMatchObject({ status: 'up', sys: { name: 'e2e-core-sw' } });
    const ifs = (await call<{ interfaces: Array<{ index: number; name: string; oper_status?: string; in_bps?: number }> }>('GET', `/devices/${id}/interfaces`)).body.interfaces;
    const lo = ifs.find((i) => i.name === 'lo');
    expect(lo).toMatchObject({ oper_status: 'up' });
    expect(typeof lo?.in_bps).toBe('number');

    // snmpd stops: two missed polls make it down, and the NOC rule raises an alert.
    const port = snmpd.port;
    await snmpd.stop();
    await poller.pollNow(id);
    expect((await call<DeviceJson>('GET', `/devices/${id}`)).body.status).toBe('up');
    await poller.pollNow(id);
    expect((await call<DeviceJson>('GET', `/devices/${id}`)).body.status).toBe('down');
    const [down] = await until('the device-down alert', async () => {
      const list = await alerts(DEVICE_DOWN);
      return list.length > 0 ? list : undefined;
    });
    expect(down).toMatchObject({ status: 'new', organization: { id: 'so-tttt-hanoi' }, group: { 'snmp.device.id': id } });
    const downEvents = await s.waitForEvents(admin, `event.dataset:snmp.device and event.action:device-down and snmp.device.id:"${id}"`, 1);
    expect(downEvents).toHaveLength(1);

    // snmpd is back on the same port: device-up, the back-up alert, and the down alert resolved by system.
    snmpd = await startSnmpd({ port, community: 'noc-e2e-ro', sysName: 'e2e-core-sw' });
    await poller.pollNow(id);
    expect((await call<DeviceJson>('GET', `/devices/${id}`)).body.status).toBe('up');
    await until('the back-up alert', async () => ((await alerts(BACK_UP)).length > 0 ? true : undefined));
    const resolved = await until('the down alert to be resolved', async () => {
      const [a] = await alerts(DEVICE_DOWN);
      return a?.status === 'resolved' ? a : undefined;
    });
    const h = await history(resolved.id);
    expect(h.map((x) => [x.actor, x.kind, x.to ?? x.text])).toEqual([
      ['system', 'status', 'resolved'],
      ['system', 'comment', 'cleared by Network Device Back Up'],
    ]);

    // Tag ifIndex 1 (lo) as an uplink; a linkDown trap for it raises the trap rule's alert.
    const patched = await call<DeviceJson>('PATCH', `/devices/${id}`, { interfaces: { '1': { tags: ['uplink'] } } });
    expect(patched.status).toBe(200);
    expect(patched.body.interfaces).toEqual({ '1': { tags: ['uplink'] } });
    await until('the poller to take the tags', async () => (poller.deviceAt('127.0.0.1')?.identity.interfaceTags?.['1'] !== undefined ? true : undefined));
    const trapPort = s.running.snmp.traps.address().port;
    // IF-MIB linkDown (RFC 2863): ifIndex, ifAdminStatus up(1), ifOperStatus down(2).
    await snmptrap(['-v2c', '-c', 'noc-e2e-trap', `127.0.0.1:${trapPort}`, '', '1.3.6.1.6.3.1.1.5.3', '1.3.6.1.2.1.2.2.1.1.1', 'i', '1', '1.3.6.1.2.1.2.2.1.7.1', 'i', '1', '1.3.6.1.2.1.2.2.1.8.1', 'i', '2']);
    const [trap] = await s.waitForEvents(admin, 'event.dataset:snmp.trap and event.action:linkDown', 1);
    expect(trap).toBeDefined();
    const t = trap as EcsEvent & { snmp: { device: { id: string }; interface: { tags: string[] } } };
    expect(t.snmp.device.id).toBe(id);
    expect(t.snmp.interface.tags).toEqual(['uplink']);
    expect(t.interface).toMatchObject({ id: '1', name: 'lo' });
    const [linkDown] = await until('the uplink linkDown alert', async () => {
      const list = await alerts(TRAP_UPLINK_DOWN);
      return list.length > 0 ? list : undefined;
    });
    expect(linkDown).toMatchObject({ status: 'new', group: { 'observer.ip': '127.0.0.1', 'interface.id': '1' } });

    await snmptrap(['-v2c', '-c', 'noc-e2e-trap', `127.0.0.1:${trapPort}`, '', '1.3.6.1.6.3.1.1.5.4', '1.3.6.1.2.1.2.2.1.1.1', 'i', '1', '1.3.6.1.2.1.2.2.1.7.1', 'i', '1', '1.3.6.1.2.1.2.2.1.8.1', 'i', '1']);
    await until('the linkDown alert to be resolved', async () => ((await alerts(TRAP_UPLINK_DOWN))[0]?.status === 'resolved' ? true : undefined));
  }, 90_000);
});
