/**
 * Enrolment: the token is `<id>.<secret>.<CA sha256>`. The agent first fetches the CA without
 * trusting anyone, accepts it only if its fingerprint equals the token's, and from then on speaks
 * only to servers that CA signed: the secret never travels before the server is pinned.
 */
import { hostname, release } from 'node:os';
import { fingerprintOf, AgentClient } from './transport';
import { writeIdentity, type Identity } from './home';
import { AGENT_VERSION } from './version';
import { writeFileAtomic } from './home';
import { join } from 'node:path';

export async function enroll(home: string, server: string, token: string): Promise<Identity> {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !/^[0-9a-f]{64}$/.test(parts[2])) throw new Error('enrolment token malformed: expected <id>.<secret>.<64 hex digits of the CA fingerprint>');
  const base = server.replace(/\/+$/, '');
  const bootstrap = new AgentClient(base, undefined, undefined);
  let caCert: string;
  try {
    const reply = await bootstrap.send({ method: 'GET', path: '/agent/v1/ca' });
    if (reply.status !== 200) throw new Error(`${base}/agent/v1/ca: HTTP ${reply.status}`);
    caCert = reply.body.toString('utf8');
  } finally {
    bootstrap.close();
  }
  const fingerprint = fingerprintOf(caCert);
  if (fingerprint !== parts[2]) throw new Error(`server ${base}: its CA fingerprint ${fingerprint} is not the one in the token (${parts[2]}); refusing to enrol`);
  const pinned = new AgentClient(base, caCert, undefined);
  try {
    const answer = await pinned.json<{ agent_id: string; secret: string; organization: { id: string }; group: string; config: { version: string; config: unknown } }>({
      method: 'POST',
      path: '/agent/v1/enroll',
      body: { token: token.trim(), hostname: hostname(), version: AGENT_VERSION, os: { platform: process.platform, kernel: release(), arch: process.arch } },
    });
    const identity: Identity = {
      server: base,
      agentId: answer.agent_id,
      secret: answer.secret,
      organization: answer.organization.id,
      group: answer.group,
      caCert,
      caFingerprint: fingerprint,
      enrolledAt: new Date().toISOString(),
    };
    writeIdentity(home, identity);
    writeFileAtomic(join(home, 'config.json'), JSON.stringify(answer.config));
    return identity;
  } finally {
    pinned.close();
  }
}
