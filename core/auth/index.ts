export * from './roles';
export * from './users';
export * from './tokens';
export * from './principal';
export { ensureAdmin, ADMIN_PASSWORD_FILE, BOOTSTRAP_ADMIN, type EnsureAdminResult } from './bootstrap';
export { passwordProblem, PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, type ScryptParams } from './password';
export { createAuthStores } from './stores';
