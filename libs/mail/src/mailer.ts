import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import type { Logger } from '@vpn/runtime';
import type { MailMessage, MailReceipt } from './mail-message';

export interface MailerOptions {
  /** `smtp://user:pass@host:port`; unset: every mail is written to `<dataDir>/mail/` as an .eml file. */
  smtpUrl: string | undefined;
  dataDir: string;
  /** The sender address, e.g. `no-reply@vpn.example.com`. */
  from: string;
}

/** Where mails go when there is no SMTP server: DATA_DIR/mail. */
export function mailDirectory(dataDir: string): string {
  return resolve(join(dataDir, 'mail'));
}

/**
 * Sends mail with nodemailer: over SMTP when SMTP_URL is set, otherwise rendered to an .eml file
 * under DATA_DIR/mail (so a start without a mail server still works and the mail can be opened).
 * Logs where a mail went, never its content: mails carry one-time links.
 */
export class Mailer {
  private readonly transport: Transporter;

  constructor(private readonly options: MailerOptions, private readonly logger: Logger) {
    this.transport = options.smtpUrl
      ? createTransport(options.smtpUrl)
      : createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  get deliversOverSmtp(): boolean {
    return this.options.smtpUrl !== undefined;
  }

  async send(message: MailMessage): Promise<MailReceipt> {
    const info = await this.transport.sendMail({ from: this.options.from, ...message }) as { messageId: string; message?: Buffer };
    if (this.deliversOverSmtp) {
      this.logger.info({ to: message.to, subject: message.subject, messageId: info.messageId }, 'mail sent over SMTP');
      return { via: 'smtp', messageId: info.messageId };
    }
    const dir = mailDirectory(this.options.dataDir);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`);
    // 0600: the file holds the one-time link.
    writeFileSync(path, info.message ?? Buffer.alloc(0), { mode: 0o600 });
    this.logger.info({ to: message.to, subject: message.subject, file: path }, `no SMTP_URL: mail written to ${path}`);
    return { via: 'file', path };
  }

  close(): void {
    this.transport.close();
  }
}
