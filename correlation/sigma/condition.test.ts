/** Condition forms: precedence, parentheses, x of patterns, them, lists, and the errors. */
import { identifierPatternMatches, parseCondition } from './condition';
import { inlineRule, matches } from './testdata/inline';

const det = (condition: string): string =>
  ['a:\n    A: 1', 'b:\n    B: 1', 'c:\n    C: 1', 'sel_x:\n    X: 1', 'sel_y:\n    Y: 1', '_hidden:\n    H: 1', `condition: ${condition}`].join('\n');
const ev = (...present: string[]): Record<string, number> => Object.fromEntries(present.map((f) => [f, 1]));

describe('parseCondition', () => {
  it('binds not tighter than and, and tighter than or', () => {
    expect(parseCondition('a or b and not c')).toEqual({
      type: 'or',
      children: [{ type: 'ref', name: 'a' }, { type: 'and', children: [{ type: 'ref', name: 'b' }, { type: 'not', child: { type: 'ref', name: 'c' } }] }],
    });
  });
  it('reads 1 of / any of / all of with patterns and them', () => {
    expect(parseCondition('1 of sel* and all of them')).toEqual({
      type: 'and',
      children: [{ type: 'of', quantifier: 'one', pattern: 'sel*' }, { type: 'of', quantifier: 'all', pattern: null }],
    });
    expect(parseCondition('any of filter_*')).toEqual({ type: 'of', quantifier: 'one', pattern: 'filter_*' });
  });
  it.each([
    ['selection | count() > 5', /aggregation .* Sigma 1.x/],
    ['(a and b', /expected "\)"/],
    ['a and', /expected a search identifier/],
    ['a b', /unexpected token at column 3/],
    ['2 of sel*', /only "1 of", "any of" and "all of"/],
    ['a near b', /unexpected token/],
    ['', /empty/],
  ])('rejects %j', (text, message) => {
    expect(() => parseCondition(text)).toThrow(message);
  });
  it('matches identifier patterns with * anywhere', () => {
    expect(identifierPatternMatches('sel*', 'selection_1')).toBe(true);
    expect(identifierPatternMatches('*_main_*', 'filter_main_x')).toBe(true);
    expect(identifierPatternMatches('sel*x', 'selection')).toBe(false);
    expect(identifierPatternMatches('a', 'ab')).toBe(false);
  });
});

describe('conditions on events', () => {
  it.each<[string, string[], boolean]>([
    ['a and b', ['A', 'B'], true],
    ['a and b', ['A'], false],
    ['a or b and c', ['A'], true],
    ['a or b and c', ['B'], false],
    ['(a or b) and c', ['A'], false],
    ['(a or b) and c', ['B', 'C'], true],
    ['not a', [], true],
    ['not a and b', ['B'], true],
    ['not (a or b)', ['B'], false],
    ['1 of sel_*', ['Y'], true],
    ['all of sel_*', ['Y'], false],
    ['all of sel_*', ['X', 'Y'], true],
    ['1 of them', ['H'], false],
    ['1 of them', ['C'], true],
    ['all of them', ['A', 'B', 'C', 'X', 'Y'], true],
    ['1 of _hid*', ['H'], true],
    ['a and not 1 of sel_*', ['A', 'X'], false],
  ])('%s with %j → %s', (condition, fields, expected) => {
    expect(matches(det(condition), ev(...fields))).toBe(expected);
  });

  it('ORs a list of conditions', () => {
    const d = 'a:\n    A: 1\nb:\n    B: 1\ncondition:\n    - a\n    - b';
    expect(matches(d, ev('B'))).toBe(true);
    expect(matches(d, ev('C'))).toBe(false);
  });

  it('names undefined identifiers and patterns that match nothing', () => {
    expect(() => inlineRule(det('a and missing'))).toThrow(/refers to 'missing'/);
    expect(() => inlineRule(det('1 of filter_*'))).toThrow(/'filter_\*' matches no search identifier/);
  });

  it('reports the line of the condition', () => {
    try {
      inlineRule(det('a and missing'));
      throw new Error('no error');
    } catch (err) {
      // ruleText starts the detection body at line 6; the condition is its 13th line.
      expect((err as Error).message).toMatch(/^inline\.yml:18: /);
    }
  });
});
