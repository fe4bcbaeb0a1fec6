import { AgencyResolver } from '../../../core/tenancy';
import { decodeSflow } from '../decode';
import { counterDatagram } from '../testing/datagrams';
import { FlowNormalizer, InterfaceNameTable } from '.';

const RECEIVED = Date.parse('2026-11-27T03:00:00.000Z');

describe('sFlow counter samples as metric events', () => {
  const agencies = new AgencyResolver([{ id: 'so-yte', name: 'Sở Y tế', cidrs: ['192.0.2.0/28'] }]);
  const names = new InterfaceNameTable();
  names.set('192.0.2.9', 17, 'Te1/0/17');
  const n = new FlowNormalizer({ agencies, internalNetworks: [], interfaceNames: names });

  test('generic and Ethernet counters, named interface, agency of the agent address', () => {
    const r = decodeSflow(counterDatagram('192.0.2.9', 17, true), { exporter: '192.0.2.9', receivedMs: RECEIVED });
    expect(r.error).toBeNull();
    const e = n.counterEvent(r.counters[0], n.packetContext('192.0.2.9', RECEIVED));
    expect(e).toEqual({
      '@timestamp': '2026-11-27T03:00:00.000Z',
      event: {
        id: expect.any(String),
        created: '2026-11-27T03:00:00.000Z',
        ingested: '2026-11-27T03:00:00.000Z',
        kind: 'metric',
        category: ['network'],
        type: ['info'],
        dataset: 'sflow.counters',
        module: 'sflow',
      },
      organization: { id: 'so-yte', name: 'Sở Y tế' },
      observer: { ip: ['192.0.2.9'] },
      interface: { id: '17', name: 'Te1/0/17' },
      sflow: {
        agent_address: '192.0.2.9',
        sub_agent_id: 1,
        source_id: 17,
        sequence: 9,
        uptime_ms: 86_400_000,
        interface: { index: 17, type: 6, speed: 10_000_000_000, direction: 'full-duplex', admin_status: 'up', oper_status: 'up', promiscuous: false },
        in: { octets: 9_000_000_000_000, unicast_packets: 1, multicast_packets: 2, broadcast_packets: 3, discards: 4, errors: 5, unknown_protocols: 6 },
        out: { octets: 42, unicast_packets: 7, multicast_packets: 8, broadcast_packets: 9, discards: 10, errors: 11 },
        ethernet: {
          alignment_errors: 100, fcs_errors: 101, single_collision_frames: 102, multiple_collision_frames: 103, sqe_test_errors: 104,
          deferred_transmissions: 105, late_collisions: 106, excessive_collisions: 107, internal_mac_transmit_errors: 108,
          carrier_sense_errors: 109, frame_too_longs: 110, internal_mac_receive_errors: 111, symbol_errors: 112,
        },
      },
    });
  });

  test('relayed: the agent and the relay are observers; no Ethernet block when not sent', () => {
    const r = decodeSflow(counterDatagram('10.20.0.1', 3, false), { exporter: '198.18.0.1', receivedMs: RECEIVED });
    const e = n.counterEvent(r.counters[0], n.packetContext('198.18.0.1', RECEIVED));
    expect(e.observer).toEqual({ ip: ['10.20.0.1', '198.18.0.1'] });
    expect(e.interface).toEqual({ id: '3' });
    expect(e.organization).toEqual({ id: 'unassigned', name: 'Unassigned' });
    expect((e.sflow as { ethernet?: unknown }).ethernet).toBeUndefined();
  });
});
