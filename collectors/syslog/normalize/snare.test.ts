import { normalizeFixture } from './testdata/fixtures';
import { snareEventData } from './snare';

const results = normalizeFixture('snare.txt');

const expected: Array<[boolean, Record<string, unknown>]> = [
  [true, {
    event: { dataset: 'windows.security', module: 'windows', code: '4625', category: ['authentication'], type: ['start'], outcome: 'failure', action: 'logon-failed', reason: 'wrong password' },
    winlog: { event_id: '4625', channel: 'Security', computer_name: 'DC01.corp.example.com', provider_name: 'Microsoft-Windows-Security-Auditing', logon: { type: 'Network' }, event_data: { TargetUserName: 'administrator', TargetDomainName: 'CORP', SubjectUserSid: 'S-1-0-0', Status: '0xC000006D', SubStatus: '0xC000006A', LogonType: '3', IpAddress: '203.0.113.50', IpPort: '49532', WorkstationName: 'KALI', LogonProcessName: 'NtLmSsp', AuthenticationPackageName: 'NTLM', KeyLength: '0' } },
    user: { name: 'administrator', domain: 'CORP' },
    source: { ip: '203.0.113.50', port: 49532, domain: 'KALI' },
    host: { name: 'DC01.corp.example.com' },
    snare: { criticality: '1', counter: '10215', category: 'Logon' },
  }],
  [true, {
    event: { code: '4624', outcome: 'success', action: 'logged-in' },
    winlog: { logon: { type: 'RemoteInteractive' }, event_data: { LogonType: '10', TargetUserSid: 'S-1-5-21-3623811015-3361044348-30300820-1013', SubjectUserName: 'WS042$', ProcessName: 'C:\\Windows\\System32\\svchost.exe', ElevatedToken: 'No' } },
    user: { name: 'nguyenvana', domain: 'CORP', id: 'S-1-5-21-3623811015-3361044348-30300820-1013' },
    source: { ip: '198.51.100.77' },
  }],
  [true, { event: { code: '4720', category: ['iam'], type: ['user', 'creation'], action: 'added-user-account' }, user: { name: 'admin.tran', target: { name: 'svc-backup2', id: 'S-1-5-21-3623811015-3361044348-30300820-1190' } } }],
  [true, { event: { code: '4732', action: 'added-member-to-group' }, group: { name: 'Administrators' }, winlog: { event_data: { TargetSid: 'S-1-5-32-544', MemberSid: 'S-1-5-21-3623811015-3361044348-30300820-1190', TargetDomainName: 'Builtin' } } }],
  [true, { event: { code: '4688', category: ['process'], action: 'created-process' }, user: { name: 'nguyenvana' }, process: { name: 'powershell.exe', pid: 0x1a2c, command_line: 'powershell.exe -nop -w hidden -enc SQBFAFgA', parent: { name: 'explorer.exe', pid: 0x12f0 } } }],
  [true, { event: { dataset: 'windows.system', code: '7036' }, winlog: { channel: 'System', provider_name: 'Service Control Manager' }, message: 'The Windows Update service entered the stopped state.' }],
  [false, { event: { dataset: 'syslog' } }],
  [false, { event: { dataset: 'syslog' } }],
];

describe('Snare for Windows normalizer', () => {
  it('has one expectation per sample line', () => {
    expect(results).toHaveLength(expected.length);
  });

  it.each(expected.map((e, i) => [results[i]?.line.slice(0, 90) ?? String(i), i, e[0], e[1]] as const))('%s', (_title, i, normalized, fields) => {
    expect(results[i].normalized).toBe(normalized);
    expect(results[i].event).toMatchObject(fields);
  });

  it('stops a value at the explanation text that follows the last field', () => {
    expect(results[0].event.winlog?.event_data?.KeyLength).toBe('0');
    expect(results[0].event.winlog?.event_data?.FailureReason).toBe('Unknown user name or bad password.');
  });

  it('reads a heading only when a label follows it, and skips unknown labels', () => {
    expect(snareEventData('Subject:   Security ID:  S-1-5-18   Account Name:  SYSTEM   Foo Bar:  x    New Logon:   Account Name:  bob')).toEqual({
      SubjectUserSid: 'S-1-5-18',
      SubjectUserName: 'SYSTEM',
      TargetUserName: 'bob',
    });
  });
});
