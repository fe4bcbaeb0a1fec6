/**
 * The allow-list checked before any block: configured networks, loopback, and (optionally) this
 * machine's own addresses, so a playbook can never cut socnoc off its own network.
 */
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { ipv4ToInt, ipv6ToBigInt, maskIPv4, maskIPv6, parseCidr, unmapIPv4, type ParsedCidr } from '../../../core/net/ip';

export class NeverBlockList {
  private readonly cidrs: Array<{ text: string; cidr: ParsedCidr }> = [];

  constructor(networks: readonly string[], protectLocalAddresses: boolean) {
    for (const text of networks) {
      try {
        this.cidrs.push({ text, cidr: parseCidr(text) });
      } catch (err) {
        throw new Error(`playbooks.blockIp.neverBlock: "${text}": ${(err as Error).message}`, { cause: err });
      }
    }
    if (protectLocalAddresses) {
      for (const list of Object.values(networkInterfaces())) {
        for (const a of list ?? []) {
          const address = a.address.split('%')[0];
          this.cidrs.push({ text: `${address} (this server)`, cidr: parseCidr(address) });
        }
      }
    }
  }

  /** The allow-list entry covering an address, or undefined when it may be blocked. */
  covering(address: string): string | undefined {
    const ip = unmapIPv4(address);
    const v4 = ipv4ToInt(ip);
    const v6 = v4 === undefined ? ipv6ToBigInt(ip) : undefined;
    for (const { text, cidr } of this.cidrs) {
      if (cidr.family === 4 && v4 !== undefined && maskIPv4(v4, cidr.prefix) === cidr.network) return text;
      if (cidr.family === 6 && v6 !== undefined && maskIPv6(v6, cidr.prefix) === cidr.network) return text;
    }
    return undefined;
  }
}

/** A single address in canonical text; throws naming the input otherwise (no CIDRs, no names). */
export function checkAddress(value: string): { ip: string; family: 4 | 6 } {
  const ip = unmapIPv4(value.trim());
  const family = isIP(ip);
  if (family === 0) throw new Error(`"${value.slice(0, 100)}" is not an IP address`);
  return { ip, family: family as 4 | 6 };
}
