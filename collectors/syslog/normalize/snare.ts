/**
 * Windows event logs forwarded by the Snare agent (and collectors that speak its format, such as
 * LogLogic) over syslog: `MSWinEventLog<TAB>criticality<TAB>channel<TAB>counter<TAB>time<TAB>
 * event id<TAB>provider<TAB>user<TAB>SID type<TAB>audit type<TAB>computer<TAB>category<TAB>
 * strings…<TAB>counter or MD5`. Snare sends the rendered message, not the XML event data, with
 * tabs and line breaks turned into spaces; the `Label:  value` pairs of that text are read back
 * into the event-data names Winlogbeat uses (TargetUserName, IpAddress, LogonType…), section by
 * section, and the record then goes through the same mapping as JSON Windows events (windows.ts),
 * so Windows Sigma rules and correlations meet Snare events as they meet Winlogbeat ones.
 */
import type { EcsEvent } from '../../../core/event';
import type { SyslogMessage } from '../parse/types';
import { applyWindowsRecord, type WindowsRecord } from './windows';

export const SNARE_MARK = 'MSWinEventLog\t';

/** Section headings of the rendered Security messages, and whose account their `Account Name:` is. */
const SECTIONS = new Map<string, string>(Object.entries({
  Subject: 'Subject',
  'Creator Subject': 'Subject',
  'New Logon': 'Target',
  'Account For Which Logon Failed': 'Target',
  'Account Whose Credentials Were Used': 'Target',
  'Target Subject': 'Target',
  'Account Information': 'Target',
  'Logon Information': 'Other',
  'Failure Information': 'Other',
  'Process Information': 'Other',
  'Network Information': 'Other',
  'Detailed Authentication Information': 'Other',
  'Target Server': 'Other',
  'Service Information': 'Other',
  'Additional Information': 'Other',
  'Certificate Information': 'Other',
  'New Account': 'Account',
  'Target Account': 'Account',
  'Account That Was Locked Out': 'Account',
  Member: 'Member',
  Group: 'Group',
}));

/** Account fields whose event-data name depends on the section (4720 writes TargetSid, 4624 TargetUserSid). */
const ACCOUNT_FIELDS = new Map<string, Partial<Record<string, string>>>(Object.entries<Partial<Record<string, string>>>({
  'Security ID': { Subject: 'SubjectUserSid', Target: 'TargetUserSid', Account: 'TargetSid', Member: 'MemberSid', Group: 'TargetSid' },
  'Account Name': { Subject: 'SubjectUserName', Target: 'TargetUserName', Account: 'TargetUserName', Member: 'MemberName' },
  'Account Domain': { Subject: 'SubjectDomainName', Target: 'TargetDomainName', Account: 'TargetDomainName' },
  'Logon ID': { Subject: 'SubjectLogonId', Target: 'TargetLogonId' },
  'Logon GUID': { Subject: 'SubjectLogonGuid', Target: 'TargetLogonGuid' },
}));

/** Labels with one event-data name wherever they appear. */
const FIELDS = new Map<string, string>(Object.entries({
  'Logon Type': 'LogonType',
  'Failure Reason': 'FailureReason',
  Status: 'Status',
  'Sub Status': 'SubStatus',
  'Caller Process ID': 'ProcessId',
  'Caller Process Name': 'ProcessName',
  'Process ID': 'ProcessId',
  'Process Name': 'ProcessName',
  'New Process ID': 'NewProcessId',
  'New Process Name': 'NewProcessName',
  'Creator Process ID': 'ProcessId',
  'Creator Process Name': 'ParentProcessName',
  'Process Command Line': 'CommandLine',
  'Token Elevation Type': 'TokenElevationType',
  'Workstation Name': 'WorkstationName',
  'Source Workstation': 'Workstation',
  'Source Network Address': 'IpAddress',
  'Network Address': 'IpAddress',
  'Client Address': 'IpAddress',
  'Source Port': 'IpPort',
  'Client Port': 'IpPort',
  Port: 'IpPort',
  'Logon Process': 'LogonProcessName',
  'Authentication Package': 'AuthenticationPackageName',
  'Transited Services': 'TransmittedServices',
  'Package Name (NTLM only)': 'LmPackageName',
  'Key Length': 'KeyLength',
  'Logon Account': 'TargetUserName',
  'Error Code': 'Status',
  'Result Code': 'Status',
  'Failure Code': 'Status',
  'Ticket Options': 'TicketOptions',
  'Ticket Encryption Type': 'TicketEncryptionType',
  'Pre-Authentication Type': 'PreAuthType',
  'Supplied Realm Name': 'TargetDomainName',
  'User ID': 'TargetSid',
  'Service Name': 'ServiceName',
  'Service ID': 'ServiceSid',
  'Service File Name': 'ServiceFileName',
  'Service Type': 'ServiceType',
  'Service Start Type': 'ServiceStartType',
  'Service Account': 'ServiceAccount',
  'Target Server Name': 'TargetServerName',
  Privileges: 'PrivilegeList',
  'Group Name': 'TargetUserName',
  'Group Domain': 'TargetDomainName',
  'Elevated Token': 'ElevatedToken',
  'Virtual Account': 'VirtualAccount',
  'Restricted Admin Mode': 'RestrictedAdminMode',
  'Impersonation Level': 'ImpersonationLevel',
  'Mandatory Label': 'MandatoryLabel',
}));

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Every heading and label, longest first so `Source Network Address` wins over `Network Address`;
// a label starts the text or follows a space.
const LABELS = [...SECTIONS.keys(), ...ACCOUNT_FIELDS.keys(), ...FIELDS.keys()].sort((a, b) => b.length - a.length);
const LABEL = new RegExp(`(?:^|(?<= ))(${LABELS.map(escapeRegex).join('|')}):`, 'g');

