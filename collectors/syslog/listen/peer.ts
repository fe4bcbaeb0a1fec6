/** PeerInfo construction and the `syslog tcp 10.1.2.3:51514` prefixes used in error details. */
import { hostPort } from '../../../core/net/host-port';
import { unmapIPv4 } from '../../../core/net/ip';
import type { PeerInfo } from './types';

export function makePeer(
  transport: PeerInfo['transport'],
  listener: string,
  address: string | undefined,
  port: number | undefined,
  clientCertSubject?: string,
): PeerInfo {
  const peer: PeerInfo = { address: address === undefined ? 'unknown' : unmapIPv4(address), port: port ?? 0, transport, listener };
  if (clientCertSubject !== undefined) peer.clientCertSubject = clientCertSubject;
  return peer;
}

/** `syslog tcp 10.1.2.3:51514`. */
export function describePeer(peer: PeerInfo): string {
  return `syslog ${peer.transport} ${hostPort(peer.address, peer.port)}`;
}

/** `syslog tcp listener "tcp" on [::]:5514`. */
export function describeListener(transport: PeerInfo['transport'], name: string, address: string, port: number): string {
  return `syslog ${transport} listener "${name}" on ${hostPort(address, port)}`;
}
