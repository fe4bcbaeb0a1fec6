/**
 * net-snmp's receiver reports every datagram it refuses through its callback with an Error; this
 * turns them into the few counted reasons an operator can act on (`socnoc_input_failed_total`).
 */

export type TrapRejection =
  | 'malformed'
  | 'unknown_community'
  | 'unknown_user'
  | 'security_level'
  | 'auth_failed'
  | 'decrypt_failed'
  | 'not_in_time_window'
  | 'unexpected_pdu'
  | 'rejected';

/** net-snmp ResponseInvalidCode values (index.js ResponseInvalidCode). */
const E_COULD_NOT_DECRYPT = 4;
const E_AUTH_FAILURE = 5;
const E_NOT_IN_TIME_WINDOW = 14;

export function classifyReceiverError(err: unknown): TrapRejection {
  const e = err as { name?: unknown; message?: unknown; code?: unknown };
  const name = typeof e?.name === 'string' ? e.name : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (name === 'ProcessingError') return 'malformed';
  if (name === 'ResponseInvalidError') {
    if (e.code === E_AUTH_FAILURE) return 'auth_failed';
    if (e.code === E_COULD_NOT_DECRYPT) return 'decrypt_failed';
    if (e.code === E_NOT_IN_TIME_WINDOW) return 'not_in_time_window';
    return 'malformed';
  }
  if (name === 'RequestFailedError') {
    if (message.startsWith('Local community not found')) return 'unknown_community';
    if (message.startsWith('Local user not found')) return 'unknown_user';
    if (message.includes('requires authentication') || message.includes('requires privacy')) return 'security_level';
    return 'rejected';
  }
  if (name === 'RequestInvalidError') return 'unexpected_pdu';
  return 'rejected';
}
