/** Opens both auth stores over one database, with the session lifetime from config.http. */
import type { SqliteDb } from '../store/sqlite';
import type { ScryptParams } from './password';
import { TokenStore } from './tokens';
import { UserStore } from './users';

export function createAuthStores(db: SqliteDb, options: { sessionTtlMinutes: number; scrypt?: ScryptParams }): { users: UserStore; tokens: TokenStore } {
  const users = new UserStore(db, { scrypt: options.scrypt });
  const tokens = new TokenStore(db, users, { sessionTtlMs: options.sessionTtlMinutes * 60_000 });
  return { users, tokens };
}
