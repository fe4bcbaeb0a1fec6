import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionRegistry } from './actions';
import { builtinPlaybooksDir, loadPlaybooks, parsePlaybookText } from './loader';
import { compileTrigger } from './trigger';
import { sshAlert } from './testdata/fixtures';

const ACTIONS = new Set(actionRegistry().keys());

describe('playbook loader', () => {
  test('the shipped playbooks load without errors', () => {
    const loaded = loadPlaybooks([{ path: builtinPlaybooksDir(), source: 'builtin' }], ACTIONS);
    expect(loaded.errors).toEqual([]);
    expect(loaded.playbooks.map((p) => p.def.id).sort()).toEqual(['brute-force', 'ddos', 'device-down', 'malware-endpoint', 'threat-intel-hit']);
  });

  test('the brute-force playbook triggers on the SSH brute-force-then-success alert; the others do not', () => {
    const loaded = loadPlaybooks([{ path: builtinPlaybooksDir(), source: 'builtin' }], ACTIONS);
    const matching = loaded.playbooks.filter((p) => p.def.trigger && compileTrigger(p.def.trigger).matches(sshAlert(), 'created')).map((p) => p.def.id);
    expect(matching).toEqual(['brute-force']);
    const intel = sshAlert({ rule: { id: 'intel:abuse-ch-feodo', name: 'Threat intel match: abuse-ch-feodo', tags: [], level: 'high', ruleset: 'intel' } });
    expect(loaded.playbooks.filter((p) => p.def.trigger && compileTrigger(p.def.trigger).matches(intel, 'created')).map((p) => p.def.id)).toEqual(['threat-intel-hit']);
  });

  test('errors name the file, the line and the reason', () => {
    const text = `id: broken
name: Broken
steps:
  - id: one
    action: notify.email
    with:
      subject: "{{ alert.rule.name | shout }}"
      body: ok
  - id: two
    action: notify.pager
  - id: three
    action: wait
    if: "alert.count >"
`;
    const { playbooks, errors } = parsePlaybookText(text, '/etc/socnoc/playbooks/broken.yaml', 'test', ACTIONS);
    expect(playbooks).toEqual([]);
    expect(errors).toEqual([
      expect.objectContaining({ file: '/etc/socnoc/playbooks/broken.yaml', line: 7, reason: expect.stringMatching(/^steps\.0\.with\.subject: .*unknown filter "shout"/), playbook: 'broken' }),
      expect.objectContaining({ line: 10, reason: expect.stringMatching(/^steps\.1\.action: unknown action "notify\.pager"/) }),
      expect.objectContaining({ line: 13, reason: expect.stringMatching(/^steps\.2\.if: .*unexpected end of expression/) }),
    ]);
  });

  test('schema errors point at the offending key; YAML syntax errors at their line', () => {
    const schema = parsePlaybookText('id: x\nname: X\nsteps:\n  - id: a\n    action: wait\n    retries: { max: 100 }\n', 'f.yaml', 't', ACTIONS);
    expect(schema.errors[0]).toMatchObject({ line: 6, reason: expect.stringMatching(/^steps\.0\.retries\.max: /) });
    const unknownKey = parsePlaybookText('id: x\nname: X\ntrigerr: {}\nsteps: [{id: a, action: wait}]\n', 'f.yaml', 't', ACTIONS);
    expect(unknownKey.errors[0].reason).toMatch(/Unrecognized key.*trigerr/);
    const syntax = parsePlaybookText('id: x\nname: [unclosed\nsteps: []\n', 'f.yaml', 't', ACTIONS);
    expect(syntax.errors[0]).toMatchObject({ reason: expect.stringMatching(/^yaml: /) });
    expect(syntax.errors[0].line).toBeGreaterThanOrEqual(2);
  });

  test('a folder: several documents per file, duplicates rejected, good playbooks kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'socnoc-pb-load-'));
    try {
      writeFileSync(join(dir, 'a.yaml'), 'id: one\nname: One\nsteps: [{id: s, action: wait, with: {duration: 1s}}]\n---\nid: two\nname: Two\nsteps: [{id: s, action: wait, with: {duration: 1s}}]\n');
      writeFileSync(join(dir, 'b.yml'), 'id: one\nname: Again\nsteps: [{id: s, action: wait}]\n');
      writeFileSync(join(dir, 'notes.txt'), 'ignored');
      const loaded = loadPlaybooks([{ path: dir, source: dir }], ACTIONS);
      expect(loaded.files).toBe(2);
      expect(loaded.playbooks.map((p) => [p.def.id, p.line])).toEqual([
        ['one', 1],
        ['two', 5],
      ]);
      expect(loaded.errors).toEqual([expect.objectContaining({ file: join(dir, 'b.yml'), line: 1, reason: `duplicate playbook id "one" (first defined in ${join(dir, 'a.yaml')})` })]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
