import { normalizeFixture } from './testdata/fixtures';

const results = normalizeFixture('windows.txt');

const security = { dataset: 'windows.security', module: 'windows', provider: 'Microsoft-Windows-Security-Auditing' };

const expected: Array<[boolean, Record<string, unknown>]> = [
  // Winlogbeat JSON: its ECS keys are merged, then event_data is mapped.
  [true, {
    '@timestamp': '2024-03-04T10:15:31.512Z',
    event: { ...security, code: '4625', category: ['authentication'], type: ['start'], outcome: 'failure', action: 'logon-failed', reason: 'wrong password' },
    host: { name: 'DC01.corp.example.com', os: { family: 'windows', version: '10.0' } },
    user: { name: 'administrator', domain: 'CORP' },
    source: { ip: '203.0.113.50', port: 49532, domain: 'KALI' },
    winlog: { event_id: '4625', channel: 'Security', record_id: '1843221', logon: { type: 'Network' }, event_data: { SubStatus: '0xc000006a' } },
    message: 'An account failed to log on.',
  }],
  [true, {
    event: { ...security, code: '4688', category: ['process'], type: ['start'], action: 'created-process' },
    user: { name: 'asmith', domain: 'CORP', id: 'S-1-5-21-3623811015-3361044348-30300820-1107' },
    process: {
      name: 'powershell.exe',
      executable: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      pid: 0x1a2c,
      command_line: 'powershell.exe -NoProfile -EncodedCommand SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAKQA=',
      parent: { name: 'explorer.exe', pid: 0x2b08 },
    },
    host: { name: 'WS042.corp.example.com' },
  }],
  // NXLog JSON.
  [true, {
    event: { ...security, code: '4624', category: ['authentication'], type: ['start'], outcome: 'success', action: 'logged-in' },
    user: { name: 'jdoe', domain: 'CORP', id: 'S-1-5-21-3623811015-3361044348-30300820-1105' },
    source: { ip: '10.1.20.33', domain: 'DC01' },
    winlog: { event_id: '4624', logon: { type: 'RemoteInteractive' }, computer_name: 'DC01.corp.example.com', record_id: '1843301' },
    process: { name: 'svchost.exe', pid: 0x1e4 },
    message: 'An account was successfully logged on.',
  }],
  [true, { event: { ...security, code: '4634', category: ['authentication'], type: ['end'], action: 'logged-out' }, user: { name: 'jdoe' } }],
  [true, { event: { code: '4672', category: ['iam'], type: ['admin'], action: 'logged-in-special' }, user: { name: 'Administrator', domain: 'CORP' } }],
  [true, { event: { code: '4720', category: ['iam'], type: ['user', 'creation'], action: 'added-user-account' }, user: { name: 'Administrator', target: { name: 'svc-backup2', id: 'S-1-5-21-3623811015-3361044348-30300820-1120' } } }],
  [true, { event: { code: '4732', category: ['iam'], type: ['group', 'change'], action: 'added-member-to-group' }, user: { name: 'Administrator', target: { name: 'svc-backup2' } }, group: { name: 'Administrators' } }],
  [true, { event: { code: '4726', category: ['iam'], type: ['user', 'deletion'], action: 'deleted-user-account' }, user: { target: { name: 'tempuser' } } }],
  [true, { event: { code: '4740', category: ['iam'], type: ['user', 'change'], action: 'locked-out-user-account' }, user: { target: { name: 'jdoe' } } }],
  [true, { event: { code: '4625', outcome: 'failure', action: 'logon-failed', reason: 'account locked out' }, user: { name: 'jdoe' }, source: { ip: '10.1.20.42', port: 50212, domain: 'WS042' } }],
  [true, {
    event: { dataset: 'windows.sysmon', code: '1', provider: 'Microsoft-Windows-Sysmon', category: ['process'], type: ['start'], action: 'process-created' },
    process: { name: 'cmd.exe', executable: 'C:\\Windows\\System32\\cmd.exe', command_line: 'cmd.exe /c whoami' },
    user: { domain: 'CORP', name: 'asmith' },
  }],
];

describe('Windows event normalizer (Winlogbeat and NXLog JSON)', () => {
  it('has one expectation per sample line', () => {
    expect(results).toHaveLength(expected.length);
  });

  it.each(expected.map((e, i) => [results[i]?.line.slice(0, 120) ?? String(i), i, e[0], e[1]] as const))('%s', (_title, i, normalized, fields) => {
    expect(results[i].normalized).toBe(normalized);
    expect(results[i].event).toMatchObject(fields);
  });

  it('never takes the NULL SID as a user id, nor the forwarder as the process', () => {
    expect(results[0].event.user?.id).toBeUndefined();
    expect(results[0].event.process).toBeUndefined();
    expect(results[3].event.process).toBeUndefined();
  });

  it('keeps the collector-owned event fields from the payload out', () => {
    expect(results[0].event.event.created).toBe('2024-03-04T12:00:00.000Z');
    expect(results[0].event.json).toEqual({ agent: { type: 'winlogbeat', version: '8.12.2' }, ecs: { version: '8.0.0' } });
  });
});
