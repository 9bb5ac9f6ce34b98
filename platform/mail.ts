import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Config } from './config.ts';

/** One email. `key` names it: sending the same key again replaces the earlier copy where the transport can. */
export interface MailMessage {
  key: string;
  to: string;
  subject: string;
  text: string;
  /** The same message as HTML, sent beside the text as multipart/alternative. */
  html?: string;
  /** Where the recipient stops mail of this kind: List-Unsubscribe, with one-click unsubscribe (RFC 8058). */
  unsubscribeUrl?: string;
}

export interface Mailer {
  /** Resolves once the message is handed to the SMTP server, or written in full to its file. */
  send(m: MailMessage): Promise<void>;
  close(): void;
}

/** Text made safe to stand in an email's HTML. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const SAFE_KEY = /^[A-Za-z0-9._-]{1,200}$/;
const DOMAIN = 'flashline.local';

/**
 * Email through nodemailer: SMTP when `SMTP_URL` is set, otherwise an RFC 822 `.eml` file per message in
 * `MAIL_DIR`, named `<key>.eml` and written atomically, so a resend overwrites rather than duplicates. Every
 * message carries `Message-ID: <key@flashline.local>`, so mail clients also fold SMTP resends together.
 */
export function createMailer(
  config: Pick<Config, 'SMTP_URL' | 'MAIL_DIR'>,
  from = `flashline <orders@${DOMAIN}>`,
): Mailer {
  const envelope = (m: MailMessage) => {
    if (!SAFE_KEY.test(m.key)) throw new Error(`mail key must match ${SAFE_KEY.source}: ${m.key}`);
    return {
      from,
      to: m.to,
      subject: m.subject,
      text: m.text,
      ...(m.html !== undefined ? { html: m.html } : {}),
      ...(m.unsubscribeUrl !== undefined
        ? { headers: { 'List-Unsubscribe': `<${m.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } }
        : {}),
      messageId: `<${m.key}@${DOMAIN}>`,
    };
  };

  if (config.SMTP_URL !== undefined) {
    const smtp = nodemailer.createTransport(config.SMTP_URL);
    return {
      send: async (m) => {
        await smtp.sendMail(envelope(m));
      },
      close: () => smtp.close(),
    };
  }

  const dir = config.MAIL_DIR;
  return {
    async send(m) {
      // The composer the stream transport wraps, without the transport's plugin pipeline: the same bytes for
      // half the CPU, which counts when a drop confirms a thousand orders at once.
      const body = await new MailComposer({ ...envelope(m), newline: 'unix' }).compile().build();
      const file = join(dir, `${m.key}.eml`);
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, body).catch(async (err: unknown) => {
        // The folder is made when a write first finds it missing, not before every message.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        await mkdir(dir, { recursive: true });
        await writeFile(tmp, body);
      });
      await rename(tmp, file);
    },
    close: () => undefined,
  };
}
