/**
 * First start: make sure an admin can log in. The password comes from SOCNOC_ADMIN_PASSWORD, or is
 * generated and written once to `<dataDir>/admin-password.txt` (mode 0600), whose path — never the
 * password — the CLI prints.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { passwordProblem } from './password';
import type { UserStore } from './users';

export const BOOTSTRAP_ADMIN = 'admin';
export const ADMIN_PASSWORD_FILE = 'admin-password.txt';

export interface EnsureAdminResult {
  /** True when this call created the admin account. */
  created: boolean;
  username?: string;
  /** Where the generated password was written; undefined when it came from the environment or nothing was created. */
  passwordFile?: string;
}

export async function ensureAdmin(users: UserStore, options: { dataDir: string; env?: NodeJS.ProcessEnv }): Promise<EnsureAdminResult> {
  if (users.hasAdmin()) return { created: false };
  const existing = users.get(BOOTSTRAP_ADMIN);
  if (existing) throw new Error(`no admin account exists and user "${existing.username}" has role ${existing.role}; give some user the admin role`);
  const env = options.env ?? process.env;
  const given = env.SOCNOC_ADMIN_PASSWORD;
  if (given !== undefined && given !== '') {
    const problem = passwordProblem(given);
    if (problem) throw new Error(`SOCNOC_ADMIN_PASSWORD: ${problem}`);
    await users.create(BOOTSTRAP_ADMIN, given, 'admin');
    return { created: true, username: BOOTSTRAP_ADMIN };
  }
  // 24 random bytes: 32 base64url characters, 192 bits.
  const password = randomBytes(24).toString('base64url');
  mkdirSync(options.dataDir, { recursive: true });
  const file = join(options.dataDir, ADMIN_PASSWORD_FILE);
  // Write the file before creating the account, so a failure cannot leave an admin nobody knows the password of.
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  // mode applies only when the file is created; tighten a leftover file from an earlier data folder too.
  chmodSync(file, 0o600);
  await users.create(BOOTSTRAP_ADMIN, password, 'admin');
  return { created: true, username: BOOTSTRAP_ADMIN, passwordFile: file };
}
