/**
 * Configuration: the top-level `smtp:` and `soc_email:` keys (issue 6's contract) and the
 * `playbooks:` section. Every key has a default; with none set, playbooks run with email disabled
 * (no SMTP host), webhooks only to URLs the playbook names, and blocking in dry-run.
 */
import { z } from 'zod';
import { durationSchema } from './duration';

const smtpDefaults = { host: '', port: 587, secure: false, requireTLS: false, rejectUnauthorized: true, auth: { user: '', pass: '' }, from: 'socnoc@localhost', timeoutMs: 15_000 };

/** `smtp:` — the mail relay for notify.email. `secure: true` is TLS from the first byte (port 465); otherwise STARTTLS when offered. */
export const smtpConfigSchema = z
  .object({
    /** Empty disables email: notify.email steps fail saying so. */
    host: z.string().default(smtpDefaults.host),
    port: z.number().int().min(1).max(65535).default(smtpDefaults.port),
    secure: z.boolean().default(smtpDefaults.secure),
    /** Refuse to send unless the server upgrades with STARTTLS. */
    requireTLS: z.boolean().default(smtpDefaults.requireTLS),
    /** Check the server certificate (turn off only for a relay with a self-signed certificate). */
    rejectUnauthorized: z.boolean().default(smtpDefaults.rejectUnauthorized),
    auth: z
      .object({ user: z.string().default(''), pass: z.string().default('') })
      .strict()
      .prefault({}),
    from: z.string().min(3).default(smtpDefaults.from),
    timeoutMs: z.number().int().min(100).max(300_000).default(smtpDefaults.timeoutMs),
  })
  .strict()
  .prefault({});

/** `soc_email:` — where SOC notifications go when a step names no recipients. */
export const socEmailSchema = z.array(z.string().email()).default([]);

export type SmtpConfig = z.infer<typeof smtpConfigSchema>;

const webhookTargetSchema = z
  .object({
    url: z.string().url(),
    format: z.enum(['json', 'slack', 'teams', 'teams_messagecard', 'telegram']).default('json'),
    /** Telegram: the chat to post to. */
    chatId: z.string().optional(),
    headers: z.record(z.string(), z.string()).default({}),
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  })
  .strict();
export type WebhookTarget = z.infer<typeof webhookTargetSchema>;

const syslogDefaults = { host: '', port: 514, protocol: 'udp' as const, appName: 'socnoc', facility: 13, hostname: '' };

const nftDefaults = { family: 'inet', table: 'socnoc', set4: 'blocklist', set6: 'blocklist6', netns: '', ssh: { host: '', user: 'root', port: 22, identityFile: '', options: [] as string[] } };
const httpFirewallDefaults = { method: 'POST' as const, url: '', removeMethod: 'DELETE' as const, removeUrl: '', body: '{"ip": "{{ ip }}", "timeout": {{ timeout_seconds }}, "reason": {{ reason | json }}}', headers: {} as Record<string, string>, timeoutMs: 10_000 };
const blockDefaults = {
  adapter: 'nftables' as const,
  /** dry_run: commands are rendered and reported, never executed, whatever a playbook asks. */
  mode: 'dry_run' as const,
  defaultDuration: 3600,
  neverBlock: ['127.0.0.0/8', '::1/128'],
  protectLocalAddresses: true,
  nftables: nftDefaults,
  http: httpFirewallDefaults,
};

const defaults = {
  enabled: true,
  paths: [] as string[],
  includeBuiltin: true,
  disabled: [] as string[],
  concurrency: 4,
  queueSize: 10_000,
  resumeInterrupted: true,
  defaultStepTimeout: 60,
  webhooks: {} as Record<string, WebhookTarget>,
  syslog: syslogDefaults,
  blockIp: blockDefaults,
};

