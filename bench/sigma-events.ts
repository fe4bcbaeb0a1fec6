/**
 * Synthetic but realistic event streams for the Sigma benchmark: Sysmon (Winlogbeat layout) and
 * Windows Security events, and syslog-normalized Linux/web/network events. Values are drawn from
 * common benign activity so that most rules evaluate fully (the expensive case) and few match.
 */
/** Deterministic PRNG so runs are comparable. */
export { prng as rng } from '../core/testing/prng';

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const IMAGES = [
  'C:\\Windows\\System32\\svchost.exe',
  'C:\\Windows\\System32\\cmd.exe',
  'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Windows\\explorer.exe',
  'C:\\Windows\\System32\\conhost.exe',
  'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
  'C:\\Windows\\System32\\rundll32.exe',
  'C:\\Windows\\System32\\taskhostw.exe',
  'C:\\Users\\alice\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe',
  'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
  'C:\\Windows\\System32\\msiexec.exe',
];
const COMMANDS: Record<string, string[]> = {
  svchost: ['C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule', 'C:\\Windows\\System32\\svchost.exe -k LocalServiceNetworkRestricted -p'],
  cmd: ['cmd.exe /c dir C:\\Users\\alice\\Documents', 'C:\\Windows\\system32\\cmd.exe /c "C:\\Program Files\\App\\update.bat"', 'cmd /c echo %DATE% >> C:\\logs\\run.txt'],
  powershell: ['powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\Scripts\\inventory.ps1', 'powershell.exe Get-Service | Where-Object {$_.Status -eq "Running"}'],
  chrome: ['"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --type=renderer --lang=en-US --enable-auto-reload --num-raster-threads=4'],
  explorer: ['C:\\Windows\\Explorer.EXE'],
  conhost: ['\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1'],
  WINWORD: ['"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n "C:\\Users\\alice\\Documents\\Q3 report.docx"'],
  rundll32: ['C:\\Windows\\system32\\rundll32.exe C:\\Windows\\system32\\shell32.dll,SHCreateLocalServerRunDll {9aa46009-3ce0-458a-a354-715610a075e6}'],
  taskhostw: ['taskhostw.exe {222A245B-E637-4AE9-A93F-A59CA119A75E}'],
  Code: ['"C:\\Users\\alice\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe" --type=utility --utility-sub-type=node.mojom.NodeService'],
  WmiPrvSE: ['C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding'],
  msiexec: ['C:\\Windows\\system32\\msiexec.exe /V', 'msiexec.exe /i C:\\Users\\alice\\Downloads\\setup.msi /qn'],
};

function baseName(image: string): string {
  const file = image.slice(image.lastIndexOf('\\') + 1);
  return file.slice(0, file.lastIndexOf('.'));
}

function sysmon(r: () => number, id: number, data: Record<string, string>): Record<string, unknown> {
  return {
    '@timestamp': '2024-05-02T09:14:07.412Z',
    event: { id: String(Math.floor(r() * 1e9)), dataset: 'windows.sysmon_operational', code: String(id) },
    host: { name: 'WS01', os: { family: 'windows' } },
    winlog: { channel: 'Microsoft-Windows-Sysmon/Operational', event_id: String(id), provider_name: 'Microsoft-Windows-Sysmon', computer_name: 'WS01.corp.example', event_data: data },
  };
}

