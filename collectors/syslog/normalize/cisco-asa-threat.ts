/**
 * Cisco ASA / FTD basic threat detection (733100: a drop rate exceeded, per category such as
 * `Scanning` or `SYN Attack`, or per host) and URL logging of HTTP inspection (304001).
 */
import type { EcsEvent } from '../../../core/event';
import type { AsaFields } from './cisco-asa';
import { addType, categorize, isIpAddress, parseCount, rule, setAddress, setUserName } from './fields';

// 733100: `[ Scanning] drop rate-1 exceeded. Current burst rate is 10 per second, max configured rate is 10; …`
const DROP_RATE = /^\[\s*([^\]]*?)\s*\] drop (rate-\d+) exceeded\. Current burst rate is (\d+) per second, max configured rate is (\d+); Current average rate is (\d+) per second, max configured rate is (\d+); Cumulative total count is (\d+)/;
// 304001: `10.1.1.10 Accessed URL 93.184.216.34:http://example.com/index.html` (user in parentheses optional)
const URL_ACCESSED = /^([^\s(]+)(?:\(([^)]*)\))? Accessed (?:JAVA )?URL ([^\s:]+):(\S+)/;

export function normalizeAsaThreat(id: string, body: string, event: EcsEvent, asa: AsaFields): boolean {
  let r: RegExpExecArray | null;
  if (id === '733100') {
    if ((r = DROP_RATE.exec(body)) === null) return false;
    event.event.kind = 'alert';
    categorize(event, 'intrusion_detection', 'info');
    addType(event, 'denied');
    event.event.action = 'drop-rate-exceeded';
    // The object is a category (`Scanning`, `SYN Attack`, `ACL drop`) or the offending host.
    const object = r[1];
    if (isIpAddress(object)) setAddress(event, 'source', object);
    else rule(event).name = object;
    event.event.reason = `${r[2]} exceeded: burst ${r[3]}/s (max ${r[4]}), average ${r[5]}/s (max ${r[6]})`;
    asa.drop_total = parseCount(r[7]);
    return true;
  }
  if (id !== '304001' || (r = URL_ACCESSED.exec(body)) === null) return false;
  categorize(event, 'web', 'access', 'success');
  addType(event, 'allowed');
  event.event.action = 'url-accessed';
  setAddress(event, 'source', r[1]);
  // `(LOCAL\bob)`: the identity-firewall user; `(*****)` is a masked one.
  if (r[2] !== undefined && r[2].charCodeAt(0) !== 42) setUserName(event, r[2]);
  setAddress(event, 'destination', r[3]);
  event.url = { original: r[4] };
  return true;
}
