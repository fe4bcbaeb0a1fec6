/** Hand-made export packets the captures do not contain, built with testdata/packets.ts. */
import { cat, ip4, sflowDatagram, sflowItem, u32, u64 } from '../testdata/packets';

/** An sFlow v5 counter sample as a switch sends it: generic interface counters (RFC 2863) + Ethernet (RFC 3635). */
export function counterDatagram(agent: string, ifIndex: number, withEthernet: boolean): Buffer {
  const generic = sflowItem(1, cat(
    u32(ifIndex), u32(6), u64(10_000_000_000), u32(1), u32(3),
    u64(9_000_000_000_000), u32(1), u32(2), u32(3), u32(4), u32(5), u32(6),
    u64(42), u32(7), u32(8), u32(9), u32(10), u32(11), u32(0),
  ));
  const ethernet = sflowItem(2, cat(...Array.from({ length: 13 }, (_, i) => u32(100 + i))));
  const records = withEthernet ? [generic, ethernet] : [generic];
  const sample = sflowItem(2, cat(u32(9), u32(ifIndex), u32(records.length), ...records));
  return sflowDatagram(ip4(agent), 1, 5, 86_400_000, sample);
}
