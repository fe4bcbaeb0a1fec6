/**
 * The replayed stream of the flow benchmarks: NetFlow v9 datagrams as a router sends them (38 flows each,
 * template in every datagram) over 20,000 conversations between 5,000 internal hosts (10 agencies of a
 * /16 each) and 20,000 public addresses, dated one second before `nowMs`. Half the flows are uploads
 * (inside -> outside :443), half the answers; packets 3-42 per flow, so 1 in 40 is probe-sized.
 */
import { AgencyResolver } from '../core/tenancy';
import { netflowV9Datagrams, type V9Flow } from '../collectors/netflow/testing/v9-datagrams';

export const STREAM_CONVERSATIONS = 20_000;

export function benchAgencies(): AgencyResolver {
  return new AgencyResolver(Array.from({ length: 10 }, (_, i) => ({ id: `agency-${i}`, name: `Agency ${i}`, cidrs: [`10.${i}.0.0/16`] })));
}

/** `conversations`: more than the default reach the summaries' maxTracked limit (40,000: ~60,000 addresses). */
export function flowStream(nowMs: number, conversations = STREAM_CONVERSATIONS): Buffer[] {
  const flows: V9Flow[] = [];
  for (let i = 0; i < 2 * 38 * 1000; i++) {
    const c = (i * 7919) % conversations;
    const inside = `10.${c % 10}.${(c >> 8) & 15}.${c & 255}`;
    const v = (Math.imul(c + 1, 2654435761) >>> 0) | 0x01000000;
    const outside = `${(v >>> 24) % 223 || 1}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
    const upload = i % 2 === 0;
    flows.push({
      src: upload ? inside : outside,
      dst: upload ? outside : inside,
      srcPort: upload ? 32_768 + (i % 28_000) : 443,
      dstPort: upload ? 443 : 32_768 + (i % 28_000),
      protocol: 6,
      bytes: 1500 + (i % 50_000),
      packets: 3 + (i % 40),
      firstMs: nowMs - 2000,
      lastMs: nowMs - 1000,
      inIf: 1 + (i % 4),
      outIf: 5,
      tcpFlags: 0x1b,
    });
  }
  return netflowV9Datagrams(flows, { bootMs: nowMs - 86_400_000, exportMs: nowMs });
}
