/**
 * The agent channel's own trust root: a private CA and a server certificate it signs, generated
 * once into `<dataDir>/agents/tls`. Agents pin the CA (its SHA-256 travels inside the enrolment
 * token), so renewing the server certificate never breaks enrolled agents.
 */
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface AgentPki {
  caCert: string;
  cert: string;
  key: string;
  /** Lower-case hex SHA-256 of the CA certificate's DER. */
  caFingerprint: string;
}

const DAY_MS = 86_400_000;

export function pkiDir(dataDir: string): string {
  return join(dataDir, 'agents', 'tls');
}

/** `AA:BB:..` → `aabb..` */
export function certFingerprint(pem: string): string {
  return new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();
}

function writeAtomic(file: string, text: string, mode: number): void {
  writeFileSync(`${file}.tmp`, text, { mode });
  renameSync(`${file}.tmp`, file);
}

function isIp(name: string): boolean {
  return /^[0-9.]+$/.test(name) || name.includes(':');
}

/** Loads the CA and server certificate, creating what is missing. */
export async function ensureAgentPki(dataDir: string, serverNames: readonly string[] = []): Promise<AgentPki> {
  const dir = pkiDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caCertFile = join(dir, 'ca.crt');
  const caKeyFile = join(dir, 'ca.key');
  const certFile = join(dir, 'server.crt');
  const keyFile = join(dir, 'server.key');
  if (!existsSync(caCertFile) || !existsSync(caKeyFile)) {
    const ca = await generate([{ name: 'commonName', value: `socnoc agent CA ${hostname()}` }], {
      keySize: 2048,
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 20 * 365 * DAY_MS),
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
    });
    writeAtomic(caKeyFile, ca.private, 0o600);
    writeAtomic(caCertFile, ca.cert, 0o644);
  }
  const caCert = readFileSync(caCertFile, 'utf8');
  const caKey = readFileSync(caKeyFile, 'utf8');
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    const names = [...new Set([hostname(), 'localhost', '127.0.0.1', '::1', ...serverNames])];
    const server = await generate([{ name: 'commonName', value: hostname() }], {
      keySize: 2048,
      algorithm: 'sha256',
      notAfterDate: new Date(Date.now() + 825 * DAY_MS),
      ca: { key: caKey, cert: caCert },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: names.map((n) => (isIp(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
      ],
    });
    writeAtomic(keyFile, server.private, 0o600);
    writeAtomic(certFile, server.cert, 0o644);
  }
  return { caCert, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), caFingerprint: certFingerprint(caCert) };
}
