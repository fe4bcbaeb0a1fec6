/**
 * Encryption at rest for device credentials: AES-256-GCM (authenticated, so a tampered or
 * wrong-key record fails instead of decrypting to garbage). The key comes from SOCNOC_SECRET_KEY
 * (32 bytes, hex or base64) or from `<dataDir>/secret.key`, generated once with mode 0600.
 * Rotation: put the old key in SOCNOC_SECRET_KEY_PREVIOUS (comma-separated for several), the new
 * one in SOCNOC_SECRET_KEY, start once (records are re-encrypted with the new key), then drop the
 * previous key. Each record names its key by a short fingerprint, so decryption picks the right one.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const FORMAT = 'v1';

export class SecretKeyError extends Error {
  override name = 'SecretKeyError';
}

/** 32 bytes from 64 hex characters or base64 (standard or url-safe). */
export function parseSecretKey(text: string, source: string): Buffer {
  const t = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(t)) key = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) key = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key === undefined || key.length !== KEY_BYTES) {
    throw new SecretKeyError(`${source}: expected a 32-byte key as 64 hex characters or base64 (make one with: openssl rand -hex 32)`);
  }
  return key;
}

function fingerprint(key: Buffer): string {
  return createHash('sha256').update('socnoc-secret-key').update(key).digest('hex').slice(0, 8);
}

export class SecretBox {
  private readonly current: { id: string; key: Buffer };
  private readonly byId = new Map<string, Buffer>();

  constructor(key: Buffer, previous: readonly Buffer[] = []) {
    if (key.length !== KEY_BYTES) throw new SecretKeyError(`secret key must be ${KEY_BYTES} bytes, got ${key.length}`);
    this.current = { id: fingerprint(key), key };
    this.byId.set(this.current.id, key);
    for (const k of previous) this.byId.set(fingerprint(k), k);
  }

  /** `v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url parts); `context` binds the record (e.g. the device id) so rows cannot be swapped. */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, this.current.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join(':');
  }

  open(sealed: string, context: string): string {
    const parts = sealed.split(':');
    if (parts.length !== 5 || parts[0] !== FORMAT) throw new SecretKeyError(`sealed secret for ${context}: unknown format`);
    const key = this.byId.get(parts[1]);
    if (key === undefined) throw new SecretKeyError(`sealed secret for ${context}: encrypted with key ${parts[1]}, which is neither SOCNOC_SECRET_KEY nor SOCNOC_SECRET_KEY_PREVIOUS`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts[2], 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(parts[3], 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(parts[4], 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretKeyError(`sealed secret for ${context}: authentication failed (tampered record or wrong key)`);
    }
  }

  /** True when the record was sealed with an older key and should be re-sealed. */
  isStale(sealed: string): boolean {
    return sealed.split(':')[1] !== this.current.id;
  }

  get keyId(): string {
    return this.current.id;
  }
}

export interface SecretKeySources {
  env?: NodeJS.ProcessEnv;
  /** Where `secret.key` is read or created when SOCNOC_SECRET_KEY is unset. */
  dataDir: string;
}

/** The SecretBox from the environment or the key file (created on first use, mode 0600). */
export function loadSecretBox(sources: SecretKeySources): SecretBox {
  const env = sources.env ?? process.env;
  const previous = (env.SOCNOC_SECRET_KEY_PREVIOUS ?? '')
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((s, i) => parseSecretKey(s, `SOCNOC_SECRET_KEY_PREVIOUS[${i}]`));
  if (env.SOCNOC_SECRET_KEY !== undefined && env.SOCNOC_SECRET_KEY.trim() !== '') {
    return new SecretBox(parseSecretKey(env.SOCNOC_SECRET_KEY, 'SOCNOC_SECRET_KEY'), previous);
  }
  const file = join(sources.dataDir, 'secret.key');
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o077;
    if (mode !== 0) chmodSync(file, 0o600); // keep it private even if a copy widened it
    return new SecretBox(parseSecretKey(readFileSync(file, 'utf8'), file), previous);
  }
  mkdirSync(sources.dataDir, { recursive: true });
  const key = randomBytes(KEY_BYTES);
  try {
    // wx: never overwrite a key another process just wrote (that would orphan its records).
    writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return new SecretBox(parseSecretKey(readFileSync(file, 'utf8'), file), previous);
  }
  chmodSync(file, 0o600);
  return new SecretBox(key, previous);
}
