/**
 * Bearer secrets: console sessions and API tokens for scripts and agents. A token is 32 random
 * bytes, base64url, prefixed `snc_` so secret scanners and humans recognise it; only its SHA-256
 * is stored (a fast hash suffices for 256 random bits: there is nothing to brute-force).
 *
 * Sessions expire a fixed time after login (absolute, config.http.sessionTtlMinutes): the
 * cookie's Max-Age then says the truth, and a stolen session cannot be kept alive by use.
 * API tokens never expire unless issued with a ttl; both can be revoked.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SqliteDb } from '../store/sqlite';
import { applyAuthMigrations } from './schema';
import type { User, UserStore } from './users';

export type TokenKind = 'session' | 'api';

export const TOKEN_PREFIX = 'snc_';
/** `snc_` + 43 base64url characters (32 bytes). */
const TOKEN_FORMAT = /^snc_[A-Za-z0-9_-]{43}$/;
/** last_used_at is written at most this often per token, so reads do not turn into writes. */
const LAST_USED_GRANULARITY_MS = 60_000;
const NAME_MAX = 100;

export interface TokenMeta {
  /** Public identifier, safe to show and to use in URLs (not the secret). */
  id: string;
  userId: number;
  kind: TokenKind;
  name: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export interface ResolvedToken {
  user: User;
  token: TokenMeta;
}

export interface IssueOptions {
  kind: TokenKind;
  name?: string;
  /** Sessions default to the store's session ttl; API tokens to no expiry. */
  ttlMs?: number;
}

export interface TokenStoreOptions {
  sessionTtlMs: number;
  /** Clock, replaceable in tests. */
  now?: () => number;
}

interface TokenRow {
  id: string;
  user_id: number;
  kind: TokenKind;
  name: string | null;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function toMeta(row: TokenRow): TokenMeta {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    name: row.name,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: iso(row.expires_at),
    lastUsedAt: iso(row.last_used_at),
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export class TokenStore {
  private readonly sessionTtlMs: number;
  private readonly now: () => number;
  private readonly byHash;
  private readonly byId;
  private readonly touch;

  constructor(
    private readonly db: SqliteDb,
    private readonly users: UserStore,
    options: TokenStoreOptions,
  ) {
    if (!(options.sessionTtlMs > 0)) throw new Error(`token store: sessionTtlMs must be positive, got ${options.sessionTtlMs}`);
    this.sessionTtlMs = options.sessionTtlMs;
    this.now = options.now ?? Date.now;
    applyAuthMigrations(db);
    this.byHash = db.prepare<[Buffer], TokenRow>('SELECT id, user_id, kind, name, created_at, expires_at, last_used_at, revoked_at FROM auth_tokens WHERE token_hash = ?');
    this.byId = db.prepare<[string], TokenRow>('SELECT id, user_id, kind, name, created_at, expires_at, last_used_at, revoked_at FROM auth_tokens WHERE id = ?');
    this.touch = db.prepare<[number, string]>('UPDATE auth_tokens SET last_used_at = ? WHERE id = ?');
  }

  /** Returns the secret; it is not stored and cannot be shown again. */
  issue(userId: number, options: IssueOptions): string {
    return this.issueWithMeta(userId, options).token;
  }

  /** The secret and the stored metadata of a new token. */
  issueWithMeta(userId: number, options: IssueOptions): { token: string; meta: TokenMeta } {
    if (options.kind !== 'session' && options.kind !== 'api') throw new Error(`token kind "${String(options.kind)}": expected session or api`);
    if (!this.users.getById(userId)) throw new Error(`token for user id ${userId}: no such user`);
    const name = options.name?.trim() || null;
    if (name !== null && name.length > NAME_MAX) throw new Error(`token name: at most ${NAME_MAX} characters`);
    const ttlMs = options.ttlMs ?? (options.kind === 'session' ? this.sessionTtlMs : undefined);
    if (ttlMs !== undefined && !(ttlMs > 0)) throw new Error(`token ttl: must be positive, got ${ttlMs}`);
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const row: TokenRow = {
      id: 'tok_' + randomBytes(9).toString('base64url'),
      user_id: userId,
      kind: options.kind,
      name,
      created_at: this.now(),
      expires_at: null,
      last_used_at: null,
      revoked_at: null,
    };
    if (ttlMs !== undefined) row.expires_at = row.created_at + ttlMs;
    this.db
      .prepare('INSERT INTO auth_tokens (id, user_id, token_hash, kind, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(row.id, userId, digest(token), row.kind, row.name, row.created_at, row.expires_at);
    return { token, meta: toMeta(row) };
  }

  /** The owner and metadata of a live token; null when unknown, expired, revoked, or its user is disabled. */
  resolve(token: string): ResolvedToken | null {
    if (!TOKEN_FORMAT.test(token)) return null;
    const row = this.byHash.get(digest(token));
    if (!row || row.revoked_at !== null) return null;
    const now = this.now();
    if (row.expires_at !== null && row.expires_at <= now) return null;
    const user = this.users.getById(row.user_id);
    if (!user || user.disabled) return null;
    if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_GRANULARITY_MS) {
      this.touch.run(now, row.id);
      row.last_used_at = now;
    }
    return { user, token: toMeta(row) };
  }

  /** Metadata of a live (unexpired, unrevoked) token by its public id. */
  get(id: string): TokenMeta | undefined {
    const row = this.byId.get(id);
    if (!row || row.revoked_at !== null) return undefined;
    if (row.expires_at !== null && row.expires_at <= this.now()) return undefined;
    return toMeta(row);
  }

  /** Live tokens and sessions of a user, newest first; metadata only. */
  list(userId: number): TokenMeta[] {
    const rows = this.db
      .prepare<[number, number], TokenRow>(
        'SELECT id, user_id, kind, name, created_at, expires_at, last_used_at, revoked_at FROM auth_tokens WHERE user_id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at DESC, id',
      )
      .all(userId, this.now());
    return rows.map(toMeta);
  }

  /** Returns false when no live token has that id. */
  revoke(id: string): boolean {
    const info = this.db.prepare('UPDATE auth_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(this.now(), id);
    return info.changes > 0;
  }

  /** Revokes every token of a user (of one kind, or all), e.g. after a password change. Returns the count. */
  revokeAllForUser(userId: number, kind?: TokenKind, exceptId?: string): number {
    const info = this.db
      .prepare('UPDATE auth_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND (? IS NULL OR kind = ?) AND (? IS NULL OR id <> ?)')
      .run(this.now(), userId, kind ?? null, kind ?? null, exceptId ?? null, exceptId ?? null);
    return info.changes;
  }

  /** Deletes expired and revoked rows; returns how many. */
  purge(): number {
    return this.db.prepare('DELETE FROM auth_tokens WHERE revoked_at IS NOT NULL OR (expires_at IS NOT NULL AND expires_at <= ?)').run(this.now()).changes;
  }
}
