import Database from 'better-sqlite3';
import { EVENT_PARTITION_MIGRATIONS, EVENT_TABLE_LAYOUT, EVENT_TABLE_LAYOUT_LEGACY } from '../store/event-partition';
import { parseQuery } from './parse';
import { compileQueryToSql, ipv4CidrPatterns, jsonPathOf, likePatternOf, parseEpochMs, QueryCompileError, type EventTableLayout } from './to-sql';
import { escapeWildcardLiteral, hasWildcard, splitWildcardPattern, unescapeWildcardPattern } from './wildcard';

/** The store's legacy layout without the JSON-text prefilter, so the SQL shapes below stay readable. */
const PLAIN: EventTableLayout = { ...EVENT_TABLE_LAYOUT_LEGACY, docIsJsonText: false };

function compile(query: string, layout: EventTableLayout = PLAIN): { sql: string; params: Array<string | number> } {
  const node = parseQuery(query);
  if (node === undefined) throw new Error('empty query in test');
  return compileQueryToSql(node, layout);
}

describe('compileQueryToSql', () => {
  test('values only ever travel as parameters', () => {
    const hostile = `x'); DROP TABLE events; --`;
    const { sql, params } = compile(`user.name:"${hostile}" or "${hostile}" or host.name:${hostile.replace(/[ ()]/g, '\\$&')}`);
    expect(sql).not.toContain('DROP');
    expect(sql).not.toContain(`x'`);
    expect(params).toContain(hostile);
    expect(params).toContain(`"${hostile}"`);
  });

  test('field paths are quoted JSON paths, passed as parameters', () => {
    expect(jsonPathOf('@timestamp')).toBe('$."@timestamp"');
    expect(jsonPathOf('source.geo.country_iso_code')).toBe('$."source"."geo"."country_iso_code"');
    const { sql, params } = compile('source.ip:10.1.2.3');
    expect(sql).toBe(`EXISTS (SELECT 1 FROM json_each(events.doc, ?) AS j WHERE j.value = ? COLLATE NOCASE)`);
    expect(params).toEqual(['$."source"."ip"', '10.1.2.3']);
  });

  test('hot columns are used directly', () => {
    expect(compile('organization.id:so-yte')).toEqual({ sql: 'events.org = ? COLLATE NOCASE', params: ['so-yte'] });
    expect(compile('@timestamp >= "2026-11-27T00:00:00+07:00"')).toEqual({ sql: 'events.ts >= ?', params: [Date.UTC(2026, 10, 26, 17)] });
    expect(compile('@timestamp < 1795737600000')).toEqual({ sql: 'events.ts < ?', params: [1795737600000] });
  });

  test('numeric and boolean values also match JSON numbers and booleans', () => {
    expect(compile('destination.port:22').params).toEqual(['$."destination"."port"', 22, '22']);
    expect(compile('destination.port:22').sql).toContain('(j.value = ? OR j.value = ? COLLATE NOCASE)');
    expect(compile('tls.established:TRUE').sql).toContain(`j.type = 'true'`);
    expect(compile('destination.port > 1024').sql).toContain(`j.type IN ('integer', 'real') AND j.value > ?`);
    expect(compile('event.created > "2026-11-27"').sql).toContain(`j.type = 'text' AND j.value > ?`);
  });

  test('wildcards become escaped LIKE patterns', () => {
    expect(likePatternOf(splitWildcardPattern('50%_off*'))).toBe('50\\%\\_off%');
    expect(likePatternOf(splitWildcardPattern('a\\*b?c'))).toBe('a*b_c');
    const { sql, params } = compile('user.name:adm*');
    expect(sql).toContain(`j.value LIKE ? ESCAPE '\\'`);
    expect(params).toEqual(['$."user"."name"', 'adm%']);
  });

  test('free text shares one FTS MATCH per boolean node, after the other parameters', () => {
    const { sql, params } = compile('Failed password and user.name:root');
    expect(sql).toBe(
      `(EXISTS (SELECT 1 FROM json_each(events.doc, ?) AS j WHERE j.value = ? COLLATE NOCASE) AND events.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?))`,
    );
    expect(params).toEqual(['$."user"."name"', 'root', '"Failed" AND "password"']);
    expect(compile('sshd or "Failed password"').params).toEqual(['"sshd" OR "Failed password"']);
  });

  test('FTS strings: quotes doubled, prefix search, message as text', () => {
    expect(compileQueryToSql({ kind: 'text', value: 'say "hi"', phrase: true }, EVENT_TABLE_LAYOUT).params).toEqual(['"say ""hi"""']);
    expect(compile('pass*').params).toEqual(['"pass"*']);
    expect(compile('message:"Failed password"').params).toEqual(['"Failed password"']);
    expect(compile('message:failed').params).toEqual(['"failed"']);
  });

  test('patterns FTS cannot answer scan the message with LIKE', () => {
    expect(compile('*backup*')).toEqual({
      sql: `EXISTS (SELECT 1 FROM json_each(events.doc, ?) AS j WHERE j.value LIKE ? ESCAPE '\\')`,
      params: ['$."message"', '%%backup%%'],
    });
    expect(compile('"--"').params).toEqual(['$."message"', '%--%']);
  });

  test('IPv4 CIDR blocks become address prefixes; quoted they are text', () => {
    expect(ipv4CidrPatterns('10.0.0.0/8')).toEqual(['10.%']);
    expect(ipv4CidrPatterns('10.1.2.0/24')).toEqual(['10.1.2.%']);
    expect(ipv4CidrPatterns('10.1.2.3/32')).toEqual(['10.1.2.3']);
    expect(ipv4CidrPatterns('0.0.0.0/0')).toEqual(['%.%.%.%']);
    expect(ipv4CidrPatterns('192.168.0.0/15')).toEqual(['192.168.%', '192.169.%']);
    expect(ipv4CidrPatterns('10.1.20.7/20')).toEqual(Array.from({ length: 16 }, (_, i) => `10.1.${16 + i}.%`));
    expect(ipv4CidrPatterns('10.1.2.130/30')).toEqual(['10.1.2.128', '10.1.2.129', '10.1.2.130', '10.1.2.131']);
    expect(ipv4CidrPatterns('10.0.0.0/33')).toBeUndefined();
    expect(ipv4CidrPatterns('10.0.0.256/8')).toBeUndefined();
    expect(ipv4CidrPatterns('10.1.2.3')).toBeUndefined();
    expect(compile('source.ip:192.168.0.0/15').params).toEqual(['$."source"."ip"', '192.168.%', '192.169.%']);
    expect(compile('source.ip:"192.168.0.0/15"').params).toEqual(['$."source"."ip"', '192.168.0.0/15']);
  });

  test('on JSON text, terms first reject rows whose text lacks the value', () => {
    expect(compile('user.name:root', EVENT_TABLE_LAYOUT)).toEqual({
      sql: `(events.doc LIKE ? ESCAPE '\\' AND EXISTS (SELECT 1 FROM json_each(events.doc, ?) AS j WHERE j.value = ? COLLATE NOCASE))`,
      params: ['%root%', '$."user"."name"', 'root'],
    });
    expect(compile('file.name:50%_off', EVENT_TABLE_LAYOUT).params[0]).toBe('%50\\%\\_off%');
    expect(compile('user.name:*dmin*', EVENT_TABLE_LAYOUT).params[0]).toBe('%dmin%');
    expect(compile('destination.port:443', EVENT_TABLE_LAYOUT).params[0]).toBe('%443%');
    // Values JSON.stringify escapes, non-canonical numbers and short values get no prefilter.
    for (const query of ['user.name:"a\\"b"', 'user.name:"say \\"hi\\""', 'destination.port:1e3', 'user.name:ab', 'tls.established:true']) {
      expect(compile(query, EVENT_TABLE_LAYOUT).sql.startsWith('(events.doc LIKE')).toBe(false);
    }
  });

  test('not wraps its operand', () => {
    expect(compile('not organization.id:a').sql).toBe('NOT (events.org = ? COLLATE NOCASE)');
  });

  test('a bad @timestamp value is a QueryCompileError naming the value', () => {
    expect(() => compile('@timestamp > yesterday')).toThrow(QueryCompileError);
    expect(() => compile('@timestamp > yesterday')).toThrow('query: "yesterday" is not a date for @timestamp');
    expect(parseEpochMs('2026-11-27T00:00:00Z', '@timestamp')).toBe(Date.UTC(2026, 10, 27));
  });

  test('split fields read their column, or the document where the column is NULL', () => {
    const { sql, params } = compile('event.original:*ASA-6*', EVENT_TABLE_LAYOUT);
    expect(sql).toBe(
      `(coalesce(events.original, events.doc) LIKE ? ESCAPE '\\' AND EXISTS (SELECT 1 FROM json_each(` +
        `CASE WHEN events.original IS NULL THEN events.doc ELSE json_quote(events.original) END, ` +
        `CASE WHEN events.original IS NULL THEN ? ELSE '$' END) AS j WHERE j.value LIKE ? ESCAPE '\\'))`,
    );
    expect(params).toEqual(['%ASA-6%', '$."event"."original"', '%ASA-6%']);
    // Other fields keep the document alone.
    expect(compile('user.name:root', EVENT_TABLE_LAYOUT).sql.startsWith('(events.doc LIKE')).toBe(true);
  });

  test('split-field queries match rows of both layouts in one migrated file', () => {
    const db = new Database(':memory:');
    try {
      db.exec(EVENT_PARTITION_MIGRATIONS[0]);
      // A row written before the second migration: everything in the document.
      const legacyDoc = { message: 'Failed password for root', event: { original: '<38>sshd: Failed password for root' }, user: { name: 'root' } };
      db.prepare('INSERT INTO events (ts, id, org, doc) VALUES (1, ?, ?, ?)').run('e1', 'a', JSON.stringify(legacyDoc));
      db.exec(EVENT_PARTITION_MIGRATIONS[1]);
      const split = db.prepare('INSERT INTO events (ts, id, org, doc, message, original) VALUES (2, ?, ?, ?, ?, ?)');
      split.run('e2', 'a', JSON.stringify({ event: {}, user: { name: 'admin' } }), 'Accepted password for admin', '<38>sshd: Accepted password for admin');
      // A message that is not a string stays in the document of a new row too.
      split.run('e3', 'a', JSON.stringify({ message: ['multi', 'part'], event: {} }), null, null);
      const ids = (query: string): string[] => {
        const { sql, params } = compile(query, EVENT_TABLE_LAYOUT);
        return (db.prepare(`SELECT id FROM events WHERE ${sql} ORDER BY id`).all(params) as Array<{ id: string }>).map((r) => r.id);
      };
      expect(ids('message:*password*')).toEqual(['e1', 'e2']);
      expect(ids('message:*')).toEqual(['e1', 'e2', 'e3']);
      expect(ids('message:?ulti')).toEqual(['e3']);
      expect(ids('event.original:"<38>sshd: Failed password for root"')).toEqual(['e1']);
      expect(ids('event.original:"<38>SSHD: accepted password for admin"')).toEqual(['e2']);
      expect(ids('event.original:*sshd*')).toEqual(['e1', 'e2']);
      expect(ids('not event.original:*Failed*')).toEqual(['e2', 'e3']);
      expect(ids('event.original:* and user.name:admin')).toEqual(['e2']);
    } finally {
      db.close();
    }
  });

  test('compiled SQL runs on the real schema with parameters in the right order', () => {
    const db = new Database(':memory:');
    try {
      for (const migration of EVENT_PARTITION_MIGRATIONS) db.exec(migration);
      const doc = { '@timestamp': '2026-11-27T01:00:00Z', message: 'Failed password for root', user: { name: 'root' }, event: { category: ['authentication'] }, destination: { port: 22 } };
      const info = db.prepare('INSERT INTO events (ts, id, org, doc) VALUES (?, ?, ?, ?)').run(Date.UTC(2026, 10, 27, 1), 'e1', 'so-yte', JSON.stringify(doc));
      db.prepare('INSERT INTO events_fts (rowid, message) VALUES (?, ?)').run(info.lastInsertRowid, doc.message);
      const matches = (query: string): boolean => {
        const { sql, params } = compile(query, EVENT_TABLE_LAYOUT);
        return (db.prepare(`SELECT count(*) AS n FROM events WHERE ${sql}`).get(params) as { n: number }).n === 1;
      };
      expect(matches('user.name:root and failed and destination.port:22 and event.category:authentication')).toBe(true);
      expect(matches('failed and not user.name:admin and organization.id:so-yte')).toBe(true);
      expect(matches('failed and user.name:admin')).toBe(false);
      expect(matches('destination.port >= 22 and destination.port < 23 and @timestamp >= "2026-11-27T00:00:00Z"')).toBe(true);
      expect(matches('user.name:r__t')).toBe(false);
      expect(matches('user.name:r??t')).toBe(true);
      expect(matches('user.name:ROO*')).toBe(true);
      expect(matches('not user.name:Root')).toBe(false);
      expect(matches('destination.port:22.0')).toBe(true);
    } finally {
      db.close();
    }
  });
});

describe('wildcard patterns', () => {
  test('split, detect, escape and unescape', () => {
    expect(splitWildcardPattern('ad*in?\\*x')).toEqual([
      { kind: 'literal', text: 'ad' },
      { kind: 'any' },
      { kind: 'literal', text: 'in' },
      { kind: 'one' },
      { kind: 'literal', text: '*x' },
    ]);
    expect(hasWildcard('a\\*b')).toBe(false);
    expect(hasWildcard('a\\\\*b')).toBe(true);
    const text = 'C:\\tmp\\*?.log';
    expect(unescapeWildcardPattern(escapeWildcardLiteral(text))).toBe(text);
    expect(hasWildcard(escapeWildcardLiteral(text))).toBe(false);
  });
});
