import { parseQuery, QuerySyntaxError } from './parse';
import type { QueryNode } from './ast';

function term(field: string, value: string, extra: Partial<{ wildcard: boolean; phrase: boolean }> = {}): QueryNode {
  return { kind: 'term', field, value, wildcard: extra.wildcard ?? false, phrase: extra.phrase ?? false };
}
function text(value: string, phrase = false): QueryNode {
  return { kind: 'text', value, phrase };
}

function syntaxError(query: string): QuerySyntaxError {
  try {
    parseQuery(query);
  } catch (err) {
    if (err instanceof QuerySyntaxError) return err;
    throw new Error(`parseQuery(${JSON.stringify(query)}) threw a non-syntax error: ${String(err)}`, { cause: err });
  }
  throw new Error(`parseQuery(${JSON.stringify(query)}) did not throw`);
}

describe('parseQuery', () => {
  test('empty and blank queries match everything', () => {
    expect(parseQuery('')).toBeUndefined();
    expect(parseQuery('   \t\n ')).toBeUndefined();
  });

  test('field:value terms, IPs and dotted values', () => {
    expect(parseQuery('source.ip:10.1.2.3')).toEqual(term('source.ip', '10.1.2.3'));
    expect(parseQuery('@timestamp:2026-11-27T01:04:05Z')).toEqual(term('@timestamp', '2026-11-27T01:04:05Z'));
    expect(parseQuery('event.outcome : failure')).toEqual(term('event.outcome', 'failure'));
  });

  test('values keep colons (IPv6, URLs, MACs)', () => {
    expect(parseQuery('source.ip:fe80::1')).toEqual(term('source.ip', 'fe80::1'));
    expect(parseQuery('url.original:https://portal.gov.vn/login?next=/')).toEqual(term('url.original', 'https://portal.gov.vn/login?next=/', { wildcard: true }));
    expect(parseQuery('source.mac:00:1a:2b:3c:4d:5e')).toEqual(term('source.mac', '00:1a:2b:3c:4d:5e'));
  });

  test('quoted values are phrases with \\" and \\\\ escapes; other backslashes stay', () => {
    expect(parseQuery('host.name:"web 01"')).toEqual(term('host.name', 'web 01', { phrase: true }));
    expect(parseQuery('message:"say \\"hi\\" \\\\ now"')).toEqual(term('message', 'say "hi" \\ now', { phrase: true }));
    expect(parseQuery('process.executable:"C:\\Windows\\System32\\cmd.exe"')).toEqual(
      term('process.executable', 'C:\\Windows\\System32\\cmd.exe', { phrase: true }),
    );
    expect(parseQuery('user.name:"adm*"')).toEqual(term('user.name', 'adm*', { phrase: true }));
  });

  test('unquoted wildcards and escapes', () => {
    expect(parseQuery('user.name:adm*')).toEqual(term('user.name', 'adm*', { wildcard: true }));
    expect(parseQuery('host.name:web-0?')).toEqual(term('host.name', 'web-0?', { wildcard: true }));
    // An escaped star is literal: no wildcard at all, so the value is plain text.
    expect(parseQuery('rule.name:a\\*b')).toEqual(term('rule.name', 'a*b'));
    // Mixed: the escaped star stays escaped in the pattern.
    expect(parseQuery('rule.name:a\\*b*')).toEqual(term('rule.name', 'a\\*b*', { wildcard: true }));
    expect(parseQuery('file.name:my\\ file\\(1\\).txt')).toEqual(term('file.name', 'my file(1).txt'));
  });

  test('field:* is an exists query; a quoted star is a literal', () => {
    expect(parseQuery('user.name:*')).toEqual({ kind: 'exists', field: 'user.name' });
    expect(parseQuery('user.name:"*"')).toEqual(term('user.name', '*', { phrase: true }));
  });

  test('ranges with all operators, quoted and unquoted', () => {
    expect(parseQuery('destination.port >= 1024')).toEqual({ kind: 'range', field: 'destination.port', op: '>=', value: '1024' });
    expect(parseQuery('destination.port>1024')).toEqual({ kind: 'range', field: 'destination.port', op: '>', value: '1024' });
    expect(parseQuery('event.severity <= 3')).toEqual({ kind: 'range', field: 'event.severity', op: '<=', value: '3' });
    expect(parseQuery('@timestamp < "2026-11-27T00:00:00Z"')).toEqual({ kind: 'range', field: '@timestamp', op: '<', value: '2026-11-27T00:00:00Z' });
  });

  test('free text words and phrases', () => {
    expect(parseQuery('sshd')).toEqual(text('sshd'));
    expect(parseQuery('"Failed password"')).toEqual(text('Failed password', true));
    expect(parseQuery('10.1.2.3')).toEqual(text('10.1.2.3'));
    expect(parseQuery('12:30')).toEqual(text('12:30'));
    expect(parseQuery('pass*')).toEqual(text('pass*'));
    expect(parseQuery('Failed password')).toEqual({ kind: 'and', children: [text('Failed'), text('password')] });
  });

  test('keywords are case-insensitive; adjacency means and', () => {
    expect(parseQuery('a:1 AND b:2 Or c:3')).toEqual({
      kind: 'or',
      children: [{ kind: 'and', children: [term('a', '1'), term('b', '2')] }, term('c', '3')],
    });
    expect(parseQuery('a:1 b:2')).toEqual({ kind: 'and', children: [term('a', '1'), term('b', '2')] });
    expect(parseQuery('NOT a:1')).toEqual({ kind: 'not', child: term('a', '1') });
  });

  test('precedence: not > and > or', () => {
    expect(parseQuery('a:1 or b:2 and not c:3')).toEqual({
      kind: 'or',
      children: [term('a', '1'), { kind: 'and', children: [term('b', '2'), { kind: 'not', child: term('c', '3') }] }],
    });
    expect(parseQuery('not a:1 and b:2')).toEqual({ kind: 'and', children: [{ kind: 'not', child: term('a', '1') }, term('b', '2')] });
    expect(parseQuery('not not a:1')).toEqual({ kind: 'not', child: { kind: 'not', child: term('a', '1') } });
  });

  test('parentheses group and same-kind groups flatten', () => {
    expect(parseQuery('(a:1 or b:2) and c:3')).toEqual({
      kind: 'and',
      children: [{ kind: 'or', children: [term('a', '1'), term('b', '2')] }, term('c', '3')],
    });
    expect(parseQuery('a:1 and (b:2 and c:3)')).toEqual({ kind: 'and', children: [term('a', '1'), term('b', '2'), term('c', '3')] });
    expect(parseQuery('not(a:1)')).toEqual({ kind: 'not', child: term('a', '1') });
    expect(parseQuery('((sshd))')).toEqual(text('sshd'));
  });

  test('value lists expand to terms on the field', () => {
    expect(parseQuery('event.action:(logon-failed or ssh_login)')).toEqual({
      kind: 'or',
      children: [term('event.action', 'logon-failed'), term('event.action', 'ssh_login')],
    });
    expect(parseQuery('tags:(ssh and not "vpn gw")')).toEqual({
      kind: 'and',
      children: [term('tags', 'ssh'), { kind: 'not', child: term('tags', 'vpn gw', { phrase: true }) }],
    });
    expect(parseQuery('user.name:(adm* or (root or "svc backup"))')).toEqual({
      kind: 'or',
      children: [term('user.name', 'adm*', { wildcard: true }), term('user.name', 'root'), term('user.name', 'svc backup', { phrase: true })],
    });
  });

  test('keywords followed by ":" are field names', () => {
    expect(parseQuery('not:x')).toEqual(term('not', 'x'));
    expect(parseQuery('android or orange')).toEqual({ kind: 'or', children: [text('android'), text('orange')] });
  });

  test('a realistic analyst query', () => {
    expect(
      parseQuery('event.dataset:syslog.linux_sshd and event.outcome:failure and not source.ip:(10.0.0.1 or 10.0.0.2) and destination.port >= 22 and "Failed password"'),
    ).toEqual({
      kind: 'and',
      children: [
        term('event.dataset', 'syslog.linux_sshd'),
        term('event.outcome', 'failure'),
        { kind: 'not', child: { kind: 'or', children: [term('source.ip', '10.0.0.1'), term('source.ip', '10.0.0.2')] } },
        { kind: 'range', field: 'destination.port', op: '>=', value: '22' },
        text('Failed password', true),
      ],
    });
  });

  describe('syntax errors name the problem and its position', () => {
    test.each([
      ['source.ip:', 'expected value after "source.ip:"', 10],
      ['source.ip: and x', 'expected value after "source.ip:"', 11],
      ['a:1 and', 'expected a search term', 7],
      ['and a:1', 'expected a search term before "and"', 0],
      ['a:1 or or b:2', 'expected a search term before "or"', 7],
      ['not', 'expected a search term', 3],
      ['(a:1 or b:2', 'expected ")" to close the "(" at offset 0, found end of query', 11],
      ['a:1)', 'unexpected ")" without a matching "("', 3],
      [')', 'unexpected ")" without a matching "("', 0],
      ['()', 'empty parentheses', 0],
      ['host.name:"web', 'unterminated quoted string starting', 10],
      ['"abc', 'unterminated quoted string starting', 0],
      ['destination.port >=', 'expected value after "destination.port >="', 19],
      ['destination.port > = 5', 'unexpected "=" after ">"', 19],
      ['destination.port >= 10*', 'wildcards are not allowed in a range ("destination.port >=")', 20],
      ['user.name:()', 'expected value after "user.name:("', 11],
      ['user.name:(a or)', 'expected value for "user.name"', 15],
      [':x', 'expected a field name before ":"', 0],
      ['>= 5', 'expected a field name before ">"', 0],
      ['foo\\', 'dangling backslash', 3],
    ])('%j', (query, reason, position) => {
      const err = syntaxError(query);
      expect(err.message).toBe(`query: ${reason} at position ${position}`);
      expect(err.position).toBe(position);
    });

    test('deep nesting is rejected, not a stack overflow', () => {
      expect(syntaxError('('.repeat(10000) + 'a' + ')'.repeat(10000)).message).toMatch(/nesting deeper than 64/);
      expect(syntaxError('not '.repeat(10000) + 'a').message).toMatch(/nesting deeper than 64/);
      expect(parseQuery('('.repeat(60) + 'a' + ')'.repeat(60))).toEqual(text('a'));
    });

    test('a non-string input is a syntax error', () => {
      expect(() => parseQuery(42 as unknown as string)).toThrow(QuerySyntaxError);
    });
  });

  test('garbage never throws anything but QuerySyntaxError', () => {
    const alphabet = ['a', 'b:', 'x.y', ':', '(', ')', '"', '\\', '*', '?', ' ', 'and', 'or', 'not', '>', '>=', '<', '=', '@', '1', '\t', 'é', '\u0000'];
    let seed = 0x2f6b1d3;
    const next = (): number => {
      // xorshift32: deterministic, so a failure reproduces.
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x100000000;
    };
    let parsed = 0;
    for (let i = 0; i < 5000; i++) {
      let q = '';
      const n = 1 + Math.floor(next() * 12);
      for (let j = 0; j < n; j++) q += alphabet[Math.floor(next() * alphabet.length)];
      try {
        parseQuery(q);
        parsed++;
      } catch (err) {
        if (!(err instanceof QuerySyntaxError)) throw new Error(`query ${JSON.stringify(q)} threw ${String(err)}`, { cause: err });
        expect(err.position).toBeGreaterThanOrEqual(0);
        expect(err.position).toBeLessThanOrEqual(q.length);
      }
    }
    expect(parsed).toBeGreaterThan(100);
  });
});
