/** notify.email against a real SMTP server (npm smtp-server) on 127.0.0.1 with AUTH, plain and STARTTLS. */
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { SMTPServer } from 'smtp-server';
import { smtpConfigSchema } from '../config';
import { actionContext, testServices } from '../testdata/fixtures';
import { createEmailSender } from './email-transport';
import { notifyEmail } from './notify-email';

interface Received {
  from: string;
  to: string[];
  raw: string;
  user: string | undefined;
  secure: boolean;
}

async function startSmtp(opts: { tls?: { key: string; cert: string } } = {}): Promise<{ port: number; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    allowInsecureAuth: !opts.tls,
    disabledCommands: opts.tls ? [] : ['STARTTLS'],
    ...(opts.tls ? { key: opts.tls.key, cert: opts.tls.cert } : {}),
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'socnoc' && auth.password === 'Mail-Relay-Pass1') callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: session.user as string | undefined,
          secure: session.secure,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function smtp(port: number, extra: Record<string, unknown> = {}) {
  return smtpConfigSchema.parse({ host: '127.0.0.1', port, secure: false, auth: { user: 'socnoc', pass: 'Mail-Relay-Pass1' }, from: 'socnoc@so-yte.hanoi.gov.vn', timeoutMs: 5000, ...extra });
}

describe('notify.email with a real SMTP server', () => {
  test('delivers to soc_email with the rendered subject and body, authenticated', async () => {
    const server = await startSmtp();
    try {
      const services = testServices({ email: createEmailSender(smtp(server.port)), socEmail: ['soc@so-yte.hanoi.gov.vn', 'duty@so-yte.hanoi.gov.vn'] });
      const params = notifyEmail.params.parse({ subject: '[socnoc] HIGH: SSH brute force from 198.51.100.30', body: 'Ten failed logins for root on web01.\nĐã chặn địa chỉ nguồn.' });
      const result = await notifyEmail.run(actionContext(services, { idempotencyKey: 'run-42:notify-soc' }), params);
      expect(result.output).toMatchObject({ accepted: ['soc@so-yte.hanoi.gov.vn', 'duty@so-yte.hanoi.gov.vn'], rejected: [] });
      expect(server.received).toHaveLength(1);
      const mail = server.received[0];
      expect(mail.user).toBe('socnoc');
      expect(mail.from).toBe('socnoc@so-yte.hanoi.gov.vn');
      expect(mail.to).toEqual(['soc@so-yte.hanoi.gov.vn', 'duty@so-yte.hanoi.gov.vn']);
      expect(mail.raw).toMatch(/^Subject: \[socnoc\] HIGH: SSH brute force from 198\.51\.100\.30\r?$/m);
      expect(mail.raw).toMatch(/^Message-ID: <run-42:notify-soc@so-yte\.hanoi\.gov\.vn>\r?$/m);
      // Vietnamese text survives (quoted-printable in UTF-8).
      const body = mail.raw.split(/\r?\n\r?\n/).slice(1).join('\n');
      const decoded = Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
      expect(decoded).toContain('Ten failed logins for root on web01.');
      expect(decoded).toContain('Đã chặn địa chỉ nguồn.');
    } finally {
      await server.close();
    }
  });

  test('explicit recipients and cc replace soc_email', async () => {
    const server = await startSmtp();
    try {
      const services = testServices({ email: createEmailSender(smtp(server.port)) });
      const params = notifyEmail.params.parse({ to: 'noc@so-yte.hanoi.gov.vn', cc: ['lead@so-yte.hanoi.gov.vn'], subject: 'device down', body: 'core-sw1 is down' });
      await notifyEmail.run(actionContext(services), params);
      expect(server.received[0].to).toEqual(['noc@so-yte.hanoi.gov.vn', 'lead@so-yte.hanoi.gov.vn']);
      expect(server.received[0].raw).toMatch(/^Cc: lead@so-yte\.hanoi\.gov\.vn\r?$/m);
    } finally {
      await server.close();
    }
  });

  test('a wrong password is a step error and nothing is delivered', async () => {
    const server = await startSmtp();
    try {
      const services = testServices({ email: createEmailSender(smtp(server.port, { auth: { user: 'socnoc', pass: 'wrong' } })) });
      const params = notifyEmail.params.parse({ subject: 's', body: 'b' });
      await expect(notifyEmail.run(actionContext(services), params)).rejects.toThrow(/Invalid login|Invalid username or password|535/);
      expect(server.received).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  test('STARTTLS: the session is upgraded before AUTH when requireTLS is set', async () => {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], { keySize: 2048, algorithm: 'sha256' });
    const server = await startSmtp({ tls: { key: pems.private, cert: pems.cert } });
    try {
      const services = testServices({ email: createEmailSender(smtp(server.port, { requireTLS: true, rejectUnauthorized: false })) });
      await notifyEmail.run(actionContext(services), notifyEmail.params.parse({ subject: 'over tls', body: 'x' }));
      expect(server.received[0].secure).toBe(true);
      expect(server.received[0].user).toBe('socnoc');
    } finally {
      await server.close();
    }
  });

  test('no smtp.host: a clear error; no recipients at all: a clear error', async () => {
    const noHost = testServices({ email: createEmailSender(smtpConfigSchema.parse({})) });
    await expect(notifyEmail.run(actionContext(noHost), notifyEmail.params.parse({ subject: 's', body: 'b' }))).rejects.toThrow('email is not configured (set smtp.host in socnoc.yaml)');
    const noRecipients = testServices({ socEmail: [] });
    await expect(notifyEmail.run(actionContext(noRecipients), notifyEmail.params.parse({ subject: 's', body: 'b' }))).rejects.toThrow('no recipients: the step names none and soc_email is empty');
    expect(() => notifyEmail.simulate(actionContext(noRecipients), notifyEmail.params.parse({ to: 'not-an-address', subject: 's', body: 'b' }))).toThrow('recipient "not-an-address" is not an email address');
  });
});
