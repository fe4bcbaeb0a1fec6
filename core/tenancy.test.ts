import { AgencyResolver } from './tenancy';

describe('AgencyResolver', () => {
  const resolver = new AgencyResolver([
    { id: 'so-tttt', name: 'Sở Thông tin và Truyền thông', cidrs: ['10.10.0.0/16', '2001:db8:10::/48'] },
    { id: 'q1', name: 'UBND Quận 1', cidrs: ['10.10.5.0/24', '192.0.2.7'] },
  ]);

  it('picks the most specific CIDR', () => {
    expect(resolver.resolve('10.10.5.9').id).toBe('q1');
    expect(resolver.resolve('10.10.6.9').id).toBe('so-tttt');
    expect(resolver.resolve('192.0.2.7').id).toBe('q1');
    expect(resolver.resolve('192.0.2.8').id).toBe('unassigned');
  });

  it('handles IPv6 and IPv4-mapped addresses', () => {
    expect(resolver.resolve('2001:db8:10:ffff::1').id).toBe('so-tttt');
    expect(resolver.resolve('2001:db8:11::1').id).toBe('unassigned');
    expect(resolver.resolve('::ffff:10.10.5.1').id).toBe('q1');
  });

  it('falls back to the listener agency, then unassigned', () => {
    expect(resolver.resolve('172.16.0.1', 'q1').id).toBe('q1');
    expect(resolver.resolve('172.16.0.1', 'nope').id).toBe('unassigned');
    expect(resolver.resolve('10.10.5.1', 'so-tttt').id).toBe('q1');
  });

  it('rejects bad CIDRs and overlapping claims with the agency named', () => {
    expect(() => new AgencyResolver([{ id: 'x', name: 'X', cidrs: ['10.0.0.0/33'] }])).toThrow(/agency x: invalid CIDR "10.0.0.0\/33"/);
    expect(() => new AgencyResolver([{ id: 'x', name: 'X', cidrs: ['banana'] }])).toThrow(/agency x/);
    expect(
      () =>
        new AgencyResolver([
          { id: 'a', name: 'A', cidrs: ['10.0.0.0/8'] },
          { id: 'b', name: 'B', cidrs: ['10.1.2.3/8'] },
        ]),
    ).toThrow(/a and b both claim/);
  });
});
