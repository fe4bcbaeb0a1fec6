/**
 * AES-192 USM privacy for net-snmp, which ships DES, AES-128 and the two AES-256 key extensions
 * only. Encryption is looked up by the user's privProtocol number in `Encryption.algorithms`
 * (encrypt, decrypt, key localisation) and nowhere else — sessions, the trap/inform receiver and
 * the agent all go through it — so registering two entries there is the whole job:
 *
 *   aes192   draft-blumenthal-aes-usm-04 key extension (Kul || H(Kul)), Net-SNMP's "AES-192"
 *   aes192c  draft-reeder-snmpv3-usm-3desede key extension (Ku of the previous Kul), Cisco's
 *            "aes 192" and Net-SNMP's "AES-192-C"
 *
 * Both use AES-192 in CFB-128 with the RFC 3826 IV (engineBoots, engineTime, salt), as net-snmp's
 * AES-128/256 code does for any key length.
 */
import { Encryption, type PrivProtocols } from 'net-snmp';

/** The shape of one `Encryption.algorithms` entry (typed per key in @types/net-snmp). */
interface PrivAlgorithm {
  CRYPTO_ALGORITHM: string;
  KEY_LENGTH: number;
  BLOCK_LENGTH: number;
  encryptPdu: unknown;
  decryptPdu: unknown;
  localizationAlgorithm: unknown;
}

/**
 * Our numbers for the two protocols. net-snmp numbers its own 1, 2, 4, 6, 8; these stay clear of
 * any it may add (they never go on the wire: USM carries no protocol identifier).
 */
export const PRIV_AES192_BLUMENTHAL = 192 as PrivProtocols;
export const PRIV_AES192_REEDER = 193 as PrivProtocols;

function entry(localizationAlgorithm: unknown): PrivAlgorithm {
  return {
    CRYPTO_ALGORITHM: 'aes-192-cfb',
    KEY_LENGTH: 24,
    BLOCK_LENGTH: 16,
    encryptPdu: Encryption.encryptPduAes,
    decryptPdu: Encryption.decryptPduAes,
    localizationAlgorithm,
  };
}

let registered = false;

/** Adds AES-192 (both key extensions) to net-snmp's table; idempotent. */
export function registerAes192(): void {
  if (registered) return;
  const table = Encryption.algorithms as unknown as Record<number, PrivAlgorithm | undefined>;
  for (const [n, localize] of [
    [PRIV_AES192_BLUMENTHAL, Encryption.generateLocalizedKeyBlumenthal],
    [PRIV_AES192_REEDER, Encryption.generateLocalizedKeyReeder],
  ] as const) {
    if (typeof localize !== 'function' || typeof Encryption.encryptPduAes !== 'function') {
      throw new Error('net-snmp no longer exports its AES helpers (Encryption.encryptPduAes, generateLocalizedKey*): AES-192 cannot be registered');
    }
    const existing = table[n];
    if (existing !== undefined && (existing.CRYPTO_ALGORITHM !== 'aes-192-cfb' || existing.localizationAlgorithm !== localize)) {
      throw new Error(`net-snmp privacy protocol ${n} is already taken by ${existing.CRYPTO_ALGORITHM}: cannot register AES-192 there`);
    }
    table[n] = entry(localize);
  }
  registered = true;
}
