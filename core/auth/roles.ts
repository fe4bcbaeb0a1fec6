/**
 * Roles and what each may do. The table below is the single place a reader looks to learn who can
 * do what; capabilities that add permissions call `grantPermission` when their module loads.
 * `admin` holds every permission, including ones defined later.
 */

export const ROLES = ['admin', 'soc_analyst', 'noc_operator', 'auditor', 'agency_admin'] as const;
export type Role = (typeof ROLES)[number];

/** `resource:action`, e.g. `events:read`. */
export type Permission = `${string}:${string}`;

type GrantableRole = Exclude<Role, 'admin'>;

const ALL_BUT_ADMIN: GrantableRole[] = ['soc_analyst', 'noc_operator', 'auditor', 'agency_admin'];

/**
 * Who holds each permission besides admin. Non-admin users are also limited to their agencies'
 * data by the principal's agency list, so "read" here means "read within my agencies".
 */
const BUILT_IN: Record<Permission, GrantableRole[]> = {
  'events:read': ALL_BUT_ADMIN,
  'alerts:read': ALL_BUT_ADMIN,
  'alerts:manage': ['soc_analyst', 'noc_operator', 'agency_admin'],
  'incidents:read': ['soc_analyst', 'auditor', 'agency_admin'],
  'incidents:manage': ['soc_analyst'],
  'playbooks:read': ['soc_analyst', 'auditor'],
  'playbooks:run': ['soc_analyst'],
  'devices:read': ['noc_operator', 'soc_analyst', 'auditor'],
  'devices:manage': ['noc_operator'],
  'flows:read': ['noc_operator', 'soc_analyst', 'auditor'],
  'assets:read': ALL_BUT_ADMIN,
  'assets:manage': ['agency_admin'],
  'agents:manage': ['agency_admin'],
  'reports:read': ['auditor', 'soc_analyst'],
  'audit:read': ['auditor'],
  /** Prometheus scrapes with a token of a user holding this. */
  'metrics:read': ['noc_operator'],
  /** Create, list and revoke one's own API tokens and sessions. */
  'tokens:own': ALL_BUT_ADMIN,
  /** Other users' tokens. */
  'tokens:manage': [],
  'users:manage': [],
};

const table = new Map<Permission, Set<Role>>();
for (const [permission, roles] of Object.entries(BUILT_IN) as Array<[Permission, GrantableRole[]]>) {
  table.set(permission, new Set<Role>(['admin', ...roles]));
}

const PERMISSION_FORMAT = /^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*$/;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Defines a permission (if new) and grants it to roles; admin always holds it. Idempotent. */
export function grantPermission(permission: Permission, roles: readonly GrantableRole[]): void {
  if (!PERMISSION_FORMAT.test(permission)) throw new Error(`permission "${permission}": expected resource:action in lower case`);
  let holders = table.get(permission);
  if (!holders) {
    holders = new Set<Role>(['admin']);
    table.set(permission, holders);
  }
  for (const role of roles) holders.add(role);
}

export function isKnownPermission(permission: string): permission is Permission {
  return table.has(permission as Permission);
}

export function hasPermission(role: Role, permission: Permission): boolean {
  if (role === 'admin') return true;
  return table.get(permission)?.has(role) ?? false;
}

/** Sorted, for /auth/me (the console hides what the user cannot use). */
export function permissionsOf(role: Role): Permission[] {
  const out: Permission[] = [];
  for (const [permission, holders] of table) if (holders.has(role)) out.push(permission);
  return out.sort();
}

/** The whole table, for documentation and tests. */
export function permissionTable(): Record<Permission, Role[]> {
  const out: Record<Permission, Role[]> = {};
  for (const [permission, holders] of table) out[permission] = [...holders];
  return out;
}
