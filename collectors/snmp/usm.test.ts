/**
 * The AES-192 registration in net-snmp's privacy table: the protocol numbers socnoc's users carry
 * resolve to 24-byte AES-192 keys, Blumenthal's extension is Kul || H(Kul) (draft-blumenthal-aes-usm
 * §3.1.2.1), Reeder's is Ku(Kul) (draft-reeder), and an encrypt/decrypt round trip goes through
 * net-snmp's own entry points. Interoperability with Net-SNMP is tested in traps/receiver.test.ts
 * and poll/poller.snmpd.test.ts.
 */
import { createHash } from 'node:crypto';
import { AuthProtocols, Authentication, Encryption, PrivProtocols, SecurityLevel } from 'net-snmp';
import { toNetSnmpUser } from './usm';
import { PRIV_AES192_BLUMENTHAL, PRIV_AES192_REEDER, registerAes192 } from './usm-aes192';

type Localize = (algorithm: unknown, auth: AuthProtocols, password: string, engineID: Buffer) => Buffer;
interface Entry {
  CRYPTO_ALGORITHM: string;
  KEY_LENGTH: number;
  localizationAlgorithm: Localize;
}
const table = Encryption.algorithms as unknown as Record<number, Entry | undefined>;
/** net-snmp's dispatchers by protocol number (not in @types/net-snmp). */
const dispatch = Encryption as unknown as {
  encryptPdu(n: PrivProtocols, pdu: Buffer, password: string, auth: AuthProtocols, engine: object): { encryptedPdu: Buffer; msgPrivacyParameters: Buffer };
  decryptPdu(n: PrivProtocols, pdu: Buffer, salt: Buffer, password: string, auth: AuthProtocols, engine: object): Buffer;
};
const engineID = Buffer.from('80001f888062dc7f4c15465c5100000000', 'hex');

describe('AES-192 for net-snmp', () => {
  it('maps aes192/aes192c users to registered 24-byte AES-192 entries, and keeps the others net-snmp\'s', () => {
    const user = (protocol: 'aes192' | 'aes192c' | 'aes256') => toNetSnmpUser({ name: 'noc', auth: { protocol: 'sha', password: 'authpass123' }, priv: { protocol, password: 'privpass192' } });
    expect(user('aes192')).toMatchObject({ level: SecurityLevel.authPriv, privProtocol: PRIV_AES192_BLUMENTHAL });
    expect(user('aes192c').privProtocol).toBe(PRIV_AES192_REEDER);
    expect(user('aes256').privProtocol).toBe(PrivProtocols.aes256b);
    for (const n of [PRIV_AES192_BLUMENTHAL, PRIV_AES192_REEDER]) expect(table[n]).toMatchObject({ CRYPTO_ALGORITHM: 'aes-192-cfb', KEY_LENGTH: 24 });
    registerAes192(); // idempotent
    expect(table[PRIV_AES192_BLUMENTHAL]?.localizationAlgorithm).toBe(Encryption.generateLocalizedKeyBlumenthal);
  });

  it('derives Blumenthal and Reeder keys as the drafts say (SHA-1: 20-byte Kul extended to 24)', () => {
    const kul = Authentication.passwordToKey(AuthProtocols.sha, 'privpass192', engineID);
    const b = table[PRIV_AES192_BLUMENTHAL] as Entry;
    const r = table[PRIV_AES192_REEDER] as Entry;
    const blumenthal = b.localizationAlgorithm(b, AuthProtocols.sha, 'privpass192', engineID);
    expect(blumenthal.toString('hex')).toBe(Buffer.concat([kul, createHash('sha1').update(kul).digest()]).subarray(0, 24).toString('hex'));
    const reeder = r.localizationAlgorithm(r, AuthProtocols.sha, 'privpass192', engineID);
    const kul2 = Authentication.passwordToKey(AuthProtocols.sha, kul as unknown as string, engineID);
    expect(reeder.toString('hex')).toBe(Buffer.concat([kul, kul2]).subarray(0, 24).toString('hex'));
    expect(reeder.subarray(20).equals(blumenthal.subarray(20))).toBe(false);
  });

  it('encrypts and decrypts a scoped PDU through net-snmp\'s entry points', () => {
    const engine = { engineID, engineBoots: 3, engineTime: 123456 };
    const scopedPdu = Buffer.from('3011040004000400a00b020101020100020100300a', 'hex');
    for (const n of [PRIV_AES192_BLUMENTHAL, PRIV_AES192_REEDER]) {
      const { encryptedPdu, msgPrivacyParameters } = dispatch.encryptPdu(n, scopedPdu, 'privpass192', AuthProtocols.sha, engine);
      expect(encryptedPdu.equals(scopedPdu)).toBe(false);
      expect(dispatch.decryptPdu(n, encryptedPdu, msgPrivacyParameters, 'privpass192', AuthProtocols.sha, engine)).toEqual(scopedPdu);
    }
  });
});
