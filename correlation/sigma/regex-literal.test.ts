/** Required-literal extraction for the regex prefilter: what must be in every match. */
import { regexRequiredLiteral } from './regex-literal';

describe('regexRequiredLiteral', () => {
  it.each<[string, boolean, string | null, boolean?]>([
    ['cmd.{0,5}(?:/c|/r).+powershell', false, 'powershell'],
    ['\\\\Temp\\\\[a-z]+\\.exe', false, '\\Temp\\'],
    ['(?i)IEX \\(New-Object', false, 'iex (new-object', true],
    ['(?i)powershell', false, 'power', true],
    ['abc|def', false, null],
    ['colou?r', false, 'colo'],
    ['ab+cde', false, 'cde'],
    ['\\x41BCD', false, 'BCD'],
    ['\\u0041xyz', false, 'xyz'],
    ['\\p{L}+name', false, 'name'],
    ['\\Qa.b\\Ecd', false, 'cd'],
    ['(.){200,}', false, null],
    ['a{0,3}bc', false, 'bc'],
    ['^\\d+$', false, null],
    ['[abc]{2}', false, null],
    ['ÄBC', true, 'bc', true],
  ])('/%s/ (ignoreCase %s) → %j', (source, ignoreCase, literal, folded = false) => {
    const found = regexRequiredLiteral(source, ignoreCase);
    expect(found === null ? null : found.literal).toBe(literal);
    if (found) expect(found.folded).toBe(folded);
  });
});