/** The free text after a field's value (`Key Length: 0    This event is generated when…`) starts at a run of spaces. */
function valueOf(text: string, keepSpaces: boolean): string {
  const v = text.trim();
  if (keepSpaces) return v;
  const gap = v.indexOf('  ');
  return gap >= 0 ? v.slice(0, gap) : v;
}

/** Reads `Label:  value` pairs of a rendered Security message into Winlogbeat event-data names. */
export function snareEventData(text: string): Record<string, string> {
  const data = Object.create(null) as Record<string, string>;
  const found: Array<{ label: string; start: number; end: number }> = [];
  LABEL.lastIndex = 0;
  let r: RegExpExecArray | null;
  while ((r = LABEL.exec(text)) !== null) found.push({ label: r[1], start: r.index, end: r.index + r[0].length });
  let section = 'Other';
  for (let i = 0; i < found.length; i++) {
    const f = found[i];
    const next = i + 1 < found.length ? found[i + 1].start : text.length;
    const raw = text.slice(f.end, next);
    const heading = SECTIONS.get(f.label);
    // A heading is followed directly by its first label; `Group:` heads a section only when it does.
    if (heading !== undefined && raw.trim().length === 0) {
      section = heading;
      continue;
    }
    const byAccount = ACCOUNT_FIELDS.get(f.label);
    const key = byAccount !== undefined ? byAccount[section] : FIELDS.get(f.label);
    if (key === undefined || key in data) continue;
    const value = valueOf(raw, key === 'CommandLine');
    if (value.length > 0) data[key] = value;
  }
  return data;
}

/** Snare's field 9, the event log type: `Success Audit`, `Failure Audit`, `Information`… */
function auditOutcome(type: string | undefined): 'success' | 'failure' | undefined {
  if (type === 'Success Audit') return 'success';
  if (type === 'Failure Audit') return 'failure';
  return undefined;
}

/** The rendered message: the longest of the fields after the category (their number varies by agent version). */
function messageField(fields: string[]): string {
  let best = '';
  for (let i = 12; i < fields.length; i++) if (fields[i].length > best.length) best = fields[i];
  return best.trim();
}

export function normalizeSnare(msg: SyslogMessage, event: EcsEvent): boolean {
  const m = msg.message;
  if (!m.startsWith(SNARE_MARK)) return false;
  const f = m.split('\t');
  if (f.length < 13) return false;
  const eventId = f[5];
  if (eventId.length === 0 || eventId.length > 5 || !/^\d+$/.test(eventId)) return false;
  const text = messageField(f);
  const rec: WindowsRecord = {
    eventId,
    channel: f[2].length > 0 ? f[2] : undefined,
    provider: f[6].length > 0 ? f[6] : undefined,
    computer: f[10].length > 0 ? f[10] : undefined,
    auditOutcome: auditOutcome(f[9]),
    data: snareEventData(text),
  };
  if (text.length > 0) rec.message = text;
  // Field 7 is the record's `DOMAIN\user` (or N/A); the event data names the actors more precisely.
  applyWindowsRecord(rec, event);
  event.snare = { criticality: f[1], counter: f[3], category: f[11] };
  // A Windows record was read, mapped or not: as for Winlogbeat and NXLog JSON.
  return true;
}
