/** The SMTP client behind notify.email and approval escalations (nodemailer; TLS or STARTTLS; AUTH). */
import { createTransport, type Transporter } from 'nodemailer';
import type { SmtpConfig } from '../config';
import { PermanentStepError, type EmailMessage, type EmailSender } from './types';

export function createEmailSender(smtp: SmtpConfig): EmailSender {
  let transport: Transporter | undefined;
  const get = (): Transporter => {
    if (smtp.host === '') throw new PermanentStepError('email is not configured (set smtp.host in socnoc.yaml)');
    transport ??= createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      requireTLS: smtp.requireTLS,
      auth: smtp.auth.user !== '' ? { user: smtp.auth.user, pass: smtp.auth.pass } : undefined,
      tls: { rejectUnauthorized: smtp.rejectUnauthorized },
      connectionTimeout: smtp.timeoutMs,
      greetingTimeout: smtp.timeoutMs,
      socketTimeout: smtp.timeoutMs,
    });
    return transport;
  };
  return {
    async send(message: EmailMessage) {
      const domain = smtp.from.includes('@') ? smtp.from.slice(smtp.from.lastIndexOf('@') + 1).replace(/>$/, '') : 'socnoc.local';
      const info = await get().sendMail({
        from: smtp.from,
        to: message.to,
        cc: message.cc,
        subject: message.subject,
        text: message.text,
        html: message.html,
        attachments: message.attachments,
        // The same key gives the same Message-ID, so a re-sent notification is recognisable as a duplicate.
        messageId: message.idempotencyKey ? `<${message.idempotencyKey.replace(/[^A-Za-z0-9.:_-]/g, '_')}@${domain}>` : undefined,
      });
      const list = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : String((x as { address?: string }).address ?? ''))) : []);
      return { messageId: String(info.messageId), accepted: list(info.accepted), rejected: list(info.rejected) };
    },
  };
}