export function windowsEvent(r: () => number): Record<string, unknown> {
  const image = pick(r, IMAGES);
  const parent = pick(r, IMAGES);
  const user = pick(r, ['CORP\\alice', 'CORP\\bob', 'NT AUTHORITY\\SYSTEM', 'NT AUTHORITY\\NETWORK SERVICE']);
  const kind = r();
  if (kind < 0.35) {
    return sysmon(r, 1, {
      UtcTime: '2024-05-02 09:14:07.412',
      ProcessGuid: '{c1b49677-43f4-5c7a-0000-0010d3dd8044}',
      ProcessId: String(1000 + Math.floor(r() * 9000)),
      Image: image,
      FileVersion: '10.0.19041.1 (WinBuild.160101.0800)',
      Description: 'Windows host process',
      Product: 'Microsoft® Windows® Operating System',
      Company: 'Microsoft Corporation',
      OriginalFileName: baseName(image) + '.exe',
      CommandLine: pick(r, COMMANDS[baseName(image)] ?? [image]),
      CurrentDirectory: 'C:\\Windows\\system32\\',
      User: user,
      LogonId: '0x3e7',
      IntegrityLevel: pick(r, ['Medium', 'High', 'System']),
      Hashes: 'SHA1=0AE1F9071C5E8FE4A69D3F671937935D242D8A6C,MD5=CCF1D1573F175299ADE01C07791A6541,IMPHASH=3A1F4E2B9C0D7E6F5A4B3C2D1E0F9A8B',
      ParentImage: parent,
      ParentCommandLine: pick(r, COMMANDS[baseName(parent)] ?? [parent]),
      ParentUser: user,
    });
  }
  if (kind < 0.5) {
    return sysmon(r, 3, {
      Image: image,
      User: user,
      Protocol: 'tcp',
      Initiated: 'true',
      SourceIp: '10.1.2.' + Math.floor(r() * 250),
      SourcePort: String(49152 + Math.floor(r() * 10000)),
      DestinationIp: pick(r, ['142.250.74.110', '10.1.0.5', '52.96.165.18', '20.190.160.1']),
      DestinationHostname: pick(r, ['www.google.com', 'fileserver.corp.example', 'outlook.office365.com', '']),
      DestinationPort: pick(r, ['443', '445', '80', '53']),
    });
  }
  if (kind < 0.62) {
    return sysmon(r, 7, {
      Image: image,
      ImageLoaded: pick(r, ['C:\\Windows\\System32\\ntdll.dll', 'C:\\Windows\\System32\\kernel32.dll', 'C:\\Windows\\System32\\combase.dll', 'C:\\Program Files\\Google\\Chrome\\Application\\124.0.6367.91\\chrome_elf.dll']),
      Signed: 'true',
      Signature: 'Microsoft Windows',
      SignatureStatus: 'Valid',
      OriginalFileName: 'ntdll.dll',
      Description: 'NT Layer DLL',
      Company: 'Microsoft Corporation',
      Hashes: 'SHA256=68A15A34C2E28B9B521A240B948634617D72AD619E3950BC6DC769E60A0C3CF2',
      User: user,
    });
  }
  if (kind < 0.74) {
    return sysmon(r, 11, {
      Image: image,
      TargetFilename: pick(r, ['C:\\Users\\alice\\AppData\\Local\\Temp\\tmp8A3F.tmp', 'C:\\Users\\alice\\Documents\\notes.txt', 'C:\\Windows\\Prefetch\\CMD.EXE-4A81B364.pf', 'C:\\ProgramData\\Microsoft\\Windows Defender\\Scans\\mpcache.bin']),
      CreationUtcTime: '2024-05-02 09:14:07.412',
      User: user,
    });
  }
  if (kind < 0.84) {
    return sysmon(r, 13, {
      EventType: 'SetValue',
      Image: image,
      TargetObject: pick(r, ['HKU\\S-1-5-21-1-2-3-1001\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RecentDocs\\.docx', 'HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates\\SignatureLocation', 'HKLM\\System\\CurrentControlSet\\Services\\bam\\State\\UserSettings\\S-1-5-21-1-2-3-1001\\x']),
      Details: pick(r, ['DWORD (0x00000001)', 'Binary Data', 'C:\\ProgramData\\Microsoft\\Windows Defender\\Definition Updates']),
      User: user,
    });
  }
  if (kind < 0.9) {
    return sysmon(r, 22, { Image: image, QueryName: pick(r, ['www.google.com', 'login.microsoftonline.com', 'wpad.corp.example', 'ctldl.windowsupdate.com']), QueryStatus: '0', QueryResults: '::ffff:142.250.74.110;', User: user });
  }
  if (kind < 0.94) {
    return {
      '@timestamp': '2024-05-02T09:15:00.000Z',
      event: { id: String(Math.floor(r() * 1e9)), code: '4104' },
      host: { name: 'WS01' },
      winlog: { channel: 'Microsoft-Windows-PowerShell/Operational', event_id: '4104', event_data: { MessageNumber: '1', MessageTotal: '1', ScriptBlockText: 'Get-ChildItem -Path C:\\Logs -Filter *.log | Where-Object { $_.Length -gt 1MB } | Remove-Item', ScriptBlockId: '3f1e', Path: '' } },
    };
  }
  const eid = pick(r, [4624, 4625, 4688, 4672, 4634]);
  return {
    '@timestamp': '2024-05-02T09:15:00.000Z',
    event: { id: String(Math.floor(r() * 1e9)), code: String(eid) },
    host: { name: 'DC01' },
    winlog: {
      channel: 'Security',
      event_id: String(eid),
      provider_name: 'Microsoft-Windows-Security-Auditing',
      event_data: {
        SubjectUserSid: 'S-1-5-18',
        SubjectUserName: 'DC01$',
        SubjectDomainName: 'CORP',
        TargetUserName: pick(r, ['alice', 'bob', 'svc_sql']),
        TargetDomainName: 'CORP',
        LogonType: pick(r, ['2', '3', '10']),
        LogonProcessName: 'NtLmSsp',
        AuthenticationPackageName: 'NTLM',
        WorkstationName: 'WS01',
        IpAddress: '10.1.2.' + Math.floor(r() * 250),
        IpPort: '0',
        NewProcessName: image,
        CommandLine: pick(r, COMMANDS[baseName(image)] ?? [image]),
        ProcessName: 'C:\\Windows\\System32\\lsass.exe',
      },
    },
  };
}

