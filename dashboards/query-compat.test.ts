/** The console builds query strings (drill-down filters, agency scope); core's parser must read them back exactly. */
import { parseQuery } from '../core/query/parse';
import { agencyQuery, andQuery, term } from './web/src/lib/query';

describe('console query strings parse in core', () => {
  it.each(['10.1.2.3', 'fe80::1', 'UBND Quận 1', 'a"b\\c', 'or', 'adm*', 'C:\\Windows\\System32', 'Failed password for root', 'ubnd-q1'])('term value %p round-trips literally', (value) => {
    const node = parseQuery(term('user.name', value));
    expect(node).toMatchObject({ kind: 'term', field: 'user.name', value, wildcard: false });
  });

  it('an agency-scoped query keeps the user query and adds the organization term', () => {
    const node = parseQuery(andQuery('sshd or "Failed password"', agencyQuery('ubnd-q1'), `not ${term('source.ip', '10.0.0.5')}`));
    expect(node?.kind).toBe('and');
    const children = (node as { children: unknown[] }).children;
    expect(children).toHaveLength(3);
    expect(children[0]).toMatchObject({ kind: 'or' });
    expect(children[1]).toMatchObject({ kind: 'term', field: 'organization.id', value: 'ubnd-q1' });
    expect(children[2]).toMatchObject({ kind: 'not', child: { kind: 'term', field: 'source.ip', value: '10.0.0.5' } });
  });
});
