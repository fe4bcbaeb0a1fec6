/**
 * Users of the console and API, in SQLite. Passwords are scrypt hashes with a per-user salt; the
 * store never returns them. Admins see every agency; every other user belongs to one or more.
 */
import type { SqliteDb } from '../store/sqlite';
import { applyAuthMigrations } from './schema';
import { isRole, type Role } from './roles';
import { burnVerificationTime, DEFAULT_SCRYPT, hashPassword, needsRehash, passwordProblem, verifyPasswordHash, type ScryptParams } from './password';

/** Languages of the console. */
export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return value === 'vi' || value === 'en';
}

export interface User {
  id: number;
  username: string;
  role: Role;
  /** Agencies (organization.id values) whose data the user sees; empty for admin, who sees all. */
  agencies: string[];
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
  /** Console language the user chose; null until they choose one. */
  locale: Locale | null;
}

export interface UserChanges {
  role?: Role;
  agencies?: string[];
  disabled?: boolean;
}

export type UserStoreErrorCode = 'invalid' | 'exists' | 'not_found' | 'last_admin';

export class UserStoreError extends Error {
  constructor(
    readonly code: UserStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UserStoreError';
  }
}

/** Letters, digits and `._@-`, starting with a letter or digit, at most 64 characters (an e-mail address fits). */
export const USERNAME_FORMAT = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** Same rule as agency ids in socnoc.yaml. */
const AGENCY_FORMAT = /^[A-Za-z0-9._-]{1,128}$/;
const MAX_AGENCIES = 1000;

interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  role: string;
  agencies: string;
  disabled: number;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
  locale: string | null;
}

function toUser(row: UserRow): User {
  if (!isRole(row.role)) throw new Error(`auth_users row ${row.id}: unknown role "${row.role}"`);
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    agencies: JSON.parse(row.agencies) as string[],
    disabled: row.disabled !== 0,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastLoginAt: row.last_login_at,
    locale: isLocale(row.locale) ? row.locale : null,
  };
}

export function checkUsername(username: string): void {
  if (!USERNAME_FORMAT.test(username)) {
    throw new UserStoreError('invalid', `username "${username.slice(0, 80)}": use 1-64 letters, digits or . _ @ -, starting with a letter or digit`);
  }
}

function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new UserStoreError('invalid', problem);
}

/** Validates and normalizes (dedupes, sorts) an agency list for a role; `*` alone means every agency. */
function normalizeAgencies(role: Role, agencies: readonly string[]): string[] {
  if (role === 'admin') return [];
  if (agencies.includes(ALL_AGENCIES)) {
    // A central SOC or NOC team watches every agency; an agency admin administers one by definition.
    if (role === 'agency_admin') throw new UserStoreError('invalid', 'agency_admin cannot be given every agency ("*"); name its agencies');
    return [ALL_AGENCIES];
  }
  if (agencies.length > MAX_AGENCIES) throw new UserStoreError('invalid', `agencies: at most ${MAX_AGENCIES}`);
  for (const a of agencies) {
    if (!AGENCY_FORMAT.test(a)) throw new UserStoreError('invalid', `agency "${a.slice(0, 80)}": may hold letters, digits, dot, dash and underscore`);
  }
  const unique = [...new Set(agencies)].sort();
  if (unique.length === 0) throw new UserStoreError('invalid', `role ${role} needs at least one agency`);
  return unique;
}

export interface UserStoreOptions {
  /** Lower only in tests; hashes record their parameters, so changing this later is safe. */
  scrypt?: ScryptParams;
}

/** In a user's agency list: every agency, present and future (central SOC/NOC staff, auditors of the whole city). */
export const ALL_AGENCIES = '*';

export class UserStore {
  private readonly scrypt: ScryptParams;
  private readonly byName;
  private readonly byId;
  private readonly all;
  private readonly enabledAdmins;
  private readonly adminCount;

  constructor(
    private readonly db: SqliteDb,
    options: UserStoreOptions = {},
  ) {
    this.scrypt = options.scrypt ?? DEFAULT_SCRYPT;
    applyAuthMigrations(db);
    this.byName = db.prepare<[string], UserRow>('SELECT * FROM auth_users WHERE username = ?');
    this.byId = db.prepare<[number], UserRow>('SELECT * FROM auth_users WHERE id = ?');
    this.all = db.prepare<[], UserRow>('SELECT * FROM auth_users ORDER BY username');
    this.enabledAdmins = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM auth_users WHERE role = 'admin' AND disabled = 0");
    this.adminCount = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM auth_users WHERE role = 'admin'");
  }

