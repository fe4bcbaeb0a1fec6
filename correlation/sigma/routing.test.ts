/** Field mapping resolution, event → logsource derivation, and rule-set routing. */
import { join } from 'node:path';
import { FieldMappings, loadFieldMappings, parseMappingText } from './field-mapping';
import { loadLogsourceTable, LogsourceTable } from './logsource';
import type { CompiledSigmaRule } from './compile';
import { SigmaRuleSet } from './ruleset';
import { inlineRule } from './testdata/inline';

const rulesDir = join(__dirname, '../../rules/sigma');

describe('field mappings', () => {
  const mappings = new FieldMappings(
    parseMappingText(
      [
        'mappings:',
        '  - logsource: { product: windows }',
        "    fallback: ['winlog.event_data.{field}']",
        '    fields:',
        '      EventID: [winlog.event_id]',
        '  - logsource: { product: windows, category: process_creation }',
        '    keywords: [message]',
        '    fields:',
        "      Image: ['{fallback}', process.executable]",
      ].join('\n'),
      'inline.yaml',
    ),
  );

  it('prefers the most specific section, expands {fallback} and ends with the raw name', () => {
    expect(mappings.resolve({ product: 'windows', category: 'process_creation' }, 'Image')).toEqual(['winlog.event_data.Image', 'process.executable', 'Image']);
    expect(mappings.resolve({ product: 'windows', category: 'process_creation' }, 'EventID')).toEqual(['winlog.event_id', 'EventID']);
    expect(mappings.resolve({ product: 'windows', service: 'security' }, 'TargetUserName')).toEqual(['winlog.event_data.TargetUserName', 'TargetUserName']);
    expect(mappings.resolve({ product: 'linux' }, 'Image')).toEqual(['Image']);
  });

  it('finds a mapped field whatever the case of its name in the rule', () => {
    expect(mappings.resolve({ product: 'windows' }, 'eventid')).toEqual(['winlog.event_id', 'eventid']);
  });

  it('uses the most specific keyword fields, message and event.original by default', () => {
    expect(mappings.keywordFields({ product: 'windows', category: 'process_creation' })).toEqual(['message']);
    expect(mappings.keywordFields({ product: 'windows' })).toEqual(['message', 'event.original']);
  });

  it('names the file and line of a bad table', () => {
    expect(() => parseMappingText('mappings:\n  - logsource: { product: x }\n    fields:\n      A: 3\n', 'bad.yaml')).toThrow(/^bad\.yaml:4: /);
  });

  it('loads the shipped tables', () => {
    const shipped = loadFieldMappings(join(rulesDir, 'mappings'));
    expect(shipped.resolve({ product: 'windows', category: 'process_creation' }, 'CommandLine')).toContain('process.command_line');
    expect(shipped.resolve({ category: 'webserver' }, 'cs-method')).toEqual(['http.request.method', 'cs-method']);
    expect(shipped.resolve({ category: 'firewall' }, 'dst_port')).toEqual(['destination.port', 'dst_port']);
  });

  it('lets Windows keyword rules search every EventData value when there is no message', () => {
    const shipped = loadFieldMappings(join(rulesDir, 'mappings'));
    const rule = inlineRule("keywords:\n    - 'sekurlsa::logonpasswords'\ncondition: keywords", { mappings: shipped }, 'product: windows');
    expect(rule.match({ Event: { System: { Channel: 'Security' }, EventData: { CommandLine: 'mimikatz.exe "sekurlsa::logonpasswords" exit' } } })).toBe(true);
    expect(rule.match({ winlog: { event_data: { CommandLine: 'mimikatz.exe "privilege::debug"' } } })).toBe(false);
  });

  it('gives a Windows keyword rule the same verdict on Winlogbeat events (with a rendered message) as on evtx_dump ones', () => {
    const shipped = loadFieldMappings(join(rulesDir, 'mappings'));
    const keyword = inlineRule("keywords:\n    - 'sekurlsa::logonpasswords'\ncondition: keywords", { mappings: shipped }, 'product: windows');
    const template = inlineRule("keywords:\n    - 'Process Create:'\ncondition: keywords", { mappings: shipped }, 'product: windows');
    const data = { Image: 'C:\\Tools\\m.exe', CommandLine: 'm.exe "sekurlsa::logonpasswords" exit' };
    const winlogbeat = {
      message: `Process Create:\nRuleName: -\nImage: ${data.Image}\nCommandLine: ${data.CommandLine}`,
      winlog: { channel: 'Microsoft-Windows-Sysmon/Operational', event_id: '1', event_data: data },
    };
    const evtx = { Event: { System: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1 }, EventData: data } };
    expect(keyword.match(winlogbeat)).toBe(true);
    expect(keyword.match(evtx)).toBe(true);
    // The EventData values are searched, not the message's template text: both forms agree.
    expect(template.match(winlogbeat)).toBe(false);
    expect(template.match(evtx)).toBe(false);
    // Without structured data (a plain-text forwarder), the message is what there is.
    expect(keyword.match({ winlog: { channel: 'Security' }, message: 'Process m.exe sekurlsa::logonpasswords' })).toBe(true);
  });
});

