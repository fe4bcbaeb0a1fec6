import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSecretBox, parseSecretKey, SecretBox, SecretKeyError } from './secret-box';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'socnoc-secret-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SecretBox', () => {
  it('round-trips, with a fresh IV each time and no plaintext in the sealed text', () => {
    const box = new SecretBox(randomBytes(32));
    const a = box.seal('{"community":"s3cr3t-Metronet"}', 'dev-1');
    const b = box.seal('{"community":"s3cr3t-Metronet"}', 'dev-1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('s3cr3t');
    expect(a.startsWith(`v1:${box.keyId}:`)).toBe(true);
    expect(box.open(a, 'dev-1')).toBe('{"community":"s3cr3t-Metronet"}');
  });

  it('refuses a record moved to another device, tampered, or sealed with an unknown key', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('community', 'dev-1');
    expect(() => box.open(sealed, 'dev-2')).toThrow(/dev-2: authentication failed/);
    const parts = sealed.split(':');
    const ct = Buffer.from(parts[4], 'base64url');
    ct[0] ^= 1;
    parts[4] = ct.toString('base64url');
    expect(() => box.open(parts.join(':'), 'dev-1')).toThrow(SecretKeyError);
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'dev-1')).toThrow(/neither SOCNOC_SECRET_KEY nor SOCNOC_SECRET_KEY_PREVIOUS/);
  });

  it('opens records of a previous key and says they are stale', () => {
    const oldKey = randomBytes(32);
    const sealed = new SecretBox(oldKey).seal('x', 'd');
    const box = new SecretBox(randomBytes(32), [oldKey]);
    expect(box.open(sealed, 'd')).toBe('x');
    expect(box.isStale(sealed)).toBe(true);
    expect(box.isStale(box.seal('x', 'd'))).toBe(false);
  });
});

describe('loadSecretBox', () => {
  it('creates data/secret.key with mode 0600 once and reads it back', () => {
    const box = loadSecretBox({ dataDir: dir, env: {} });
    const file = join(dir, 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = loadSecretBox({ dataDir: dir, env: {} });
    expect(again.keyId).toBe(box.keyId);
    expect(again.open(box.seal('x', 'd'), 'd')).toBe('x');
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('prefers SOCNOC_SECRET_KEY (hex or base64) and takes previous keys for rotation', () => {
    const key = randomBytes(32);
    const old = randomBytes(32);
    const fromHex = loadSecretBox({ dataDir: dir, env: { SOCNOC_SECRET_KEY: key.toString('hex'), SOCNOC_SECRET_KEY_PREVIOUS: old.toString('base64') } });
    const fromB64 = loadSecretBox({ dataDir: dir, env: { SOCNOC_SECRET_KEY: key.toString('base64') } });
    expect(fromHex.keyId).toBe(fromB64.keyId);
    expect(fromHex.open(new SecretBox(old).seal('y', 'd'), 'd')).toBe('y');
    expect(() => statSync(join(dir, 'secret.key'))).toThrow(); // no key file written when the environment has one
  });

  it('names the source of a malformed key', () => {
    expect(() => parseSecretKey('too-short', 'SOCNOC_SECRET_KEY')).toThrow(/SOCNOC_SECRET_KEY: expected a 32-byte key/);
    writeFileSync(join(dir, 'secret.key'), 'garbage\n', { mode: 0o644 });
    expect(() => loadSecretBox({ dataDir: dir, env: {} })).toThrow(/secret\.key: expected a 32-byte key/);
  });
});
