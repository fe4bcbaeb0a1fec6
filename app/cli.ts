#!/usr/bin/env node
/**
 * The `socnoc` command. Output contracts: `token create` prints the token alone on stdout;
 * `user add` reads the password from stdin. Errors go to stderr with a non-zero exit code.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../core/config';
import { createLogger } from '../core/logger';
import { isRole, UserStoreError } from '../core/auth';
import { loadSocnocConfig, type SocnocConfig } from './config';
import { openCoreStores, startSocnoc } from './start';
import { readSecret } from './read-secret';
import { VERSION } from './version';
import { runRulesTest, runRulesValidate } from '../correlation/sigma/cli';
import { parseSyslogLine } from '../collectors/syslog/parse';
import { buildSyslogEvent } from '../collectors/syslog/to-event';
import { UNASSIGNED } from '../core/tenancy';
import { runAuditVerify } from '../core/audit/cli';
import { createAgentToken } from '../core/agents';
import { runGrafanaExport } from '../dashboards/grafana';
import { runComplianceCli, splitConfigFlag } from '../dashboards/compliance';
import { openCompliancePortsReadOnly } from './compliance-ports';
import type { EcsEvent } from '../core/event';

const USAGE = `socnoc ${VERSION} — SOC and NOC suite

Usage:
  socnoc start [--config FILE]
  socnoc user add --username U --role ROLE [--agency ID]... [--config FILE]   (password on stdin)
  socnoc user list [--config FILE]
  socnoc token create --username U [--name LABEL] [--days N] [--config FILE]
  socnoc rules validate PATH... [--quiet] [--placeholders FILE]
  socnoc rules test --rules PATH... --events FILE|- [--format auto|jsonl|json|syslog] [--timezone ZONE]
  socnoc audit verify [--config FILE]
  socnoc agent token create --agency ID [--uses N] [--expires DURATION] [--group G] [--config FILE]
  socnoc dashboards grafana --out DIR
  socnoc report compliance --regime decree85|decree331 --system ID|--agency ID --format pdf|html|csv --lang vi|en --out FILE [--config FILE]
  socnoc report monitoring --period daily|weekly|semiannual --agency ID --format pdf|html|csv --lang vi|en --out FILE [--config FILE]
  socnoc version

Roles: admin, soc_analyst, noc_operator, auditor, agency_admin.
Configuration: --config FILE, else $SOCNOC_CONFIG, else ./socnoc.yaml, else defaults.
Data folder: $SOCNOC_DATA_DIR, else dataDir from the configuration (default ./data).`;

class UsageError extends Error {}

function load(configPath: string | undefined): SocnocConfig {
  return loadSocnocConfig(configPath);
}

async function cmdStart(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { config: { type: 'string' } }, strict: true });
  const config = load(values.config);
  const logger = createLogger(config.log.level);
  const running = await startSocnoc(config, logger);
  let signals = 0;
  const shutdown = (signal: string): void => {
    if (++signals > 1) {
      logger.warn({ signal }, 'second signal: exiting without flushing');
      process.exit(130);
    }
    logger.info({ signal }, 'stopping: flushing queues');
    running.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

async function cmdUser(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'add') {
    const { values } = parseArgs({
      args: rest,
      options: { username: { type: 'string' }, role: { type: 'string' }, agency: { type: 'string', multiple: true }, config: { type: 'string' } },
      strict: true,
    });
    if (!values.username) throw new UsageError('user add: --username is required');
    if (!values.role || !isRole(values.role)) throw new UsageError('user add: --role must be one of admin, soc_analyst, noc_operator, auditor, agency_admin');
    const config = load(values.config);
    const agencies = values.agency ?? [];
    const known = new Set(config.agencies.map((a) => a.id));
    for (const a of agencies) if (!known.has(a) && a !== 'unassigned' && a !== '*') process.stderr.write(`warning: agency "${a}" is not in the configuration's agencies\n`);
    const password = await readSecret('Password: ');
    const { db, users } = openCoreStores(config);
    try {
      const user = await users.create(values.username, password, values.role, agencies);
      process.stderr.write(`created user ${user.username} (${user.role}${user.agencies.length ? `; agencies ${user.agencies.join(', ')}` : ''})\n`);
    } finally {
      db.close();
    }
    return;
  }
  if (sub === 'list') {
    const { values } = parseArgs({ args: rest, options: { config: { type: 'string' } }, strict: true });
    const { db, users } = openCoreStores(load(values.config));
    try {
      for (const u of users.list()) process.stdout.write(`${u.username}\t${u.role}\t${u.agencies.join(',') || '-'}\t${u.disabled ? 'disabled' : 'active'}\n`);
    } finally {
      db.close();
    }
    return;
  }
  throw new UsageError(`user: unknown subcommand "${sub ?? ''}" (add, list)`);
}

async function cmdToken(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'create') throw new UsageError(`token: unknown subcommand "${sub ?? ''}" (create)`);
  const { values } = parseArgs({
    args: rest,
    options: { username: { type: 'string' }, name: { type: 'string' }, days: { type: 'string' }, config: { type: 'string' } },
    strict: true,
  });
  if (!values.username) throw new UsageError('token create: --username is required');
  let ttlMs: number | undefined;
  if (values.days !== undefined) {
    const days = Number(values.days);
    if (!Number.isInteger(days) || days <= 0) throw new UsageError('token create: --days must be a positive integer');
    ttlMs = days * 86_400_000;
  }
  const { db, users, tokens } = openCoreStores(load(values.config));
  try {
    const user = users.get(values.username);
    if (!user) throw new UsageError(`token create: no user "${values.username}"`);
    const token = tokens.issue(user.id, { kind: 'api', name: values.name ?? 'cli', ttlMs });
    process.stdout.write(`${token}\n`);
  } finally {
    db.close();
  }
}

/** Raw syslog lines in `rules test` files go through the same parser and normalizers as live traffic. */
function syslogLineConverter(timezone: string): (line: string) => EcsEvent {
  return (line) => {
    const now = Date.now();
    return buildSyslogEvent(parseSyslogLine(line, { timezone, now }), { original: line, receivedAt: now, peerAddress: '127.0.0.1', organization: UNASSIGNED, timezone });
  };
}

