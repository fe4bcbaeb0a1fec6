/**
 * Message bodies for chat and webhook services: a generic JSON document, Slack incoming webhooks
 * (text + Block Kit), Microsoft Teams (an Adaptive Card for Workflows webhooks, or the legacy
 * Office 365 connector MessageCard) and the Telegram Bot API sendMessage method.
 */

export type WebhookFormat = 'json' | 'slack' | 'teams' | 'teams_messagecard' | 'telegram';

export interface WebhookMessage {
  title: string;
  text: string;
  fields: Record<string, string>;
  severity?: string;
}

const SEVERITY_COLOR: Record<string, string> = { critical: 'B00020', high: 'E65100', medium: 'F9A825', low: '1E88E5', informational: '757575' };

export function slackBody(m: WebhookMessage): Record<string, unknown> {
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: m.title.slice(0, 150), emoji: false } },
    { type: 'section', text: { type: 'mrkdwn', text: m.text.slice(0, 3000) || ' ' } },
  ];
  const entries = Object.entries(m.fields).slice(0, 10);
  if (entries.length > 0) blocks.push({ type: 'section', fields: entries.map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${v}`.slice(0, 2000) })) });
  // `text` is the notification and accessibility fallback when blocks are present.
  return { text: `${m.title}: ${m.text}`.slice(0, 4000), blocks };
}

export function teamsAdaptiveCardBody(m: WebhookMessage): Record<string, unknown> {
  const body: unknown[] = [
    { type: 'TextBlock', text: m.title, weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: m.text, wrap: true },
  ];
  const facts = Object.entries(m.fields).map(([title, value]) => ({ title, value }));
  if (facts.length > 0) body.push({ type: 'FactSet', facts });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body },
      },
    ],
  };
}

export function teamsMessageCardBody(m: WebhookMessage): Record<string, unknown> {
  return {
    '@type': 'MessageCard',
    '@context': 'https://schema.org/extensions',
    summary: m.title,
    themeColor: SEVERITY_COLOR[m.severity ?? ''] ?? '0078D7',
    title: m.title,
    text: m.text,
    sections: [{ facts: Object.entries(m.fields).map(([name, value]) => ({ name, value })) }],
  };
}

/** Telegram allows 4096 characters per message; plain text avoids MarkdownV2 escaping rules. */
export function telegramBody(m: WebhookMessage, chatId: string): Record<string, unknown> {
  const lines = [m.title, '', m.text, ...Object.entries(m.fields).map(([k, v]) => `${k}: ${v}`)];
  return { chat_id: chatId, text: lines.join('\n').slice(0, 4096), disable_web_page_preview: true };
}

export function genericBody(m: WebhookMessage, extra: Record<string, unknown>): Record<string, unknown> {
  return { title: m.title, text: m.text, severity: m.severity ?? null, fields: m.fields, ...extra };
}
