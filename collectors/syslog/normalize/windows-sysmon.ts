/**
 * Sysmon (Microsoft-Windows-Sysmon/Operational) events that Sigma rules use most: 1 process
 * creation, 3 network connection, 11 file creation, 22 DNS query. Field names per the Sysmon
 * schema; the full record stays in winlog.event_data for rules that need more.
 */
import type { EcsEvent } from '../../../core/event';
import { categorize, parseDecimalOrHex, setAddress, setPort, setTransport, setUserName } from './fields';

function present(v: string | undefined): string | undefined {
  return v === undefined || v.length === 0 || v === '-' ? undefined : v;
}

function basename(path: string): string {
  const slash = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return slash >= 0 ? path.slice(slash + 1) : path;
}

function setImage(event: EcsEvent, data: Record<string, string>): void {
  const image = present(data.Image);
  if (image === undefined) return;
  const proc: NonNullable<EcsEvent['process']> = { name: basename(image), executable: image };
  const pid = parseDecimalOrHex(data.ProcessId);
  if (pid !== undefined) proc.pid = pid;
  const cmd = present(data.CommandLine);
  if (cmd !== undefined) proc.command_line = cmd;
  const parentImage = present(data.ParentImage);
  const parentPid = parseDecimalOrHex(data.ParentProcessId);
  if (parentImage !== undefined || parentPid !== undefined) {
    proc.parent = {};
    if (parentImage !== undefined) proc.parent.name = basename(parentImage);
    if (parentPid !== undefined) proc.parent.pid = parentPid;
  }
  event.process = proc;
}

/** Returns true for the event ids mapped; others keep winlog.* only. */
export function applySysmon(id: string, data: Record<string, string>, event: EcsEvent): boolean {
  switch (id) {
    case '1':
      categorize(event, 'process', 'start', 'success');
      event.event.action = 'process-created';
      break;
    case '3':
      categorize(event, 'network', 'connection');
      event.event.action = 'network-connection';
      setAddress(event, 'source', present(data.SourceIp));
      setPort(event, 'source', present(data.SourcePort));
      setAddress(event, 'destination', present(data.DestinationIp));
      setPort(event, 'destination', present(data.DestinationPort));
      setTransport(event, present(data.Protocol));
      if (present(data.DestinationHostname) !== undefined && event.destination !== undefined) event.destination.domain = data.DestinationHostname;
      break;
    case '11': {
      categorize(event, 'file', 'creation', 'success');
      event.event.action = 'file-created';
      const target = present(data.TargetFilename);
      if (target !== undefined) event.file = { path: target, name: basename(target) };
      break;
    }
    case '22': {
      categorize(event, 'network', 'protocol');
      event.event.action = 'dns-query';
      const query = present(data.QueryName);
      if (query !== undefined) event.dns = { question: { name: query } };
      break;
    }
    default:
      return false;
  }
  setImage(event, data);
  setUserName(event, present(data.User));
  return true;
}
