import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { createMailer } from './mail.ts';

const dirs: string[] = [];
const mailDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'flashline-mail-'));
  dirs.push(dir);
  return join(dir, 'mail'); // made by the first message
};
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const message = { key: 'order-0b7f', to: 'ada@example.test', subject: 'Your order 0b7f is confirmed', text: 'Item: 1 × Sneaker\n— flashline\n' };
const withoutDate = (eml: string) => eml.replace(/^Date: .*\n/m, '');

describe('file mailer', () => {
  it('writes the message nodemailer’s stream transport would give, one file per key', async () => {
    const dir = await mailDir();
    const mailer = createMailer({ SMTP_URL: undefined, MAIL_DIR: dir });
    await mailer.send(message);
    const eml = await readFile(join(dir, 'order-0b7f.eml'), 'utf8');

    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    const reference = await transport.sendMail({
      from: 'flashline <orders@flashline.local>',
      to: message.to,
      subject: message.subject,
      text: message.text,
      messageId: '<order-0b7f@flashline.local>',
    });
    expect(withoutDate(eml)).toBe(withoutDate((reference.message as Buffer).toString('utf8')));
    expect(eml).toContain('Message-ID: <order-0b7f@flashline.local>');
    expect(eml).not.toContain('\r');
  });

  it('replaces the earlier copy when the same key is sent again, and leaves no temporary file', async () => {
    const dir = await mailDir();
    const mailer = createMailer({ SMTP_URL: undefined, MAIL_DIR: dir });
    await mailer.send(message);
    await mailer.send({ ...message, text: 'second copy\n' });
    expect(await readdir(dir)).toEqual(['order-0b7f.eml']);
    expect(await readFile(join(dir, 'order-0b7f.eml'), 'utf8')).toContain('second copy');
  });

  it('sends HTML beside the text, and a one-click unsubscribe link', async () => {
    const dir = await mailDir();
    const mailer = createMailer({ SMTP_URL: undefined, MAIL_DIR: dir });
    await mailer.send({ ...message, html: '<p>Item: 1 &times; Sneaker</p>', unsubscribeUrl: 'https://shop.example/u?t=1' });
    const eml = await readFile(join(dir, 'order-0b7f.eml'), 'utf8');
    expect(eml).toMatch(/Content-Type: multipart\/alternative/);
    expect(eml).toContain('Content-Type: text/plain');
    expect(eml).toContain('Content-Type: text/html');
    expect(eml).toContain('List-Unsubscribe: <https://shop.example/u?t=1>');
    expect(eml).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  });

  it('refuses a key that is not safe as a file name', async () => {
    const mailer = createMailer({ SMTP_URL: undefined, MAIL_DIR: await mailDir() });
    await expect(mailer.send({ ...message, key: '../escape' })).rejects.toThrow(/mail key/);
  });
});
