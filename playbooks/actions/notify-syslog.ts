/**
 * notify.syslog: one RFC 5424 message to the configured collector (a SIEM upstream, a ticketing
 * gateway), over UDP or TCP with octet-counting framing (RFC 6587 §3.4.1).
 */
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { hostname } from 'node:os';
import { z } from 'zod';
import { defineAction, type ActionContext } from './types';

const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

const params = z
  .object({
    message: z.string().min(1).max(60_000),
    severity: z.enum(SEVERITIES).default('warning'),
    msgid: z.string().regex(/^[!-~]{1,32}$/, 'MSGID is 1 to 32 printable ASCII characters').default('PLAYBOOK'),
    host: z.string().optional(),
    port: z.number().int().min(1).max(65535).optional(),
    protocol: z.enum(['udp', 'tcp']).optional(),
  })
  .strict();

type Params = z.infer<typeof params>;

/** SD-PARAM values escape `"`, `\` and `]` (RFC 5424 §6.3.3). */
function sdValue(value: string): string {
  return value.replace(/[\\"\]]/g, (c) => `\\${c}`);
}

/** PRINTUSASCII without spaces, at most `max` characters; `-` when empty (RFC 5424 §6.2). */
function header(value: string, max: number): string {
  const clean = value.replace(/[^!-~]/g, '').slice(0, max);
  return clean === '' ? '-' : clean;
}

export interface SyslogLineInput {
  facility: number;
  severity: (typeof SEVERITIES)[number];
  time: Date;
  hostname: string;
  appName: string;
  msgid: string;
  sd: Record<string, string>;
  message: string;
}

export function formatRfc5424(m: SyslogLineInput): string {
  const pri = m.facility * 8 + SEVERITIES.indexOf(m.severity);
  const params = Object.entries(m.sd)
    .map(([k, v]) => ` ${k}="${sdValue(v)}"`)
    .join('');
  // 32473 is the private enterprise number RFC 5612 reserves for documentation examples.
  const sd = params === '' ? '-' : `[socnoc@32473${params}]`;
  return `<${pri}>1 ${m.time.toISOString()} ${header(m.hostname, 255)} ${header(m.appName, 48)} ${process.pid} ${header(m.msgid, 32)} ${sd} \uFEFF${m.message}`;
}

function target(ctx: ActionContext, p: Params): { host: string; port: number; protocol: 'udp' | 'tcp' } {
  const cfg = ctx.services.config.syslog;
  const host = p.host ?? cfg.host;
  if (host === '') throw new Error('no syslog target: set playbooks.syslog.host or give `host`');
  return { host, port: p.port ?? cfg.port, protocol: p.protocol ?? cfg.protocol };
}

function line(ctx: ActionContext, p: Params): string {
  const cfg = ctx.services.config.syslog;
  return formatRfc5424({
    facility: cfg.facility,
    severity: p.severity,
    time: new Date(ctx.services.now()),
    hostname: cfg.hostname || hostname(),
    appName: cfg.appName,
    msgid: p.msgid,
    sd: { alert: ctx.alert.id, rule: ctx.alert.rule.name, organization: ctx.organization, playbook: ctx.playbookId, run: ctx.runId },
    message: p.message,
  });
}

function sendUdp(host: string, port: number, payload: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.send(payload, port, host, (err) => {
      socket.close();
      if (err) reject(new Error(`syslog udp ${host}:${port}: ${err.message}`));
      else resolve();
    });
  });
}

function sendTcp(host: string, port: number, payload: Buffer, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, signal });
    socket.once('error', (err) => reject(new Error(`syslog tcp ${host}:${port}: ${err.message}`)));
    socket.once('connect', () => {
      socket.end(Buffer.concat([Buffer.from(`${payload.length} `), payload]), () => resolve());
    });
  });
}

export const notifySyslog = defineAction<Params>({
  name: 'notify.syslog',
  description: 'Send an RFC 5424 syslog message over UDP or TCP',
  params,
  async run(ctx, p) {
    const t = target(ctx, p);
    const text = line(ctx, p);
    const payload = Buffer.from(text, 'utf8');
    if (t.protocol === 'udp') await sendUdp(t.host, t.port, payload);
    else await sendTcp(t.host, t.port, payload, ctx.signal);
    return { output: { target: `${t.protocol}://${t.host}:${t.port}`, bytes: payload.length } };
  },
  simulate(ctx, p) {
    const t = target(ctx, p);
    return { target: `${t.protocol}://${t.host}:${t.port}`, line: line(ctx, p) };
  },
});
