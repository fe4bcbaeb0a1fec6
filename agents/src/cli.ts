#!/usr/bin/env node
/**
 * socnoc-agent: `enroll --server URL --token TOKEN`, `run`, `status`, `uninstall`. State lives
 * under SOCNOC_AGENT_HOME (default /var/lib/socnoc-agent).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { enroll } from './enroll';
import { agentHome, readIdentity } from './home';
import { AgentRunner, defaultLog } from './runner';
import { AGENT_VERSION } from './version';

const USAGE = `usage: socnoc-agent <command>
  enroll --server https://HOST:8443 --token TOKEN   enrol this host (token from: socnoc agent token create --agency ID)
  run                                               run in the foreground (systemd runs this)
  status                                            print identity and the last known state
  uninstall [--yes]                                 forget the identity, queue and state under SOCNOC_AGENT_HOME
  version
environment: SOCNOC_AGENT_HOME (default /var/lib/socnoc-agent)`;

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0 && i + 1 < args.length) return args[i + 1];
  const eq = args.find((a) => a.startsWith(`${name}=`));
  return eq?.slice(name.length + 1);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const home = agentHome();
  switch (command) {
    case 'enroll': {
      const server = flag(args, '--server');
      const token = flag(args, '--token') ?? process.env.SOCNOC_AGENT_TOKEN;
      if (server === undefined || token === undefined) {
        process.stderr.write(`enroll needs --server URL and --token TOKEN\n${USAGE}\n`);
        return 2;
      }
      const id = await enroll(home, server, token);
      process.stdout.write(`enrolled as agent ${id.agentId} of agency ${id.organization}; identity in ${home}\n`);
      return 0;
    }
    case 'run': {
      const netns = process.env.SOCNOC_AGENT_NFT_NETNS;
      const runner = new AgentRunner(home, defaultLog, netns !== undefined && netns !== '' ? ['ip', 'netns', 'exec', netns] : []);
      const stop = (): void => {
        void runner.stop();
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
      await runner.start();
      defaultLog('info', `socnoc-agent ${AGENT_VERSION} running (home ${home})`);
      const how = await runner.done;
      return how === 'revoked' ? 3 : 0;
    }
    case 'status': {
      const id = readIdentity(home);
      if (id === undefined) {
        process.stdout.write(`not enrolled (home ${home})\n`);
        return 1;
      }
      const statusFile = join(home, 'status.json');
      const status = existsSync(statusFile) ? (JSON.parse(readFileSync(statusFile, 'utf8')) as Record<string, unknown>) : { state: 'never run' };
      process.stdout.write(`${JSON.stringify({ agent_id: id.agentId, organization: id.organization, server: id.server, ca_sha256: id.caFingerprint, enrolled_at: id.enrolledAt, ...status }, null, 2)}\n`);
      return 0;
    }
    case 'uninstall': {
      if (!args.includes('--yes')) {
        process.stderr.write(`this deletes ${home} (identity, unsent events, checkpoints); repeat with --yes\n`);
        return 2;
      }
      rmSync(home, { recursive: true, force: true });
      process.stdout.write(`removed ${home}; revoke the agent on the server as well\n`);
      return 0;
    }
    case 'version':
      process.stdout.write(`${AGENT_VERSION}\n`);
      return 0;
    default:
      process.stderr.write(`${USAGE}\n`);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

// A stray rejection must not kill the agent: everything it holds is on disk, but collection would stop.
process.on('unhandledRejection', (err: unknown) => defaultLog('error', `unhandled: ${(err as Error)?.stack ?? String(err)}`));

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`socnoc-agent: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
