/** socnoc's USM protocol names (config.ts) → net-snmp's constants, for trap users and poll sessions. */
import { createCipheriv } from 'node:crypto';
import { AuthProtocols, PrivProtocols, SecurityLevel, type User } from 'net-snmp';
import type { AuthProtocolName, PrivProtocolName } from './config';
import { PRIV_AES192_BLUMENTHAL, PRIV_AES192_REEDER, registerAes192 } from './usm-aes192';

// Every net-snmp user socnoc builds goes through this module: AES-192 is there before any is used.
registerAes192();

const AUTH: Record<AuthProtocolName, AuthProtocols> = {
  md5: AuthProtocols.md5,
  sha: AuthProtocols.sha,
  sha224: AuthProtocols.sha224,
  sha256: AuthProtocols.sha256,
  sha384: AuthProtocols.sha384,
  sha512: AuthProtocols.sha512,
};

const PRIV: Record<PrivProtocolName, PrivProtocols> = {
  des: PrivProtocols.des,
  aes: PrivProtocols.aes,
  aes128: PrivProtocols.aes,
  // draft-blumenthal-aes-usm key extension (Net-SNMP "AES-192"/"AES-256"); draft-reeder is Cisco's.
  aes192: PRIV_AES192_BLUMENTHAL,
  aes192c: PRIV_AES192_REEDER,
  aes256: PrivProtocols.aes256b,
  aes256c: PrivProtocols.aes256r,
};

export interface UsmCredentials {
  name: string;
  auth?: { protocol: AuthProtocolName; password: string };
  priv?: { protocol: PrivProtocolName; password: string };
}

/** A net-snmp USM user; the security level follows from which keys are present. */
export function toNetSnmpUser(c: UsmCredentials): User {
  if (c.auth === undefined) return { name: c.name, level: SecurityLevel.noAuthNoPriv };
  const user: User = { name: c.name, level: SecurityLevel.authNoPriv, authProtocol: AUTH[c.auth.protocol], authKey: c.auth.password };
  if (c.priv !== undefined) {
    user.level = SecurityLevel.authPriv;
    user.privProtocol = PRIV[c.priv.protocol];
    user.privKey = c.priv.password;
  }
  return user;
}

export function securityLevelName(c: UsmCredentials): 'noAuthNoPriv' | 'authNoPriv' | 'authPriv' {
  return c.auth === undefined ? 'noAuthNoPriv' : c.priv === undefined ? 'authNoPriv' : 'authPriv';
}

let desState: boolean | undefined;
/**
 * DES-CBC is in OpenSSL 3's legacy provider, which Node.js loads only with
 * `--openssl-legacy-provider` (e.g. NODE_OPTIONS): without it DES users cannot decrypt or encrypt.
 */
export function desSupported(): boolean {
  if (desState === undefined) {
    try {
      createCipheriv('des-cbc', Buffer.alloc(8), Buffer.alloc(8));
      desState = true;
    } catch {
      desState = false;
    }
  }
  return desState;
}

export const DES_UNSUPPORTED_HINT = 'DES needs OpenSSL 3\'s legacy provider: start Node.js with --openssl-legacy-provider (NODE_OPTIONS), or move the device to AES';
