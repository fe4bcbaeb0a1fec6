/** How users and tokens appear in API answers: never a hash, never a secret, no internal ids. */
import { z } from 'zod';
import { ROLES } from '../../auth/roles';
import type { TokenMeta } from '../../auth/tokens';
import { LOCALES, type User } from '../../auth/users';

export const userJsonSchema = z.object({
  username: z.string(),
  role: z.enum(ROLES),
  agencies: z.array(z.string()).describe('agencies whose data the user sees; empty for admin, who sees all'),
  disabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastLoginAt: z.string().nullable(),
  locale: z.enum(LOCALES).nullable().describe('console language the user chose; null until chosen'),
});
export type UserJson = z.infer<typeof userJsonSchema>;

export function userJson(user: User): UserJson {
  return {
    username: user.username,
    role: user.role,
    agencies: user.agencies,
    disabled: user.disabled,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
    lastLoginAt: user.lastLoginAt,
    locale: user.locale,
  };
}

export const tokenJsonSchema = z.object({
  id: z.string().describe('public id, used to revoke; not the secret'),
  username: z.string(),
  kind: z.enum(['session', 'api']),
  name: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable().describe('updated at most once a minute'),
});
export type TokenJson = z.infer<typeof tokenJsonSchema>;

export function tokenJson(meta: TokenMeta, username: string): TokenJson {
  return { id: meta.id, username, kind: meta.kind, name: meta.name, createdAt: meta.createdAt, expiresAt: meta.expiresAt, lastUsedAt: meta.lastUsedAt };
}