  async create(username: string, password: string, role: Role, agencies: readonly string[] = []): Promise<User> {
    checkUsername(username);
    checkPassword(password);
    if (!isRole(role)) throw new UserStoreError('invalid', `role "${String(role)}": expected one of admin, soc_analyst, noc_operator, auditor, agency_admin`);
    const normalized = normalizeAgencies(role, agencies);
    if (this.byName.get(username)) throw new UserStoreError('exists', `user "${username}" already exists`);
    const hash = await hashPassword(password, this.scrypt);
    const now = new Date().toISOString();
    try {
      const info = this.db
        .prepare('INSERT INTO auth_users (username, password_hash, role, agencies, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)')
        .run(username, hash, role, JSON.stringify(normalized), now, now);
      return this.mustGetById(Number(info.lastInsertRowid));
    } catch (err) {
      // Two creations of the same name may race across the await above.
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new UserStoreError('exists', `user "${username}" already exists`);
      throw err;
    }
  }

  /** Case-insensitive lookup. */
  get(username: string): User | undefined {
    const row = this.byName.get(username);
    return row ? toUser(row) : undefined;
  }

  getById(id: number): User | undefined {
    const row = this.byId.get(id);
    return row ? toUser(row) : undefined;
  }

  list(): User[] {
    return this.all.all().map(toUser);
  }

  /** True when at least one admin account exists (enabled or not). */
  hasAdmin(): boolean {
    return (this.adminCount.get()?.n ?? 0) > 0;
  }

  update(username: string, changes: UserChanges): User {
    const current = this.mustGet(username);
    const role = changes.role ?? current.role;
    if (!isRole(role)) throw new UserStoreError('invalid', `role "${String(role)}": expected one of admin, soc_analyst, noc_operator, auditor, agency_admin`);
    const agencies = normalizeAgencies(role, changes.agencies ?? current.agencies);
    const disabled = changes.disabled ?? current.disabled;
    const losesAdmin = current.role === 'admin' && !current.disabled && (role !== 'admin' || disabled);
    const update = this.db.transaction(() => {
      if (losesAdmin && (this.enabledAdmins.get()?.n ?? 0) <= 1) {
        throw new UserStoreError('last_admin', `user "${current.username}" is the last enabled admin; create or enable another admin first`);
      }
      this.db
        .prepare('UPDATE auth_users SET role = ?, agencies = ?, disabled = ?, updated_at = ? WHERE id = ?')
        .run(role, JSON.stringify(agencies), disabled ? 1 : 0, new Date().toISOString(), current.id);
    });
    update();
    return this.mustGetById(current.id);
  }

  async setPassword(username: string, password: string): Promise<void> {
    checkPassword(password);
    const user = this.mustGet(username);
    const hash = await hashPassword(password, this.scrypt);
    this.db.prepare('UPDATE auth_users SET password_hash = ?, updated_at = ? WHERE id = ?').run(hash, new Date().toISOString(), user.id);
  }

  /** Deletes the user and (by foreign key) its sessions and tokens. */
  delete(username: string): void {
    const user = this.mustGet(username);
    this.db.transaction(() => {
      if (user.role === 'admin' && !user.disabled && (this.enabledAdmins.get()?.n ?? 0) <= 1) {
        throw new UserStoreError('last_admin', `user "${user.username}" is the last enabled admin; create or enable another admin first`);
      }
      this.db.prepare('DELETE FROM auth_users WHERE id = ?').run(user.id);
    })();
  }

  /**
   * The user when the password matches and the account is enabled, else null. Unknown users cost
   * the same scrypt work, so timing does not reveal which names exist.
   */
  async verifyPassword(username: string, password: string): Promise<User | null> {
    const row = USERNAME_FORMAT.test(username) && password.length <= 4096 ? this.byName.get(username) : undefined;
    if (!row) {
      await burnVerificationTime(password.slice(0, 4096), this.scrypt);
      return null;
    }
    const ok = await verifyPasswordHash(password, row.password_hash);
    if (!ok || row.disabled !== 0) return null;
    if (needsRehash(row.password_hash, this.scrypt)) {
      const hash = await hashPassword(password, this.scrypt);
      this.db.prepare('UPDATE auth_users SET password_hash = ? WHERE id = ? AND password_hash = ?').run(hash, row.id, row.password_hash);
    }
    return toUser(row);
  }

  /** Sets the user's console language; does not touch updated_at (a preference, not an account change). */
  setLocale(id: number, locale: Locale | null): User {
    if (locale !== null && !isLocale(locale)) throw new UserStoreError('invalid', `locale "${String(locale).slice(0, 20)}": expected one of ${LOCALES.join(', ')}`);
    const info = this.db.prepare('UPDATE auth_users SET locale = ? WHERE id = ?').run(locale, id);
    if (info.changes === 0) throw new UserStoreError('not_found', `user id ${id} does not exist`);
    return this.mustGetById(id);
  }

  recordLogin(id: number): void {
    this.db.prepare('UPDATE auth_users SET last_login_at = ? WHERE id = ?').run(new Date().toISOString(), id);
  }

  private mustGet(username: string): User {
    const user = this.get(username);
    if (!user) throw new UserStoreError('not_found', `user "${username.slice(0, 80)}" does not exist`);
    return user;
  }

  private mustGetById(id: number): User {
    const user = this.getById(id);
    if (!user) throw new UserStoreError('not_found', `user id ${id} does not exist`);
    return user;
  }
}
