/** notify.webhook against a real HTTP server on 127.0.0.1: each format's body, headers, and errors. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { playbooksConfig } from '../config';
import { actionContext, testServices } from '../testdata/fixtures';
import { notifyWebhook } from './notify-webhook';

interface Hit {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

let server: Server;
let base: string;
const hits: Hit[] = [];
let reply: { status: number; body: string } = { status: 200, body: 'ok' };

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  hits.length = 0;
  reply = { status: 200, body: 'ok' };
});

const message = { title: 'SSH brute force from 198.51.100.30', text: 'Ten failures then a login on web01', fields: { Agency: 'hanoi-doh', Count: 10 } };

async function post(extra: Record<string, unknown>, config = playbooksConfig({})) {
  const ctx = actionContext(testServices({ config }), { idempotencyKey: 'run-7:chat' });
  return notifyWebhook.run(ctx, notifyWebhook.params.parse({ ...message, ...extra }));
}

describe('notify.webhook with a real HTTP server', () => {
  test('generic JSON carries the alert and run, with an idempotency key', async () => {
    const result = await post({ url: `${base}/hooks/soc`, body: { ticket_queue: 'SOC-L1' } });
    expect(result.output).toMatchObject({ status: 200, format: 'json' });
    expect(hits[0].path).toBe('/hooks/soc');
    expect(hits[0].headers['content-type']).toBe('application/json');
    expect(hits[0].headers['idempotency-key']).toBe('run-7:chat');
    expect(hits[0].body).toMatchObject({
      title: message.title,
      text: message.text,
      severity: 'high',
      fields: { Agency: 'hanoi-doh', Count: '10' },
      alert_id: 'a7f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b',
      organization: 'hanoi-doh',
      playbook: 'test',
      run_id: 'run-1',
      ticket_queue: 'SOC-L1',
    });
  });

  test('Slack: text fallback plus header, section and fields blocks', async () => {
    await post({ url: `${base}/services/T000/B000/XXXX`, format: 'slack' });
    const body = hits[0].body as { text: string; blocks: Array<{ type: string; text?: { type: string; text: string }; fields?: Array<{ type: string; text: string }> }> };
    expect(body.text).toBe(`${message.title}: ${message.text}`);
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: message.title, emoji: false } });
    expect(body.blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: message.text } });
    expect(body.blocks[2].fields).toEqual([
      { type: 'mrkdwn', text: '*Agency*\nhanoi-doh' },
      { type: 'mrkdwn', text: '*Count*\n10' },
    ]);
  });

  test('Microsoft Teams: an Adaptive Card message and the legacy MessageCard', async () => {
    await post({ url: `${base}/workflows/teams`, format: 'teams' });
    const card = hits[0].body as { type: string; attachments: Array<{ contentType: string; content: { type: string; version: string; body: Array<{ type: string; text?: string; facts?: unknown }> } }> };
    expect(card.type).toBe('message');
    expect(card.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.attachments[0].content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(card.attachments[0].content.body.map((b) => b.type)).toEqual(['TextBlock', 'TextBlock', 'FactSet']);
    expect(card.attachments[0].content.body[2].facts).toEqual([
      { title: 'Agency', value: 'hanoi-doh' },
      { title: 'Count', value: '10' },
    ]);

    await post({ url: `${base}/webhookb2/x`, format: 'teams_messagecard' });
    expect(hits[1].body).toEqual({
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      summary: message.title,
      themeColor: 'E65100',
      title: message.title,
      text: message.text,
      sections: [{ facts: [{ name: 'Agency', value: 'hanoi-doh' }, { name: 'Count', value: '10' }] }],
    });
  });

  test('Telegram sendMessage through a named target; the bot token never appears in the output', async () => {
    reply = { status: 200, body: '{"ok":true,"result":{"message_id":1}}' };
    const config = playbooksConfig({ webhooks: { 'telegram-soc': { url: `${base}/bot123456:ABC-secret/sendMessage`, format: 'telegram', chatId: '-1001234567890', headers: { 'x-team': 'soc' } } } });
    const result = await post({ target: 'telegram-soc' }, config);
    expect(hits[0].path).toBe('/bot123456:ABC-secret/sendMessage');
    expect(hits[0].headers['x-team']).toBe('soc');
    expect(hits[0].body).toEqual({ chat_id: '-1001234567890', text: `${message.title}\n\n${message.text}\nAgency: hanoi-doh\nCount: 10`, disable_web_page_preview: true });
    expect(JSON.stringify(result.output)).not.toContain('ABC-secret');

    reply = { status: 200, body: '{"ok":false,"description":"Bad Request: chat not found"}' };
    await expect(post({ target: 'telegram-soc' }, config)).rejects.toThrow('telegram refused the message: Bad Request: chat not found');
  });

  test('a non-2xx answer is an error naming the status; an unknown target is an error', async () => {
    reply = { status: 503, body: 'maintenance' };
    await expect(post({ url: `${base}/hooks/soc?token=s3cret` })).rejects.toThrow(new RegExp(`^${base.replace(/\./g, '\\.')}/hooks/soc answered 503: maintenance$`));
    await expect(post({ target: 'nope' })).rejects.toThrow('webhook target "nope" is not defined under playbooks.webhooks');
  });

  test('simulate shows the request without sending it', () => {
    const out = notifyWebhook.simulate(actionContext(testServices()), notifyWebhook.params.parse({ ...message, url: `${base}/x`, format: 'slack' })) as { body: { text: string } };
    expect(out.body.text).toContain(message.title);
    expect(hits).toHaveLength(0);
  });
});
