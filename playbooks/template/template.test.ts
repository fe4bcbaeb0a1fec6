import { sshAlert } from '../testdata/fixtures';
import { alertEntities } from '../scope';
import { evaluate } from './evaluate';
import { ExpressionError, parseExpression } from './parse';
import { compileCondition, compileTemplate, compileValue, renderTemplate, renderText, renderValue, testCondition } from './template';

const alert = sshAlert();
const scope = {
  alert,
  entities: alertEntities(alert),
  steps: { lookup: { output: { country: 'VN', list: ['a', 'b'] } }, 'geo-ip': { output: { country_iso_code: 'NL' } } },
  vars: { empty: '', zero: 0 },
  item: '198.51.100.30',
};

const text = (t: string): string => renderText(compileTemplate(t), scope);
const cond = (c: string): boolean => testCondition(compileCondition(c), scope);

describe('templates', () => {
  test('paths into the alert and step outputs', () => {
    expect(text('{{ alert.rule.name }}')).toBe('SSH Login After Repeated Failures From the Same Address');
    expect(text('Country: {{ steps.lookup.output.country }}!')).toBe('Country: VN!');
    expect(text("{{ alert.group['source.ip'] }}")).toBe('198.51.100.30');
    expect(text('{{ alert.events[1].message }}')).toBe('Accepted password for root from 198.51.100.30 port 55100 ssh2');
    expect(text('{{ alert.events[-1].source.port }}')).toBe('55100');
    expect(text("{{ steps['geo-ip'].output.country_iso_code }} {{ steps.geo-ip.output.country_iso_code }}")).toBe('NL NL');
  });

  test('filters: join, default, upper, length, first, pluck, unique, truncate, replace', () => {
    expect(text('{{ alert.rule.tags | join(", ") }}')).toBe('attack.credential-access, attack.initial-access, attack.t1110, attack.t1078');
    expect(text('{{ alert.nothing | default("x") }}')).toBe('x');
    expect(text('{{ vars.empty | default("fallback") }}')).toBe('fallback');
    expect(text('{{ alert.severity | upper }}')).toBe('HIGH');
    expect(text('{{ alert.events | length }}')).toBe('2');
    expect(text('{{ alert.events | pluck("source") | pluck("ip") | unique | join }}')).toBe('198.51.100.30');
    expect(text('{{ alert.rule.name | truncate(9) }}')).toBe('SSH Logi…');
    expect(text('{{ "a.b.c" | replace(".", "-") }}')).toBe('a-b-c');
    expect(text('{{ (entities.users + entities.hosts) | join("/") }}')).toBe('root/web01');
    // As in Jinja, a filter binds tighter than +.
    expect(text('{{ entities.users + entities.hosts | join("/") }}')).toBe('rootweb01');
  });

  test('a lone expression keeps its type; mixed text becomes a string', () => {
    expect(renderTemplate(compileTemplate('{{ entities.source_ips }}'), scope)).toEqual(['198.51.100.30']);
    expect(renderTemplate(compileTemplate('{{ alert.count }}'), scope)).toBe(1);
    expect(renderTemplate(compileTemplate('n={{ alert.count }}'), scope)).toBe('n=1');
    expect(renderValue(compileValue({ to: '{{ entities.users }}', n: 3, nested: ['{{ item }}'] }, () => undefined), scope)).toEqual({ to: ['root'], n: 3, nested: ['198.51.100.30'] });
  });

  test('conditions', () => {
    expect(cond('alert.severity == "high"')).toBe(true);
    expect(cond('{{ alert.severity == "high" }}')).toBe(true);
    expect(cond('alert.count >= 5')).toBe(false);
    expect(cond('"attack.t1110" in alert.rule.tags and not (alert.status != "new")')).toBe(true);
    expect(cond('"root" not in entities.users')).toBe(false);
    expect(cond('alert.severity | severity_rank >= "medium" | severity_rank')).toBe(true);
    expect(cond('"Failed" in alert.events[0].message')).toBe(true);
    expect(cond('steps.missing.output.x or vars.zero')).toBe(false);
    expect(cond('entities.hashes')).toBe(false);
    expect(cond('-1 < 0')).toBe(true);
  });

  test('syntax errors name the position and reason', () => {
    expect(() => parseExpression('alert.rule.')).toThrow(/expected a field name after "\." at 11/);
    expect(() => parseExpression('a == ')).toThrow(/unexpected end of expression/);
    expect(() => parseExpression('"open')).toThrow(/unterminated string/);
    expect(() => compileTemplate('{{ a | nosuchfilter }}')).toThrow(/unknown filter "nosuchfilter"/);
    expect(() => compileTemplate('hello {{ alert.id')).toThrow(/no closing "}}"/);
    expect(() => parseExpression('a; b')).toThrow(/unexpected character ";"/);
  });
});

describe('hostile input', () => {
  test('no prototype access by name or by computed key', () => {
    expect(() => parseExpression('alert.__proto__')).toThrow(ExpressionError);
    expect(() => parseExpression('alert.constructor')).toThrow(/not allowed/);
    expect(() => parseExpression("alert['__proto__']")).toThrow(/not allowed/);
    expect(() => parseExpression('constructor')).toThrow(/not allowed/);
    // A computed key that evaluates to a forbidden name yields nothing.
    const evil = { k: '__proto__', c: 'constructor', obj: {} };
    expect(evaluate(parseExpression('obj[k]'), evil)).toBeUndefined();
    expect(evaluate(parseExpression('obj[c]'), evil)).toBeUndefined();
    expect(evaluate(parseExpression('obj.toString'), evil)).toBeUndefined();
    expect(evaluate(parseExpression('obj.hasOwnProperty'), evil)).toBeUndefined();
  });

  test('functions and class instances in the scope are unreachable; no calls exist', () => {
    const s = { fn: () => 'called', date: new Date(0), buf: Buffer.from('x'), m: new Map([['a', 1]]) };
    expect(evaluate(parseExpression('fn'), s)).toBe(s.fn); // the value, never invoked
    expect(() => parseExpression('fn()')).toThrow(/unexpected "\("/);
    expect(evaluate(parseExpression('date.getTime'), s)).toBeUndefined();
    expect(evaluate(parseExpression('buf.length'), s)).toBeUndefined();
    expect(evaluate(parseExpression('m.size'), s)).toBeUndefined();
    expect(() => parseExpression('process.mainModule.require("child_process")')).toThrow();
  });

  test('template text from an attacker-controlled field is data, not code', () => {
    const payload = { message: '{{ alert.id }} ${process.exit(1)} `rm -rf /`' };
    expect(renderText(compileTemplate('msg: {{ e.message }}'), { e: payload })).toBe('msg: {{ alert.id }} ${process.exit(1)} `rm -rf /`');
  });

  test('resource limits: nesting depth, expression length, string growth', () => {
    expect(() => parseExpression('('.repeat(100) + '1' + ')'.repeat(100))).toThrow(/nested deeper/);
    expect(() => parseExpression('not '.repeat(100) + 'x')).toThrow(/nested deeper/);
    expect(() => parseExpression(`"${'a'.repeat(3000)}"`)).toThrow(/longer than/);
    const big = { list: Array.from({ length: 2000 }, () => 'x'.repeat(1000)) };
    expect(() => renderText(compileTemplate('{{ list | join("") }}'), big)).toThrow(/longer than/);
  });
});
