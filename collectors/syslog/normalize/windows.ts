/**
 * Windows event log records forwarded as JSON, in the two shapes collectors produce:
 *  - Winlogbeat: `{"winlog":{"event_id":4625,"channel":"Security","event_data":{...}},"event":{"code":"4625"}}`
 *  - NXLog im_msvistalog + to_json: `{"EventID":4624,"Hostname":"DC01","Channel":"Security","TargetUserName":"bob",...}`
 * Both become one WindowsRecord, then Security-log events are mapped to ECS the way Elastic's
 * Windows integration does (action names such as `logged-in`, `logon-failed`, `added-user-account`).
 */
import type { EcsEvent } from '../../../core/event';
import { applySysmon } from './windows-sysmon';
import {
  categorize,
  isHostname,
  parseDecimalOrHex,
  setDataset,
  setIp,
  setPort,
  user,
} from './fields';

export interface WindowsRecord {
  eventId: string;
  channel?: string;
  provider?: string;
  computer?: string;
  recordId?: string;
  /** Audit success / failure from the record's keywords, when known. */
  auditOutcome?: 'success' | 'failure';
  message?: string;
  data: Record<string, string>;
}

type Json = Record<string, unknown>;

function asString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEventId(s: string | undefined): s is string {
  return s !== undefined && s.length > 0 && s.length <= 5 && /^\d+$/.test(s);
}