export const playbooksConfigSchema = z
  .object({
    enabled: z.boolean().default(defaults.enabled),
    /** Extra playbook folders or files; relative paths resolve from the working directory. */
    paths: z.array(z.string().min(1)).default(defaults.paths),
    /** Load the shipped playbooks (playbooks/library). */
    includeBuiltin: z.boolean().default(defaults.includeBuiltin),
    /** Playbook ids to load but never trigger automatically (manual runs still work). */
    disabled: z.array(z.string().min(1)).default(defaults.disabled),
    /** Runs executing at once; further runs wait in the queue. */
    concurrency: z.number().int().min(1).max(64).default(defaults.concurrency),
    /** Runs waiting to execute; alert triggers beyond this are dropped and counted. */
    queueSize: z.number().int().min(1).max(1_000_000).default(defaults.queueSize),
    /** On start, continue runs a restart interrupted (true) or mark them `interrupted` (false). */
    resumeInterrupted: z.boolean().default(defaults.resumeInterrupted),
    /** Per-step timeout when a step sets none (a duration: 30s, 5m). */
    defaultStepTimeout: durationSchema(86_400_000).default(defaults.defaultStepTimeout * 1000),
    /** Named webhook targets (`with: {target: slack-soc}`), so URLs with secrets stay out of playbooks. */
    webhooks: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/), webhookTargetSchema).default(defaults.webhooks),
    /** Target of notify.syslog (RFC 5424). */
    syslog: z
      .object({
        host: z.string().default(syslogDefaults.host),
        port: z.number().int().min(1).max(65535).default(syslogDefaults.port),
        protocol: z.enum(['udp', 'tcp']).default(syslogDefaults.protocol),
        appName: z.string().min(1).max(48).default(syslogDefaults.appName),
        /** RFC 5424 facility number (13 = log audit). */
        facility: z.number().int().min(0).max(23).default(syslogDefaults.facility),
        /** HOSTNAME field; empty uses the machine's name. */
        hostname: z.string().max(255).default(syslogDefaults.hostname),
      })
      .strict()
      .prefault({}),
    /** contain.block_ip: where and how addresses are blocked. */
    blockIp: z
      .object({
        adapter: z.enum(['nftables', 'http']).default(blockDefaults.adapter),
        mode: z.enum(['dry_run', 'enforce']).default(blockDefaults.mode),
        /** Seconds a block lasts when a step names no duration. */
        defaultDuration: durationSchema().default(blockDefaults.defaultDuration * 1000),
        /** Networks never blocked (the socnoc server, data-center ranges, DNS resolvers). */
        neverBlock: z.array(z.string().min(1)).default(blockDefaults.neverBlock),
        /** Also never block this machine's own interface addresses. */
        protectLocalAddresses: z.boolean().default(blockDefaults.protectLocalAddresses),
        nftables: z
          .object({
            family: z.enum(['inet', 'ip', 'ip6', 'bridge', 'netdev']).default(nftDefaults.family as 'inet'),
            table: z.string().regex(/^[A-Za-z0-9_-]+$/).default(nftDefaults.table),
            set4: z.string().regex(/^[A-Za-z0-9_-]+$/).default(nftDefaults.set4),
            set6: z.string().regex(/^[A-Za-z0-9_-]+$/).default(nftDefaults.set6),
            /** Run nft inside this network namespace (`ip netns exec NS nft …`). */
            netns: z.string().regex(/^[A-Za-z0-9_.-]*$/).default(nftDefaults.netns),
            /** Run nft on a remote firewall with the system ssh client (key authentication, BatchMode). */
            ssh: z
              .object({
                host: z.string().default(nftDefaults.ssh.host),
                user: z.string().regex(/^[A-Za-z0-9_.-]+$/).default(nftDefaults.ssh.user),
                port: z.number().int().min(1).max(65535).default(nftDefaults.ssh.port),
                identityFile: z.string().default(nftDefaults.ssh.identityFile),
                /** Extra `-o` options, e.g. `StrictHostKeyChecking=yes`. */
                options: z.array(z.string().regex(/^[A-Za-z0-9]+=[^\s]+$/)).default(nftDefaults.ssh.options),
              })
              .strict()
              .prefault({}),
          })
          .strict()
          .prefault({}),
        http: z
          .object({
            method: z.enum(['POST', 'PUT', 'PATCH']).default(httpFirewallDefaults.method),
            /** Templated with `ip`, `timeout_seconds`, `reason`, `operation`. */
            url: z.string().default(httpFirewallDefaults.url),
            removeMethod: z.enum(['DELETE', 'POST', 'PUT', 'PATCH']).default(httpFirewallDefaults.removeMethod),
            /** Empty uses `url`. */
            removeUrl: z.string().default(httpFirewallDefaults.removeUrl),
            /** JSON body template. */
            body: z.string().default(httpFirewallDefaults.body),
            /** e.g. `Authorization: Bearer …`. */
            headers: z.record(z.string(), z.string()).default(httpFirewallDefaults.headers),
            timeoutMs: z.number().int().min(100).max(120_000).default(httpFirewallDefaults.timeoutMs),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

export type PlaybooksConfig = z.infer<typeof playbooksConfigSchema>;
export type BlockIpConfig = PlaybooksConfig['blockIp'];

/** A full config from a partial one, for tests and tools. */
export function playbooksConfig(partial: unknown = {}): PlaybooksConfig {
  return playbooksConfigSchema.parse(partial);
}
