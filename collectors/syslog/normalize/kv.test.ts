import { parseKeyValues } from './kv';

describe('key=value parser', () => {
  it('reads quoted values with spaces and escaped quotes', () => {
    const kv = parseKeyValues('date=2024-03-04 msg="User \\"bob\\" logged in" empty="" n=5');
    expect(kv).toEqual({ date: '2024-03-04', msg: 'User "bob" logged in', empty: '', n: '5' });
  });

  it('returns undefined when the text does not start with a pair', () => {
    expect(parseKeyValues('hello world')).toBeUndefined();
  });

  it('skips a stray token and goes on', () => {
    expect(parseKeyValues('a=1 stray b=2')).toEqual({ a: '1', b: '2' });
  });

  it('keeps a __proto__ key as data', () => {
    const kv = parseKeyValues('__proto__=x a=1');
    expect(kv?.['__proto__']).toBe('x');
    expect(Object.getPrototypeOf(kv)).toBeNull();
  });

  it('unescapes only quotes and backslashes inside quotes', () => {
    expect(parseKeyValues('user="HCM\\jdoe" path="C:\\\\Temp\\x" msg="say \\"hi\\""')).toEqual({ user: 'HCM\\jdoe', path: 'C:\\Temp\\x', msg: 'say "hi"' });
  });

  it('survives an unterminated quote', () => {
    expect(parseKeyValues('a="open b=2')).toEqual({ a: 'open b=2' });
  });
});