function stringMap(obj: Json): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const key of Object.keys(obj)) {
    const v = asString(obj[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

export function readWinlogbeat(doc: Json): WindowsRecord | undefined {
  const winlog = doc.winlog;
  if (!isObject(winlog)) return undefined;
  const eventId = asString(winlog.event_id) ?? (isObject(doc.event) ? asString(doc.event.code) : undefined);
  if (!isEventId(eventId)) return undefined;
  const rec: WindowsRecord = {
    eventId,
    channel: asString(winlog.channel),
    provider: asString(winlog.provider_name),
    computer: asString(winlog.computer_name),
    recordId: asString(winlog.record_id),
    data: isObject(winlog.event_data) ? stringMap(winlog.event_data) : (Object.create(null) as Record<string, string>),
  };
  const keywords = winlog.keywords;
  if (Array.isArray(keywords)) {
    if (keywords.indexOf('Audit Failure') >= 0) rec.auditOutcome = 'failure';
    else if (keywords.indexOf('Audit Success') >= 0) rec.auditOutcome = 'success';
  }
  const message = asString(doc.message);
  if (message !== undefined) rec.message = message;
  return rec;
}

/** NXLog metadata keys; every other scalar key of an NXLog record is event data. */
const NXLOG_META = new Set([
  'EventTime', 'EventReceivedTime', 'Hostname', 'Keywords', 'EventType', 'SeverityValue', 'Severity', 'EventID',
  'SourceName', 'ProviderGuid', 'Version', 'Task', 'OpcodeValue', 'RecordNumber', 'ActivityID', 'ProcessID',
  'ThreadID', 'Channel', 'Message', 'Category', 'Opcode', 'SourceModuleName', 'SourceModuleType', 'Domain',
  'AccountName', 'UserID', 'AccountType', 'ERRORINFO',
]);

export function readNxlog(doc: Json): WindowsRecord | undefined {
  const eventId = asString(doc.EventID);
  if (!isEventId(eventId) || (doc.Channel === undefined && doc.SourceName === undefined)) return undefined;
  const data = Object.create(null) as Record<string, string>;
  for (const key of Object.keys(doc)) {
    if (NXLOG_META.has(key)) continue;
    const v = asString(doc[key]);
    if (v !== undefined) data[key] = v;
  }
  const rec: WindowsRecord = {
    eventId,
    channel: asString(doc.Channel),
    provider: asString(doc.SourceName),
    computer: asString(doc.Hostname),
    recordId: asString(doc.RecordNumber),
    data,
  };
  if (doc.EventType === 'AUDIT_FAILURE') rec.auditOutcome = 'failure';
  else if (doc.EventType === 'AUDIT_SUCCESS') rec.auditOutcome = 'success';
  const message = asString(doc.Message);
  if (message !== undefined) rec.message = message;
  return rec;
}

const LOGON_TYPES: Record<string, string> = {
  '2': 'Interactive',
  '3': 'Network',
  '4': 'Batch',
  '5': 'Service',
  '7': 'Unlock',
  '8': 'NetworkCleartext',
  '9': 'NewCredentials',
  '10': 'RemoteInteractive',
  '11': 'CachedInteractive',
  '12': 'CachedRemoteInteractive',
  '13': 'CachedUnlock',
};

/** NTSTATUS codes of failed logons (4625 Status/SubStatus), as Microsoft documents them. */
const LOGON_FAILURE_REASONS: Record<string, string> = {
  '0xc0000064': 'user name does not exist',
  '0xc000006a': 'wrong password',
  '0xc000006d': 'bad user name or password',
  '0xc000006e': 'account restriction',
  '0xc000006f': 'logon outside authorized hours',
  '0xc0000070': 'workstation restriction',
  '0xc0000071': 'password expired',
  '0xc0000072': 'account disabled',
  '0xc0000133': 'clock out of sync with domain controller',
  '0xc000015b': 'logon type not granted',
  '0xc0000193': 'account expired',
  '0xc0000224': 'password must change at next logon',
  '0xc0000234': 'account locked out',
  '0xc0000413': 'authentication firewall restriction',
};

interface WindowsAction {
  category: string;
  type: string;
  action: string;
  outcome?: 'success' | 'failure';
  /** Which event-data fields name the actor (user.*) — Subject for changes, Target for logons. */
  actor: 'target' | 'subject';
}

/** Security-log events mapped; others keep winlog.* and event.code only. */
const SECURITY_EVENTS: Record<string, WindowsAction> = {
  '4624': { category: 'authentication', type: 'start', action: 'logged-in', outcome: 'success', actor: 'target' },
  '4625': { category: 'authentication', type: 'start', action: 'logon-failed', outcome: 'failure', actor: 'target' },
  '4634': { category: 'authentication', type: 'end', action: 'logged-out', outcome: 'success', actor: 'target' },
  '4647': { category: 'authentication', type: 'end', action: 'logged-out', outcome: 'success', actor: 'target' },
  '4648': { category: 'authentication', type: 'start', action: 'logged-in-explicit', outcome: 'success', actor: 'subject' },
  '4672': { category: 'iam', type: 'admin', action: 'logged-in-special', outcome: 'success', actor: 'subject' },
  '4688': { category: 'process', type: 'start', action: 'created-process', outcome: 'success', actor: 'subject' },
  '4689': { category: 'process', type: 'end', action: 'exited-process', outcome: 'success', actor: 'subject' },
  '4697': { category: 'configuration', type: 'creation', action: 'service-installed', outcome: 'success', actor: 'subject' },
  '4720': { category: 'iam', type: 'creation', action: 'added-user-account', outcome: 'success', actor: 'subject' },
  '4722': { category: 'iam', type: 'change', action: 'enabled-user-account', outcome: 'success', actor: 'subject' },
  '4723': { category: 'iam', type: 'change', action: 'changed-password', actor: 'subject' },
  '4724': { category: 'iam', type: 'change', action: 'reset-password', actor: 'subject' },
  '4725': { category: 'iam', type: 'change', action: 'disabled-user-account', outcome: 'success', actor: 'subject' },
  '4726': { category: 'iam', type: 'deletion', action: 'deleted-user-account', outcome: 'success', actor: 'subject' },
  '4728': { category: 'iam', type: 'change', action: 'added-member-to-group', outcome: 'success', actor: 'subject' },
  '4729': { category: 'iam', type: 'change', action: 'removed-member-from-group', outcome: 'success', actor: 'subject' },
  '4732': { category: 'iam', type: 'change', action: 'added-member-to-group', outcome: 'success', actor: 'subject' },
  '4733': { category: 'iam', type: 'change', action: 'removed-member-from-group', outcome: 'success', actor: 'subject' },
  '4738': { category: 'iam', type: 'change', action: 'modified-user-account', outcome: 'success', actor: 'subject' },
  '4740': { category: 'iam', type: 'change', action: 'locked-out-user-account', outcome: 'success', actor: 'subject' },
  '4756': { category: 'iam', type: 'change', action: 'added-member-to-group', outcome: 'success', actor: 'subject' },
  '4757': { category: 'iam', type: 'change', action: 'removed-member-from-group', outcome: 'success', actor: 'subject' },
  '4767': { category: 'iam', type: 'change', action: 'unlocked-user-account', outcome: 'success', actor: 'subject' },
  '4768': { category: 'authentication', type: 'start', action: 'kerberos-authentication-ticket-requested', actor: 'target' },
  '4769': { category: 'authentication', type: 'start', action: 'kerberos-service-ticket-requested', actor: 'target' },
  '4771': { category: 'authentication', type: 'start', action: 'kerberos-preauth-failed', outcome: 'failure', actor: 'target' },
  '4776': { category: 'authentication', type: 'start', action: 'credential-validated', actor: 'target' },
  '1102': { category: 'host', type: 'change', action: 'audit-log-cleared', outcome: 'success', actor: 'subject' },
};

/** Group membership events name the group in Target* and the member in Member*. */
const GROUP_EVENTS = new Set(['4728', '4729', '4732', '4733', '4756', '4757']);
/** Account-management events name the affected account in Target*. */
const TARGET_ACCOUNT_EVENTS = new Set(['4720', '4722', '4723', '4724', '4725', '4726', '4738', '4740', '4767']);

function present(v: string | undefined): string | undefined {
  return v === undefined || v.length === 0 || v === '-' ? undefined : v;
}

function basename(path: string): string {
  const slash = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return slash >= 0 ? path.slice(slash + 1) : path;
}

function datasetFor(channel: string | undefined): string {
  if (channel === undefined) return 'windows.eventlog';
  const lower = channel.toLowerCase();
  if (lower === 'security') return 'windows.security';
  if (lower === 'system') return 'windows.system';
  if (lower === 'application') return 'windows.application';
  if (lower.startsWith('microsoft-windows-sysmon')) return 'windows.sysmon';
  if (lower.indexOf('powershell') >= 0) return 'windows.powershell';
  return 'windows.eventlog';
}

function setActor(event: EcsEvent, data: Record<string, string>, prefix: 'Target' | 'Subject'): void {
  const name = present(data[prefix + 'UserName']);
  if (name === undefined) return;
  const u = user(event);
  u.name = name;
  const domain = present(data[prefix + 'DomainName']);
  if (domain !== undefined) u.domain = domain;
  const sid = present(data[prefix + 'UserSid']);
  // S-1-0-0 is the NULL SID: Windows writes it when it does not know the account.
  if (sid !== undefined && sid !== 'S-1-0-0') u.id = sid;
}

/** `CN=Bob Smith,OU=Staff,DC=corp,DC=local` → `Bob Smith`. */
function commonName(dn: string): string {
  if (!dn.startsWith('CN=')) return dn;
  const comma = dn.indexOf(',');
  return comma > 3 ? dn.slice(3, comma) : dn.slice(3);
}

function mapSource(event: EcsEvent, data: Record<string, string>): void {
  const ip = present(data.IpAddress);
  // Windows writes IPv4 clients as ::ffff:a.b.c.d.
  if (ip !== undefined) setIp(event, 'source', ip.startsWith('::ffff:') ? ip.slice(7) : ip);
  const port = present(data.IpPort);
  if (port !== undefined && port !== '0') setPort(event, 'source', port);
  const workstation = present(data.WorkstationName) ?? present(data.Workstation);
  if (workstation !== undefined && isHostname(workstation)) {
    if (event.source === undefined) event.source = { domain: workstation };
    else event.source.domain = workstation;
  }
}

function mapProcess(event: EcsEvent, id: string, data: Record<string, string>): void {
  if (id === '4688' || id === '4689') {
    const exe = present(data.NewProcessName) ?? present(data.ProcessName);
    if (exe === undefined) return;
    const proc: NonNullable<EcsEvent['process']> = { name: basename(exe), executable: exe };
    const pid = parseDecimalOrHex(id === '4688' ? data.NewProcessId : data.ProcessId);
    if (pid !== undefined) proc.pid = pid;
    const cmd = present(data.CommandLine);
    if (cmd !== undefined) proc.command_line = cmd;
    const parentExe = present(data.ParentProcessName);
    const parentPid = id === '4688' ? parseDecimalOrHex(data.ProcessId) : undefined;
    if (parentExe !== undefined || parentPid !== undefined) {
      proc.parent = {};
      if (parentExe !== undefined) proc.parent.name = basename(parentExe);
      if (parentPid !== undefined) proc.parent.pid = parentPid;
    }
    event.process = proc;
    return;
  }
  const exe = present(data.ProcessName);
  if (exe !== undefined) {
    const proc: NonNullable<EcsEvent['process']> = { name: basename(exe), executable: exe };
    const pid = parseDecimalOrHex(data.ProcessId);
    if (pid !== undefined && pid !== 0) proc.pid = pid;
    event.process = proc;
  }
}

/** Fills winlog.*, host.*, dataset and, for known Security events, the ECS categorisation. */
export function applyWindowsRecord(rec: WindowsRecord, event: EcsEvent): boolean {
  const id = rec.eventId;
  const data = rec.data;
  setDataset(event, datasetFor(rec.channel));
  event.event.code = id;
  if (rec.provider !== undefined) event.event.provider = rec.provider;
  if (rec.message !== undefined && rec.message.length > 0) event.message = rec.message;
  const winlog: NonNullable<EcsEvent['winlog']> = { event_id: id, event_data: data };
  if (rec.channel !== undefined) winlog.channel = rec.channel;
  if (rec.provider !== undefined) winlog.provider_name = rec.provider;
  if (rec.computer !== undefined) winlog.computer_name = rec.computer;
  if (rec.recordId !== undefined) winlog.record_id = rec.recordId;
  const logonType = present(data.LogonType);
  if (logonType !== undefined) winlog.logon = { type: LOGON_TYPES[logonType] ?? logonType };
  event.winlog = winlog;
  if (rec.computer !== undefined && rec.computer.length > 0) {
    event.host = { ...event.host, name: rec.computer, hostname: rec.computer };
  }
  // The syslog program is the forwarder (NXLog writes the provider there), not a process of the event.
  delete event.process;
  if (datasetFor(rec.channel) === 'windows.sysmon') return applySysmon(id, data, event);

  const mapping = rec.channel === undefined || rec.channel.toLowerCase() === 'security' ? SECURITY_EVENTS[id] : undefined;
  if (mapping === undefined) {
    if (rec.auditOutcome !== undefined) event.event.outcome = rec.auditOutcome;
    return false;
  }
  categorize(event, mapping.category, mapping.type, mapping.outcome ?? rec.auditOutcome);
  event.event.action = mapping.action;
  if (mapping.category === 'iam' && id !== '4672') event.event.type = [GROUP_EVENTS.has(id) ? 'group' : 'user', mapping.type];
  setActor(event, data, mapping.actor === 'target' ? 'Target' : 'Subject');

  if (TARGET_ACCOUNT_EVENTS.has(id)) {
    const target = present(data.TargetUserName);
    if (target !== undefined) {
      const sid = present(data.TargetSid);
      user(event).target = sid !== undefined ? { name: target, id: sid } : { name: target };
    }
  } else if (GROUP_EVENTS.has(id)) {
    const group = present(data.TargetUserName);
    if (group !== undefined) event.group = { name: group };
    const member = present(data.MemberName);
    if (member !== undefined) user(event).target = { name: commonName(member) };
  } else if (id === '4648') {
    const target = present(data.TargetUserName);
    if (target !== undefined) user(event).target = { name: target };
  }

  if (id === '4625' || id === '4771' || id === '4776' || id === '4768' || id === '4769') {
    // SubStatus is the precise code when Status is the generic 0xC000006D.
    const sub = present(data.SubStatus);
    const status = (sub !== undefined && sub !== '0x0' ? sub : undefined) ?? present(data.Status);
    if (status !== undefined) {
      const lower = status.toLowerCase();
      if (id === '4776' || id === '4768' || id === '4769') event.event.outcome = lower === '0x0' ? 'success' : 'failure';
      const reason = LOGON_FAILURE_REASONS[lower];
      if (reason !== undefined) event.event.reason = reason;
      else if (lower !== '0x0') event.event.reason = status;
    }
  }
  mapSource(event, data);
  mapProcess(event, id, data);
  return true;
}