async function cmdRules(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const io = { stdout: process.stdout, stderr: process.stderr };
  if (sub === 'validate') return runRulesValidate(rest, io);
  if (sub === 'test') {
    // --timezone is ours (for RFC 3164 lines without a zone); everything else belongs to rules test.
    let timezone = 'UTC';
    const forwarded: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === '--timezone') timezone = rest[++i] ?? 'UTC';
      else forwarded.push(rest[i]);
    }
    return runRulesTest(forwarded, io, { syslogLineToEvent: syslogLineConverter(timezone) });
  }
  throw new UsageError(`rules: unknown subcommand "${sub ?? ''}" (validate, test)`);
}

function cmdAudit(args: string[]): number {
  const [sub, ...rest] = args;
  if (sub !== 'verify') throw new UsageError(`audit: unknown subcommand "${sub ?? ''}" (verify)`);
  const { values } = parseArgs({ args: rest, options: { config: { type: 'string' } }, strict: true });
  const config = load(values.config);
  return runAuditVerify(resolve(config.dataDir), process.stdout, config.audit.file);
}

async function cmdAgent(args: string[]): Promise<number> {
  const [sub, sub2, ...rest] = args;
  if (sub !== 'token' || sub2 !== 'create') throw new UsageError(`agent: unknown subcommand "${[sub, sub2].filter(Boolean).join(' ')}" (token create)`);
  const { values } = parseArgs({
    args: rest,
    options: { agency: { type: 'string' }, uses: { type: 'string' }, expires: { type: 'string' }, group: { type: 'string' }, config: { type: 'string' } },
    strict: true,
  });
  if (!values.agency) throw new UsageError('agent token create: --agency is required');
  let uses: number | undefined;
  if (values.uses !== undefined) {
    uses = Number(values.uses);
    if (!Number.isInteger(uses) || uses <= 0) throw new UsageError('agent token create: --uses must be a positive integer');
  }
  const config = load(values.config);
  const known = new Set(config.agencies.map((a) => a.id));
  if (!known.has(values.agency) && values.agency !== UNASSIGNED.id) process.stderr.write(`warning: agency "${values.agency}" is not in the configuration's agencies\n`);
  const token = await createAgentToken(resolve(config.dataDir), { agency: values.agency, uses, expires: values.expires, group: values.group }, undefined, config.agents.serverNames);
  process.stdout.write(`${token}\n`);
  return 0;
}

function cmdDashboards(args: string[]): number {
  const [sub, ...rest] = args;
  if (sub !== 'grafana') throw new UsageError(`dashboards: unknown subcommand "${sub ?? ''}" (grafana)`);
  const { values } = parseArgs({ args: rest, options: { out: { type: 'string' } }, strict: true });
  if (!values.out) throw new UsageError('dashboards grafana: --out DIR is required');
  runGrafanaExport(values.out, process.stdout);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'start':
        await cmdStart(args);
        return -1; // keeps running until a signal
      case 'user':
        await cmdUser(args);
        return 0;
      case 'token':
        await cmdToken(args);
        return 0;
      case 'rules':
        return await cmdRules(args);
      case 'audit':
        return cmdAudit(args);
      case 'dashboards':
        return cmdDashboards(args);
      case 'agent':
        return await cmdAgent(args);
      case 'report': {
        const { configPath, rest } = splitConfigFlag(args);
        const config = load(configPath);
        return await runComplianceCli(rest, { config: config.compliance, dataDir: resolve(config.dataDir), out: process.stdout, openStores: () => openCompliancePortsReadOnly(config) });
      }
      case 'version':
      case '--version':
        process.stdout.write(`${VERSION}\n`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) process.stderr.write(`socnoc: ${err.message}\n\n${USAGE}\n`);
    else if (err instanceof ConfigError || err instanceof UserStoreError) process.stderr.write(`socnoc: ${err.message}\n`);
    else if (err instanceof Error && (err as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') process.stderr.write(`socnoc: ${err.message}\n`);
    else process.stderr.write(`socnoc: ${err instanceof Error ? err.message : String(err)}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    if (code >= 0) process.exitCode = code;
  });
}
