/**
 * Tables of the `auth` migration namespace. Users and tokens share one database (tokens reference
 * users, and deleting a user deletes its tokens). Append new migrations; never edit a shipped one.
 */
import { applyMigrations, type SqliteDb } from '../store/sqlite';

const AUTH_MIGRATIONS: readonly string[] = [
  `CREATE TABLE auth_users (
     id INTEGER PRIMARY KEY,
     username TEXT NOT NULL UNIQUE COLLATE NOCASE,
     password_hash TEXT NOT NULL,
     role TEXT NOT NULL,
     agencies TEXT NOT NULL DEFAULT '[]',
     disabled INTEGER NOT NULL DEFAULT 0,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     last_login_at TEXT
   );
   CREATE TABLE auth_tokens (
     id TEXT PRIMARY KEY,
     user_id INTEGER NOT NULL REFERENCES auth_users(id) ON DELETE CASCADE,
     token_hash BLOB NOT NULL UNIQUE,
     kind TEXT NOT NULL CHECK (kind IN ('session', 'api')),
     name TEXT,
     created_at INTEGER NOT NULL,
     expires_at INTEGER,
     last_used_at INTEGER,
     revoked_at INTEGER
   );
   CREATE INDEX auth_tokens_user ON auth_tokens (user_id);`,
  // The console language chosen by the user; NULL until they choose (the browser's language applies).
  `ALTER TABLE auth_users ADD COLUMN locale TEXT CHECK (locale IN ('vi', 'en'));`,
];

export function applyAuthMigrations(db: SqliteDb): void {
  applyMigrations(db, 'auth', AUTH_MIGRATIONS);
}
