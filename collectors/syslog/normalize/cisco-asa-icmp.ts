/**
 * Cisco ASA / FTD ICMP: connections built and torn down (302020/302021, `faddr` is the outside host,
 * `laddr` the inside one, `gaddr` its translated address) and ICMP to the firewall denied (313001).
 */
import type { EcsEvent } from '../../../core/event';
import type { AsaFields } from './cisco-asa';
import { addType, categorize, network, observer, setAddress, setNat, setTransport } from './fields';

// 302020 / 302021: the direction is written on builds only.
const ICMP_CONNECTION =
  /^(Built|Teardown)(?: (inbound|outbound))? ICMP connection for faddr ([^\s/(]+)\/(\d+)(?:\([^)]*\))? gaddr ([^\s/(]+)\/(\d+) laddr ([^\s/(]+)\/(\d+)(?:\([^)]*\))?(?: type (\d+) code (\d+))?/;
// 313001: `Denied ICMP type=8, code=0 from 203.0.113.9 on interface outside`
const ICMP_DENIED = /^Denied ICMP type=(\d+), code=(\d+) from (\S+) on interface (\S+)/;

export function normalizeAsaIcmp(id: string, body: string, event: EcsEvent, asa: AsaFields): boolean {
  let r: RegExpExecArray | null;
  if (id === '313001') {
    if ((r = ICMP_DENIED.exec(body)) === null) return false;
    categorize(event, 'network', 'connection', 'failure');
    addType(event, 'denied');
    event.event.action = 'icmp-denied';
    setTransport(event, 'icmp');
    asa.icmp_type = r[1];
    asa.icmp_code = r[2];
    setAddress(event, 'source', r[3]);
    observer(event).ingress = { interface: { name: r[4] } };
    return true;
  }
  if ((id !== '302020' && id !== '302021') || (r = ICMP_CONNECTION.exec(body)) === null) return false;
  const built = r[1] === 'Built';
  categorize(event, 'network', 'connection', built ? 'success' : undefined);
  if (built) {
    addType(event, 'allowed');
    addType(event, 'start');
  } else addType(event, 'end');
  event.event.action = built ? 'flow-creation' : 'flow-expiration';
  setTransport(event, 'icmp');
  // Outbound: the inside host (laddr, translated to gaddr) pinged the outside one (faddr).
  const outbound = r[2] === 'outbound';
  if (r[2] !== undefined) network(event).direction = outbound ? 'outbound' : 'inbound';
  const inside = outbound ? 'source' : 'destination';
  setAddress(event, outbound ? 'destination' : 'source', r[3]);
  setAddress(event, inside, r[7]);
  if (r[5] !== r[7]) setNat(event, inside, r[5], undefined);
  if (r[9] !== undefined) {
    asa.icmp_type = r[9];
    asa.icmp_code = r[10];
  }
  return true;
}
