/**
 * Who is calling, resolved once per request: the user, the agencies whose data they may see, and
 * the session or token used. Every data route scopes its queries with `organizationsOf`.
 */
import { hasPermission, type Permission } from './roles';
import type { ResolvedToken, TokenMeta } from './tokens';
import { ALL_AGENCIES, type User } from './users';

export interface Principal {
  user: User;
  /** 'all' for admin and for users given every agency (`*`); otherwise the user's agencies (organization.id values). */
  agencies: string[] | 'all';
  token: TokenMeta;
}

export function principalFor(resolved: ResolvedToken): Principal {
  const { user, token } = resolved;
  const all = user.role === 'admin' || user.agencies.includes(ALL_AGENCIES);
  return { user, token, agencies: all ? 'all' : [...user.agencies] };
}

/** The store filter for a principal: undefined means every agency (EventSearch.organizations). */
export function organizationsOf(principal: Principal): string[] | undefined {
  return principal.agencies === 'all' ? undefined : principal.agencies;
}

export function can(principal: Principal, permission: Permission): boolean {
  return hasPermission(principal.user.role, permission);
}

/** Whether the principal may see data of one agency. */
export function canSeeAgency(principal: Principal, agency: string): boolean {
  return principal.agencies === 'all' || principal.agencies.includes(agency);
}