describe('event logsource derivation (rules/sigma/logsources.yaml)', () => {
  const table = loadLogsourceTable(join(rulesDir, 'logsources.yaml'));
  it.each<[string, Record<string, unknown>, { product?: string; services: string[]; categories: string[] }]>([
    ['Sysmon 1 (Winlogbeat)', { winlog: { channel: 'Microsoft-Windows-Sysmon/Operational', event_id: '1' } }, { product: 'windows', services: ['sysmon'], categories: ['process_creation'] }],
    ['Sysmon 13 (evtx)', { Event: { System: { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 13 } } }, { product: 'windows', services: ['sysmon'], categories: ['registry_event', 'registry_set'] }],
    ['Security 4688', { winlog: { channel: 'security', event_id: 4688 } }, { product: 'windows', services: ['security'], categories: ['process_creation'] }],
    ['Security 4624 evtx #text', { Event: { System: { Channel: 'Security', EventID: { '#text': 4624 } } } }, { product: 'windows', services: ['security'], categories: [] }],
    ['unknown channel', { winlog: { channel: 'Vendor/Operational', event_id: 1 } }, { product: 'windows', services: [], categories: [] }],
    ['sshd syslog', { event: { dataset: 'linux.sshd' } }, { product: 'linux', services: ['sshd', 'auth', 'syslog'], categories: [] }],
    ['dataset prefix', { event: { dataset: 'zeek.ssh' } }, { product: 'zeek', services: [], categories: [] }],
    ['ECS process start on Linux', { event: { category: ['process'], type: ['start'] }, host: { os: { family: 'linux' } } }, { product: 'linux', services: [], categories: ['process_creation'] }],
    ['nothing known', { message: 'x' }, { product: undefined, services: [], categories: [] }],
  ])('%s', (_name, event, expected) => {
    const ls = table.derive(event);
    expect({ product: ls.product, services: ls.services, categories: ls.categories }).toEqual(expected);
  });

  it('caches Windows logsources per channel and event id, but not past ECS categories', () => {
    const plain = { winlog: { channel: 'Security', event_id: '4624' } };
    expect(table.derive(plain)).toBe(table.derive({ winlog: { channel: 'Security', event_id: '4624' }, host: { name: 'DC01' } }));
    const withEcs = table.derive({ ...plain, event: { category: ['process'], type: ['start'] } });
    expect(withEcs.categories).toContain('process_creation');
    expect(table.derive(plain).categories).toEqual([]);
    expect(table.derive({ winlog: { channel: 'Security', event_id: '4688' } }).categories).toEqual(['process_creation']);
  });

  it('returns the same object for the same logsource (cache key)', () => {
    expect(table.derive({ event: { dataset: 'linux.sshd' } })).toBe(table.derive({ event: { dataset: 'linux.sshd' }, message: 'y' }));
  });
});

describe('SigmaRuleSet routing', () => {
  const table = new LogsourceTable({
    datasets: [
      { dataset: 'syslog.linux_sshd', product: 'linux', service: ['sshd', 'auth'] },
      { dataset: 'nginx.access', product: 'nginx', categories: ['webserver'] },
    ],
  });
  const any = (_title: string, logsource: string) => inlineRule("keywords:\n    - 'boom'\ncondition: keywords", {}, logsource);
  const rules = [
    any('a', 'product: linux'),
    any('b', 'service: sshd\n    product: linux'),
    any('c', 'service: auth\n    product: linux'),
    any('d', 'category: webserver'),
    any('e', 'product: windows'),
    any('f', 'category: webserver\n    product: apache'),
  ];
  const set = new SigmaRuleSet(rules, { logsources: table });

  it('offers an event only the rules whose logsource keys it has', () => {
    expect(set.candidates({ event: { dataset: 'syslog.linux_sshd' } })).toEqual([rules[0], rules[1], rules[2]]);
    expect(set.candidates({ event: { dataset: 'nginx.access' } })).toEqual([rules[3]]);
    expect(set.candidates({ message: 'boom' })).toEqual([]);
  });

  it('matches only among candidates, in rule order', () => {
    expect(set.match({ event: { dataset: 'syslog.linux_sshd' }, message: 'boom' })).toEqual([rules[0], rules[1], rules[2]]);
    expect(set.match({ event: { dataset: 'nginx.access' }, message: 'quiet' })).toEqual([]);
  });

  it("routing 'all' offers every rule every event", () => {
    const all = new SigmaRuleSet(rules, { routing: 'all' });
    expect(all.match({ message: 'boom' })).toHaveLength(rules.length);
  });

  it('matches a batch grouped by logsource and returns each result at its event position', () => {
    const batch = [
      { event: { dataset: 'nginx.access' }, message: 'boom' },
      { event: { dataset: 'syslog.linux_sshd' }, message: 'boom' },
      { message: 'boom' },
      { event: { dataset: 'syslog.linux_sshd' }, message: 'quiet' },
      { event: { dataset: 'nginx.access' }, message: 'quiet' },
      { event: { dataset: 'syslog.linux_sshd' }, message: 'boom boom' },
    ];
    // Results of an earlier batch, one more than this batch holds: all replaced or dropped.
    const out: (readonly CompiledSigmaRule[])[] = Array.from({ length: batch.length + 1 }, () => [rules[4]]);
    set.matchBatch(batch, out);
    expect(out).toEqual([[rules[3]], [rules[0], rules[1], rules[2]], [], [], [], [rules[0], rules[1], rules[2]]]);
    expect(out).toEqual(batch.map((e) => set.match(e)));
    set.matchBatch([], out);
    expect(out).toEqual([]);
  });

  it('shares one field table: a field is read once per event however many rules use it', () => {
    let reads = 0;
    const event = {
      event: { dataset: 'syslog.linux_sshd' },
      get message() {
        reads++;
        return 'boom';
      },
    };
    set.match(event);
    expect(reads).toBe(1);
  });
});
