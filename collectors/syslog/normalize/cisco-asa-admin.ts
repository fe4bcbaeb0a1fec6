/**
 * Cisco ASA / FTD administration: commands run by administrators (111008/111009/111010, the audit
 * trail of configuration changes) and management access to the firewall itself (710002 permitted,
 * 710003 denied by the management ACL, 710005 discarded: SSH, HTTPS/ASDM, Telnet, SNMP to the box).
 * Formats follow Cisco's "Secure Firewall ASA Series Syslog Messages" reference.
 */
import type { EcsEvent } from '../../../core/event';
import type { AsaFields } from './cisco-asa';
import { addType, categorize, network, observer, parsePort, setAddress, setPort, setTransport, setUserName } from './fields';

// 111008: `User 'admin' executed the 'write memory' command.`
const EXECUTED_THE = /^User '([^']*)' executed the '(.*)' command\.?\s*$/;
// 111009: `User 'admin' executed cmd: show running-config` (commands that change nothing)
const EXECUTED_CMD = /^User '([^']*)' executed cmd: ?(.*?)\s*$/;
// 111010: `User 'admin', running 'CLI' from IP 10.0.0.5, executed 'write memory'`
const RUNNING_FROM = /^User '([^']*)', running '([^']*)' from IP (\S+?), executed '(.*)'\s*$/;
// 710002 / 710003 / 710005: `TCP access denied by ACL from 203.0.113.9/4444 to outside:198.51.100.1/22`
const BOX_ACCESS = /^(TCP|UDP|SCTP) (access permitted|access denied by ACL|request discarded) from (\S+?)\/(\d+) to ([^:\s]+):(\S+?)\/(\S+)/;

/** Commands that only read (show, ping, …) are logged with 111009: configuration access, not change. */
function command(event: EcsEvent, asa: AsaFields, user: string, line: string, change: boolean): void {
  categorize(event, 'configuration', change ? 'change' : 'access', 'success');
  event.event.action = change ? 'configuration-command' : 'command-executed';
  // `enable_15` and friends name a privilege level of an unnamed session, not a person.
  if (!user.startsWith('enable_')) setUserName(event, user);
  asa.command_line = line;
}

/** A service named instead of numbered (`https`, `ssh`): kept as the protocol; numbers are ports. */
function setService(event: EcsEvent, service: string): void {
  if (parsePort(service) !== undefined) setPort(event, 'destination', service);
  else network(event).protocol = service.toLowerCase();
}

export function normalizeAsaAdmin(id: string, body: string, event: EcsEvent, asa: AsaFields): boolean {
  let r: RegExpExecArray | null;
  switch (id) {
    case '111008':
      if ((r = EXECUTED_THE.exec(body)) === null) return false;
      command(event, asa, r[1], r[2], true);
      return true;
    case '111009':
      if ((r = EXECUTED_CMD.exec(body)) === null) return false;
      command(event, asa, r[1], r[2], false);
      return true;
    case '111010':
      if ((r = RUNNING_FROM.exec(body)) === null) return false;
      command(event, asa, r[1], r[4], true);
      asa.application = r[2];
      setAddress(event, 'source', r[3]);
      return true;
    case '710002':
    case '710003':
    case '710005': {
      if ((r = BOX_ACCESS.exec(body)) === null) return false;
      const permitted = id === '710002';
      categorize(event, 'network', 'connection', permitted ? 'success' : 'failure');
      addType(event, permitted ? 'allowed' : 'denied');
      event.event.action = permitted ? 'management-access-permitted' : id === '710003' ? 'management-access-denied' : 'management-request-discarded';
      network(event).direction = 'inbound';
      setTransport(event, r[1]);
      setAddress(event, 'source', r[3]);
      setPort(event, 'source', r[4]);
      observer(event).ingress = { interface: { name: r[5] } };
      setAddress(event, 'destination', r[6]);
      setService(event, r[7]);
      return true;
    }
    default:
      return false;
  }
}
