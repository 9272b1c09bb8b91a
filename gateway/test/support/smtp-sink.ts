import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A mail as the sink received it: envelope recipients and the parsed message. */
export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/**
 * A real SMTP server on loopback (the `smtp-server` package) that keeps every message it accepts;
 * it requires the login `user`/`pass` of its URL, over plain SMTP (no STARTTLS on loopback).
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  private readonly waiters: Array<() => void> = [];
  private readonly server: SMTPServer;

  constructor(private readonly user = 'mailer', private readonly pass = 'sink-secret') {
    this.server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      onAuth: (auth, _session, done) => (auth.username === this.user && auth.password === this.pass
        ? done(null, { user: auth.username })
        : done(new Error('bad login'))),
      onData: (stream, session, done) => {
        simpleParser(stream).then((mail: ParsedMail) => {
          this.received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
          });
          this.waiters.splice(0).forEach((wake) => wake());
          done();
        }, (e: Error) => done(e));
      },
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = this.server.server.address() as AddressInfo;
    return `smtp://${this.user}:${this.pass}@127.0.0.1:${port}`;
  }

  /** The first mail to `address` received after `since` mails, waiting up to `timeoutMs`. */
  async mailTo(address: string, since = 0, timeoutMs = 10_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.slice(since).find((m) => m.to.includes(address));
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no mail to ${address} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
