import { parseSigmaText } from '../sigma';
import { alertDedupKey, entityGroup, groupKeyOf } from './dedup';
import { attackMappingsOf, complianceMappingsOf, ruleAlertInfo } from './rule-info';

const RULE_YAML = `title: Cisco ASA configuration written to startup
id: 0d0b6a3e-4a2f-4c51-8d7e-3f2a1b9c7e10
status: experimental
description: An administrator saved the running configuration of a Cisco ASA.
logsource:
  product: cisco
  service: asa
detection:
  keywords:
    - 'executed the ''write memory'' command'
  condition: keywords
level: medium
tags:
  - attack.persistence
  - attack.defense_evasion
  - attack.t1562.004
  - attack.g0007
  - attack.s0002
  - cve.2024-20353
socnoc:
  nist_csf: [PR.PS-01, DE.CM-09]
  iso27001: [A.8.9, A.8.32]
  decree85: [TCVN11930-8.1.4]
  tcvn14423: 5.3.2
  dedup_by: [observer.hostname, user.name]
  note: { free: form }
`;

describe('what an alert inherits from its rule', () => {
  it('reads ATT&CK tags and the socnoc compliance block from a parsed Sigma rule', () => {
    const { documents, errors } = parseSigmaText(RULE_YAML, 'asa_write_memory.yml');
    expect(errors).toEqual([]);
    const info = ruleAlertInfo(documents[0], 'socnoc');
    expect(info.rule).toEqual({
      id: '0d0b6a3e-4a2f-4c51-8d7e-3f2a1b9c7e10',
      name: 'Cisco ASA configuration written to startup',
      tags: ['attack.persistence', 'attack.defense_evasion', 'attack.t1562.004', 'attack.g0007', 'attack.s0002', 'cve.2024-20353'],
      level: 'medium',
      ruleset: 'socnoc',
    });
    expect(info.mappings).toEqual({
      attack: { techniques: ['T1562.004'], tactics: ['persistence', 'defense-evasion'] },
      compliance: { nist_csf: ['PR.PS-01', 'DE.CM-09'], iso27001: ['A.8.9', 'A.8.32'], decree85: ['TCVN11930-8.1.4'], tcvn14423: ['5.3.2'] },
    });
    expect(info.dedupBy).toEqual(['observer.hostname', 'user.name']);
  });

  it('lists the three frameworks even when the rule maps none, and defaults the level to medium', () => {
    expect(complianceMappingsOf({})).toEqual({ nist_csf: [], iso27001: [], decree85: [] });
    expect(complianceMappingsOf({ socnoc: 'not a block' })).toEqual({ nist_csf: [], iso27001: [], decree85: [] });
    const info = ruleAlertInfo({ title: 'No id, no level', tags: [], raw: {} }, 'custom');
    expect(info.rule.id).toBe('No id, no level');
    expect(info.rule.level).toBe('medium');
    expect(info.dedupBy).toBeUndefined();
  });

  it('recognises sub-techniques, upper-case tags and duplicates', () => {
    expect(attackMappingsOf(['attack.T1110', 'attack.t1110.003', 'attack.t1110', 'attack.credential-access', 'attack.credential_access'])).toEqual({
      techniques: ['T1110', 'T1110.003'],
      tactics: ['credential-access'],
    });
  });
});

describe('dedup keys', () => {
  const event = { source: { ip: '203.0.113.45' }, user: { name: 'root' }, host: { name: 'hn-web01' }, observer: { ip: ['10.10.0.1', '10.10.0.2'] } };

  it('takes the first present default field, or every field a rule names', () => {
    expect(entityGroup(event, ['source.ip', 'user.name', 'host.name'], false)).toEqual({ 'source.ip': '203.0.113.45' });
    expect(entityGroup({ user: { name: 'root' } }, ['source.ip', 'user.name'], false)).toEqual({ 'user.name': 'root' });
    expect(entityGroup(event, ['user.name', 'host.name', 'process.name'], true)).toEqual({ 'user.name': 'root', 'host.name': 'hn-web01' });
    expect(entityGroup(event, ['observer.ip'], true)).toEqual({ 'observer.ip': '10.10.0.1' });
    expect(entityGroup({ source: { ip: '' } }, ['source.ip'], false)).toEqual({});
  });

  it('sorts group fields and quotes values so distinct groups never share a key', () => {
    expect(groupKeyOf({ 'user.name': 'root', 'source.ip': '203.0.113.45' })).toBe('source.ip="203.0.113.45" user.name="root"');
    expect(groupKeyOf({})).toBe('');
    expect(groupKeyOf({ a: 'x" b="y' })).not.toBe(groupKeyOf({ a: 'x', b: 'y' }));
    expect(alertDedupKey('r', 'org-a', 'k')).not.toBe(alertDedupKey('r', 'org-b', 'k'));
    expect(alertDedupKey('r', 'org-a', 'k')).toBe(alertDedupKey('r', 'org-a', 'k'));
  });
});
