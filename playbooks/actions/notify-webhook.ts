/** notify.webhook: POST a message to a chat service or any JSON webhook; a non-2xx answer is an error. */
import { z } from 'zod';
import { toText } from '../template/evaluate';
import { defineAction, type ActionContext } from './types';
import { genericBody, slackBody, teamsAdaptiveCardBody, teamsMessageCardBody, telegramBody, type WebhookFormat, type WebhookMessage } from './webhook-formats';

const params = z
  .object({
    /** A name under playbooks.webhooks in socnoc.yaml. */
    target: z.string().optional(),
    url: z.string().url().optional(),
    format: z.enum(['json', 'slack', 'teams', 'teams_messagecard', 'telegram']).optional(),
    title: z.string().max(1000).default(''),
    text: z.string().max(100_000).default(''),
    fields: z.record(z.string(), z.unknown()).default({}),
    /** json format: extra members merged into the document. */
    body: z.record(z.string(), z.unknown()).default({}),
    chat_id: z.union([z.string(), z.number()]).optional(),
    headers: z.record(z.string(), z.string()).default({}),
    timeout_ms: z.number().int().min(100).max(120_000).optional(),
  })
  .strict();

type Params = z.infer<typeof params>;

interface Request {
  url: string;
  format: WebhookFormat;
  headers: Record<string, string>;
  timeoutMs: number;
  body: Record<string, unknown>;
}

function buildRequest(ctx: ActionContext, p: Params): Request {
  const target = p.target !== undefined ? ctx.services.config.webhooks[p.target] : undefined;
  if (p.target !== undefined && !target) throw new Error(`webhook target "${p.target}" is not defined under playbooks.webhooks`);
  const url = p.url ?? target?.url;
  if (url === undefined) throw new Error('no url: give `url` or a `target` from playbooks.webhooks');
  const format = p.format ?? target?.format ?? 'json';
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.fields)) fields[k] = toText(v);
  const message: WebhookMessage = { title: p.title || ctx.alert.rule.name, text: p.text, fields, severity: ctx.alert.severity };
  let body: Record<string, unknown>;
  switch (format) {
    case 'slack':
      body = slackBody(message);
      break;
    case 'teams':
      body = teamsAdaptiveCardBody(message);
      break;
    case 'teams_messagecard':
      body = teamsMessageCardBody(message);
      break;
    case 'telegram': {
      const chat = p.chat_id ?? target?.chatId;
      if (chat === undefined) throw new Error('telegram: no chat_id (give it in the step or the webhook target)');
      body = telegramBody(message, String(chat));
      break;
    }
    default:
      body = genericBody(message, { alert_id: ctx.alert.id, rule: ctx.alert.rule.name, organization: ctx.organization, playbook: ctx.playbookId, run_id: ctx.runId, ...p.body });
  }
  return {
    url,
    format,
    headers: { ...(target?.headers ?? {}), ...p.headers, 'content-type': 'application/json', 'idempotency-key': ctx.idempotencyKey },
    timeoutMs: p.timeout_ms ?? target?.timeoutMs ?? 10_000,
    body,
  };
}

/** The URL without query or a Telegram bot token, for outputs and logs. */
function redactUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/bot[^/]+/, '/bot[redacted]')}`;
}

export const notifyWebhook = defineAction<Params>({
  name: 'notify.webhook',
  description: 'Post a message as JSON, Slack, Microsoft Teams or Telegram',
  params,
  async run(ctx, p) {
    const req = buildRequest(ctx, p);
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(req.timeoutMs)]);
    const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: JSON.stringify(req.body), signal });
    const text = (await res.text()).slice(0, 2000);
    if (res.status < 200 || res.status > 299) throw new Error(`${redactUrl(req.url)} answered ${res.status}: ${text.slice(0, 200)}`);
    if (req.format === 'telegram') {
      // Telegram answers 200 with {"ok": false} for some failures.
      const reply = JSON.parse(text || '{}') as { ok?: boolean; description?: string };
      if (reply.ok === false) throw new Error(`telegram refused the message: ${reply.description ?? 'no reason given'}`);
    }
    return { output: { status: res.status, url: redactUrl(req.url), format: req.format, response: text } };
  },
  simulate(ctx, p) {
    const req = buildRequest(ctx, p);
    return { method: 'POST', url: redactUrl(req.url), format: req.format, body: req.body };
  },
});
