import { incidentTitleOf, type TitleLookup } from './incident-title';

const vi = new Map([
  ['SSH Login From a Public Internet Address', 'Đăng nhập SSH từ địa chỉ Internet công cộng'],
  ['Brute Force (SSH)', 'Dò mật khẩu (SSH)'],
]);
const titleOf: TitleLookup = (_id, name) => vi.get(name) ?? name;

describe('incident titles in Vietnamese', () => {
  it('translates the rule title at the start and keeps the entities after it', () => {
    expect(incidentTitleOf('SSH Login From a Public Internet Address (source.ip 198.51.100.23)', titleOf)).toBe('Đăng nhập SSH từ địa chỉ Internet công cộng (source.ip 198.51.100.23)');
    expect(incidentTitleOf('SSH Login From a Public Internet Address', titleOf)).toBe('Đăng nhập SSH từ địa chỉ Internet công cộng');
  });

  it('finds rule titles that contain parentheses themselves, and leaves analysts\' own titles alone', () => {
    expect(incidentTitleOf('Brute Force (SSH) (source.ip 203.0.113.9, user.name root)', titleOf)).toBe('Dò mật khẩu (SSH) (source.ip 203.0.113.9, user.name root)');
    expect(incidentTitleOf('Ransomware at the district office (ward 5)', titleOf)).toBe('Ransomware at the district office (ward 5)');
  });
});
