/**
 * Enrolment tokens: `<id>.<secret>.<ca sha256>`. The id finds the row, the secret (stored as its
 * SHA-256: it is 256 random bits, so a slow hash adds nothing) proves possession, and the CA
 * fingerprint lets a fresh agent pin the server before it sends the secret (as kubeadm's
 * discovery hash does). Tokens belong to one agency (and optionally a group), expire and count uses.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SqliteDb } from '../store/sqlite';

export interface EnrollmentTokenInfo {
  id: string;
  agency: string;
  group: string;
  max_uses: number;
  uses: number;
  expires_at: string;
  created_at: string;
  created_by: string;
  revoked: boolean;
}

interface TokenRow {
  id: string;
  secret_hash: string;
  agency: string;
  group_name: string;
  max_uses: number;
  uses: number;
  expires_at: number;
  created_at: number;
  created_by: string;
  revoked_at: number | null;
}

export interface CreateTokenOptions {
  agency: string;
  group?: string;
  uses?: number;
  expiresInMs?: number;
  createdBy?: string;
}

export const DEFAULT_TOKEN_USES = 1;
export const DEFAULT_TOKEN_LIFETIME_MS = 24 * 3_600_000;

export class EnrollmentTokenError extends Error {
  constructor(readonly reason: 'malformed' | 'unknown' | 'expired' | 'used_up' | 'revoked') {
    super(`enrolment token ${reason.replace('_', ' ')}`);
    this.name = 'EnrollmentTokenError';
  }
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

function info(row: TokenRow): EnrollmentTokenInfo {
  return {
    id: row.id,
    agency: row.agency,
    group: row.group_name,
    max_uses: row.max_uses,
    uses: row.uses,
    expires_at: new Date(row.expires_at).toISOString(),
    created_at: new Date(row.created_at).toISOString(),
    created_by: row.created_by,
    revoked: row.revoked_at !== null,
  };
}

export class EnrollmentTokenStore {
  constructor(
    private readonly db: SqliteDb,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns the token text; only its hash is kept. */
  create(options: CreateTokenOptions, caFingerprint: string): { token: string; info: EnrollmentTokenInfo } {
    const uses = options.uses ?? DEFAULT_TOKEN_USES;
    if (!Number.isInteger(uses) || uses < 1) throw new Error(`enrolment token uses ${uses}: expected a whole number of at least 1`);
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const now = this.now();
    const row: TokenRow = {
      id,
      secret_hash: sha256Hex(secret),
      agency: options.agency,
      group_name: options.group ?? '',
      max_uses: uses,
      uses: 0,
      expires_at: now + (options.expiresInMs ?? DEFAULT_TOKEN_LIFETIME_MS),
      created_at: now,
      created_by: options.createdBy ?? 'cli',
      revoked_at: null,
    };
    this.db
      .prepare(
        'INSERT INTO agent_enrollment_tokens (id, secret_hash, agency, group_name, max_uses, uses, expires_at, created_at, created_by, revoked_at) VALUES (@id, @secret_hash, @agency, @group_name, @max_uses, @uses, @expires_at, @created_at, @created_by, @revoked_at)',
      )
      .run(row);
    return { token: `${id}.${secret}.${caFingerprint}`, info: info(row) };
  }

  list(agencies: string[] | undefined): EnrollmentTokenInfo[] {
    const rows = this.db.prepare('SELECT * FROM agent_enrollment_tokens ORDER BY created_at DESC').all() as TokenRow[];
    return rows.filter((r) => agencies === undefined || agencies.includes(r.agency)).map(info);
  }

  get(id: string): EnrollmentTokenInfo | undefined {
    const row = this.db.prepare('SELECT * FROM agent_enrollment_tokens WHERE id = ?').get(id) as TokenRow | undefined;
    return row === undefined ? undefined : info(row);
  }

  revoke(id: string): boolean {
    return this.db.prepare('UPDATE agent_enrollment_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(this.now(), id).changes > 0;
  }

  /** Checks the token and counts one use, atomically; throws EnrollmentTokenError. */
  consume(token: string): { id: string; agency: string; group: string } {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0].length === 0 || parts[1].length === 0) throw new EnrollmentTokenError('malformed');
    const [id, secret] = parts;
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT * FROM agent_enrollment_tokens WHERE id = ?').get(id) as TokenRow | undefined;
      if (row === undefined || !sameHash(row.secret_hash, sha256Hex(secret))) throw new EnrollmentTokenError('unknown');
      if (row.revoked_at !== null) throw new EnrollmentTokenError('revoked');
      if (row.expires_at <= this.now()) throw new EnrollmentTokenError('expired');
      if (row.uses >= row.max_uses) throw new EnrollmentTokenError('used_up');
      this.db.prepare('UPDATE agent_enrollment_tokens SET uses = uses + 1 WHERE id = ?').run(id);
      return { id: row.id, agency: row.agency, group: row.group_name };
    })();
  }
}
