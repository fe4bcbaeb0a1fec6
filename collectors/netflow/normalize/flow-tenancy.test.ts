import { AgencyResolver } from '../../../core/tenancy';
import { FlowTenancy } from './flow-tenancy';

const agencies = new AgencyResolver([
  { id: 'so-yte', name: 'Sở Y tế', cidrs: ['10.1.0.0/16', '10.1.5.0/24'] },
  { id: 'so-gtvt', name: 'Sở Giao thông Vận tải', cidrs: ['10.1.5.128/25', '2001:db8:10::/48'] },
]);
const FALLBACK = { id: 'unassigned', name: 'Unassigned' };
const v4 = (ip: string): number => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);

describe('FlowTenancy.classifyV4', () => {
  it('answers as the text path does, for agency CIDRs, nested prefixes, internal networks and public addresses, across cache collisions', () => {
    const byNumber = new FlowTenancy(agencies, ['10.0.0.0/8', '192.168.0.0/16']);
    const byText = new FlowTenancy(agencies, ['10.0.0.0/8', '192.168.0.0/16']);
    const addresses: string[] = ['10.1.5.200', '10.1.5.7', '10.1.9.9', '10.200.0.1', '192.168.1.1', '198.51.100.7', '255.255.255.255', '0.0.0.0'];
    // Enough addresses to collide in the 2^18-slot table.
    for (let i = 0; i < 300_000; i++) addresses.push(`${10 + (i % 3) * 90}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    for (let i = 0; i + 1 < addresses.length; i += 1) {
      const src = addresses[i];
      const dst = addresses[(i * 7919) % addresses.length];
      // Every other flow without text, as records decoded with lazyV4Text come.
      if (i % 2 === 0) byNumber.classifyV4(src, v4(src), dst, v4(dst), FALLBACK);
      else byNumber.classifyV4('', v4(src), '', v4(dst), FALLBACK);
      byText.classify(src, dst, FALLBACK);
      if (byNumber.agency.id !== byText.agency.id || byNumber.direction !== byText.direction || byNumber.destinationAgency?.id !== byText.destinationAgency?.id) {
        throw new Error(`${src} -> ${dst}: ${byNumber.agency.id}/${byNumber.direction} by number, ${byText.agency.id}/${byText.direction} by text`);
      }
    }
    byNumber.classifyV4('10.1.5.200', v4('10.1.5.200'), '198.51.100.7', v4('198.51.100.7'), FALLBACK);
    expect([byNumber.agency.id, byNumber.direction]).toEqual(['so-gtvt', 'outbound']);
    byNumber.classifyV4('198.51.100.7', v4('198.51.100.7'), '10.1.5.7', v4('10.1.5.7'), FALLBACK);
    expect([byNumber.agency.id, byNumber.direction]).toEqual(['so-yte', 'inbound']);
  });

  it('falls back to the text path for IPv6 and absent addresses', () => {
    const t = new FlowTenancy(agencies, ['fc00::/7']);
    t.classifyV4('2001:db8:10::5', -1, '2001:db8:99::1', -1, FALLBACK);
    expect([t.agency.id, t.direction]).toEqual(['so-gtvt', 'outbound']);
    t.classifyV4('', -1, '', -1, FALLBACK);
    expect([t.agency.id, t.direction]).toEqual(['unassigned', 'unknown']);
    // An IPv4 side without text (lazyV4Text) beside an absent one: classified by its number's text.
    const agencyV4 = new FlowTenancy(agencies, []);
    agencyV4.classifyV4('', v4('10.1.5.200'), '', -1, FALLBACK);
    expect(agencyV4.agency.id).toBe('so-gtvt');
  });
});