export function syslogEvent(r: () => number): Record<string, unknown> {
  const kind = r();
  const ts = '2024-05-02T09:16:00.000Z';
  const id = String(Math.floor(r() * 1e9));
  const src = `198.51.100.${Math.floor(r() * 250)}`;
  if (kind < 0.25) {
    const msg = pick(r, [
      `Failed password for invalid user admin from ${src} port 52211 ssh2`,
      `Accepted publickey for alice from ${src} port 50122 ssh2: ED25519 SHA256:AbC`,
      'pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)',
      `Connection closed by authenticating user root ${src} port 40022 [preauth]`,
    ]);
    return { '@timestamp': ts, event: { id, dataset: 'syslog.linux_sshd', category: ['authentication'] }, message: `sshd[4121]: ${msg}`, source: { ip: src }, host: { hostname: 'web01' } };
  }
  if (kind < 0.35) {
    return { '@timestamp': ts, event: { id, dataset: 'syslog.linux_sudo' }, message: 'sudo: alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx', user: { name: 'alice' } };
  }
  if (kind < 0.65) {
    const path = pick(r, ['/index.html', '/static/app.3f9a.js', '/api/v1/orders?page=2&sort=desc', '/wp-login.php', '/images/logo.png', '/search?q=blue+shoes']);
    return {
      '@timestamp': ts,
      event: { id, dataset: 'nginx.access', category: ['web'] },
      message: `${src} - - [02/May/2024:09:16:00 +0000] "GET ${path} HTTP/1.1" 200 5120 "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"`,
      source: { ip: src },
      url: { original: path, path: path.split('?')[0] },
      http: { request: { method: 'GET' }, response: { status_code: 200, body: { bytes: 5120 } }, version: '1.1' },
      user_agent: { original: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36' },
    };
  }
  if (kind < 0.85) {
    return {
      '@timestamp': ts,
      event: { id, dataset: 'syslog.fortigate', action: pick(r, ['accept', 'deny', 'close']), category: ['network'] },
      message: `date=2024-05-02 time=09:16:00 devname="FGT60F" type="traffic" subtype="forward" srcip=${src} dstip=10.0.0.5 dstport=443 action="accept"`,
      source: { ip: src, port: 51000 + Math.floor(r() * 1000) },
      destination: { ip: '10.0.0.5', port: pick(r, [443, 22, 3389, 53]) },
      network: { transport: 'tcp' },
      fortinet: { firewall: { type: 'traffic', subtype: 'forward', action: 'accept' } },
    };
  }
  return {
    '@timestamp': ts,
    event: { id, dataset: 'syslog.cisco_ios' },
    message: pick(r, ['%LINEPROTO-5-UPDOWN: Line protocol on Interface GigabitEthernet0/1, changed state to up', '%SYS-5-CONFIG_I: Configured from console by netadmin on vty0 (10.0.0.9)', '%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: netadmin] [Source: 10.0.0.9] [localport: 22]']),
    observer: { vendor: 'Cisco', product: 'IOS' },
  };
}

const hex = (r: () => number, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789ABCDEF'[Math.floor(r() * 16)];
  return s;
};
const guid = (r: () => number): string => `{${hex(r, 8)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 4)}-${hex(r, 12)}}`.toLowerCase();
const USER_NAMES = ['nguyen.van.an', 'tran.thi.binh', 'le.minh', 'pham.hoa', 'svc_backup', 'hoang.duc', 'vu.lan', 'dang.quang'];
const GUID_PATTERN = /\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}/g;

