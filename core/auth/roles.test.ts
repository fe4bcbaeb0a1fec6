import { grantPermission, hasPermission, isKnownPermission, permissionsOf, permissionTable, ROLES } from './roles';

describe('permission table', () => {
  it('gives admin everything, including permissions defined later', () => {
    expect(hasPermission('admin', 'users:manage')).toBe(true);
    grantPermission('widgets:read', ['auditor']);
    expect(hasPermission('admin', 'widgets:read')).toBe(true);
    expect(hasPermission('auditor', 'widgets:read')).toBe(true);
    expect(hasPermission('soc_analyst', 'widgets:read')).toBe(false);
  });

  it('keeps user and token administration with admin only', () => {
    for (const role of ROLES) {
      expect(hasPermission(role, 'users:manage')).toBe(role === 'admin');
      expect(hasPermission(role, 'tokens:manage')).toBe(role === 'admin');
    }
  });

  it('lets every role read events (scoped to its agencies) and manage its own tokens', () => {
    for (const role of ROLES) {
      expect(hasPermission(role, 'events:read')).toBe(true);
      expect(hasPermission(role, 'tokens:own')).toBe(true);
    }
  });

  it('grants metrics to admin and noc_operator only', () => {
    expect(ROLES.filter((r) => hasPermission(r, 'metrics:read'))).toEqual(['admin', 'noc_operator']);
  });

  it('answers false for unknown permissions and rejects malformed ones', () => {
    expect(isKnownPermission('nope:nothing')).toBe(false);
    expect(hasPermission('auditor', 'nope:nothing')).toBe(false);
    expect(() => grantPermission('Bad Permission:x' as `${string}:${string}`, [])).toThrow(/resource:action/);
  });

  it('lists permissions per role from the table', () => {
    const table = permissionTable();
    for (const role of ROLES) {
      const expected = Object.keys(table).filter((p) => table[p as `${string}:${string}`].includes(role)).sort();
      expect(permissionsOf(role)).toEqual(expected);
    }
    expect(permissionsOf('auditor')).toContain('audit:read');
    expect(permissionsOf('auditor')).not.toContain('incidents:manage');
  });
});
