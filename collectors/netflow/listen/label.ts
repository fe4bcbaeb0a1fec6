/** How logs and errors name a flow listener: `netflow udp listener "name" on host:port`. */
import { hostPort } from '../../../core/net/host-port';

export function describeFlowListener(transport: 'udp' | 'tcp', name: string, address: string, port: number): string {
  return `netflow ${transport} listener "${name}" on ${hostPort(address, port)}`;
}