/**
 * The same event with the values real streams do not repeat made unique (a worst case for caches
 * keyed by field value): every command line (user name, GUIDs, plus a temp file argument),
 * ProcessGuid, user names, hashes, target file names, registry keys, script blocks, half the DNS
 * names and loaded modules, and a tenth of the images (a unique temp-folder installer). Values
 * that do repeat across a fleet (most images, integrity levels, logon types, channels) keep the
 * small pools of windowsEvent.
 */
export function withUniqueValues(event: Record<string, unknown>, r: () => number): Record<string, unknown> {
  const winlog = event.winlog as Record<string, unknown>;
  const data = winlog.event_data as Record<string, string>;
  const name = `${pick(r, USER_NAMES)}${Math.floor(r() * 10000)}`;
  const temp = `C:\\Users\\${name}\\AppData\\Local\\Temp\\${hex(r, 8)}.tmp`;
  const personal = (v: string): string => v.split('alice').join(name).replace(GUID_PATTERN, () => guid(r));
  const image = r() < 0.1 ? `C:\\Users\\${name}\\AppData\\Local\\Temp\\${hex(r, 6)}\\setup.exe` : undefined;
  for (const key of Object.keys(data)) {
    const v = data[key];
    switch (key) {
      case 'CommandLine':
      case 'ParentCommandLine':
        data[key] = `${personal(v)} ${temp}`;
        break;
      case 'ProcessGuid':
        data[key] = guid(r);
        break;
      case 'User':
      case 'ParentUser':
        data[key] = v.startsWith('CORP\\') ? `CORP\\${name}` : v;
        break;
      case 'TargetUserName':
        data[key] = name;
        break;
      case 'Hashes':
        data[key] = `SHA1=${hex(r, 40)},MD5=${hex(r, 32)},IMPHASH=${hex(r, 32)}`;
        break;
      case 'TargetFilename':
        data[key] = personal(v).replace(/tmp8A3F|notes|4A81B364|mpcache/, (m) => `${m}-${hex(r, 6)}`);
        break;
      case 'TargetObject':
        data[key] = `${v.replace('S-1-5-21-1-2-3-1001', `S-1-5-21-${Math.floor(r() * 1e9)}-${Math.floor(r() * 1e9)}-1001`)}\\${guid(r)}`;
        break;
      case 'ScriptBlockText':
        data[key] = `${v} -Exclude ${temp}`;
        break;
      case 'QueryName':
        if (r() < 0.5) data[key] = `${hex(r, 10).toLowerCase()}.cdn.example.net`;
        break;
      case 'ImageLoaded':
        if (r() < 0.5) data[key] = `C:\\Users\\${name}\\AppData\\Local\\${hex(r, 8)}\\module.dll`;
        break;
      case 'Image':
      case 'NewProcessName':
        if (image !== undefined) data[key] = image;
        break;
    }
  }
  return event;
}
