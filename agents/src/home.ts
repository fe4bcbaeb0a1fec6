/**
 * Everything the agent keeps lives under SOCNOC_AGENT_HOME (default /var/lib/socnoc-agent): its
 * identity, the last configuration and YARA rules from the server, the queue, FIM baseline.
 * Several agents can run side by side with different homes (tests, benchmarks).
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_AGENT_HOME = '/var/lib/socnoc-agent';

export function agentHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.SOCNOC_AGENT_HOME !== undefined && env.SOCNOC_AGENT_HOME !== '' ? env.SOCNOC_AGENT_HOME : DEFAULT_AGENT_HOME;
}

export interface Identity {
  server: string;
  agentId: string;
  secret: string;
  organization: string;
  group: string;
  /** The agent CA's PEM, pinned at enrolment. */
  caCert: string;
  caFingerprint: string;
  enrolledAt: string;
}

export function identityFile(home: string): string {
  return join(home, 'identity.json');
}

/** Written by rename after fsync, so a crash leaves the old file or the new one. */
export function writeFileAtomic(file: string, text: string, mode = 0o600): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, text, { mode });
  const fd = openSync(tmp, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

export function readIdentity(home: string): Identity | undefined {
  const file = identityFile(home);
  if (!existsSync(file)) return undefined;
  const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<Identity>;
  for (const key of ['server', 'agentId', 'secret', 'organization', 'caCert', 'caFingerprint'] as const) {
    if (typeof value[key] !== 'string') throw new Error(`${file}: "${key}" missing; enrol again`);
  }
  return value as Identity;
}

export function writeIdentity(home: string, identity: Identity): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  writeFileAtomic(identityFile(home), JSON.stringify(identity, null, 2));
}

export function readJsonFile<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
