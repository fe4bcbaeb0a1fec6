import { attackTags, coverageMatrix } from './attack';
import { andQuery, agencyQuery, quoteValue, term } from './query';

describe('ATT&CK tags', () => {
  it('reads technique ids and tactic slugs in both Sigma spellings', () => {
    expect(attackTags(['attack.credential_access', 'attack.t1110.001', 'attack.T1078', 'attack.lateral-movement', 'attack.g0007', 'cve.2021-44228', 'attack.s0002'])).toEqual({
      techniques: ['T1110.001', 'T1078'],
      tactics: ['credential-access', 'lateral-movement'],
    });
  });

  it('puts each technique under its rules\' tactics, counts fired matches, and skips disabled rules', () => {
    const m = coverageMatrix({
      rules: [
        { title: 'SSH brute force', tags: ['attack.credential-access', 'attack.t1110.001'], enabled: true },
        { title: 'Root login after failures', tags: ['attack.initial-access', 'attack.privilege-escalation', 'attack.t1078'], enabled: true },
        { title: 'Disabled scan rule', tags: ['attack.discovery', 'attack.t1046'], enabled: false },
        { title: 'Untagged tactic', tags: ['attack.t1595'], enabled: true },
      ],
      alerts: [
        { techniques: ['T1110.001'], tactics: ['credential-access'], count: 12 },
        { techniques: ['T1110.001'], tactics: ['credential_access'], count: 3 },
        { techniques: ['T1046'], tactics: ['discovery'], count: 1 },
      ],
    });
    expect(m.get('credential-access')).toEqual([{ technique: 'T1110.001', rules: ['SSH brute force'], fired: 15 }]);
    expect(m.get('initial-access')).toEqual([{ technique: 'T1078', rules: ['Root login after failures'], fired: 0 }]);
    expect(m.get('privilege-escalation')?.map((c) => c.technique)).toEqual(['T1078']);
    // Fired although no enabled rule covers it any more: shown, with no rules.
    expect(m.get('discovery')).toEqual([{ technique: 'T1046', rules: [], fired: 1 }]);
    expect(m.get('')).toEqual([{ technique: 'T1595', rules: ['Untagged tactic'], fired: 0 }]);
  });
});

describe('query building', () => {
  it('quotes values that are not plain words and escapes quotes and backslashes', () => {
    expect(quoteValue('10.1.2.3')).toBe('10.1.2.3');
    expect(quoteValue('fe80::1')).toBe('fe80::1');
    expect(quoteValue('UBND Quận 1')).toBe('"UBND Quận 1"');
    expect(quoteValue('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteValue('or')).toBe('"or"');
    expect(quoteValue('adm*')).toBe('"adm*"');
    expect(term('user.name', 'Nguyễn Văn A')).toBe('user.name:"Nguyễn Văn A"');
  });

  it('joins clauses with and, parenthesised, skipping empty ones', () => {
    expect(andQuery('a or b', '', agencyQuery('ubnd-q1'))).toBe('(a or b) and (organization.id:ubnd-q1)');
    expect(andQuery('', agencyQuery(''))).toBe('');
    expect(andQuery('x:1')).toBe('x:1');
  });
});
