/**
 * Port folding for aggregates. A client's source port changes with every connection (Linux picks from
 * 32768-60999, Windows from 49152-65535): kept, it makes each connection its own aggregate row. Ports up
 * to 1023 and listed service ports stay; other ports above 1023 become 0. Protocols without ports (ICMP
 * carries type and code in the destination port of v5/v9 records) get 0 for both.
 */
import { isIcmp, protocolHasPorts } from '../normalize/protocols';

export class PortFolder {
  /** 1 where a port is kept. */
  private readonly kept = new Uint8Array(65536);

  constructor(servicePorts: readonly number[]) {
    this.kept.fill(1, 0, 1024);
    for (const p of servicePorts) if (p >= 0 && p < 65536) this.kept[p] = 1;
  }

  /** Whether a record of this protocol carries real ports (the normalizer's rule). */
  static hasPorts(protocol: number, srcPort: number, dstPort: number): boolean {
    return protocolHasPorts(protocol) || (!isIcmp(protocol) && (srcPort !== 0 || dstPort !== 0));
  }

  fold(port: number): number {
    return this.kept[port & 0xffff] === 1 ? port : 0;
  }

  /**
   * A service answering a client: from a kept (well-known or service) port to an ephemeral one. NetFlow is
   * unidirectional, so each connection is two flows; this one says nothing about what the answering host
   * reached or sent on its own initiative. Only for records with ports.
   */
  isReply(srcPort: number, dstPort: number): boolean {
    return this.kept[srcPort & 0xffff] === 1 && this.kept[dstPort & 0xffff] === 0;
  }
}
