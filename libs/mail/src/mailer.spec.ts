import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@vpn/runtime';
import { escapeHtml } from './mail-message';
import { Mailer, mailDirectory } from './mailer';

describe(Mailer.name, () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'mailer-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('without SMTP_URL writes each mail as an .eml file (0600) under DATA_DIR/mail, with its text and HTML parts', async () => {
    const mailer = new Mailer({ smtpUrl: undefined, dataDir, from: 'no-reply@vpn.example.test' }, createLogger({ level: 'silent', name: 'test' }));
    const receipt = await mailer.send({ to: 'alice@example.com', subject: 'Hello Alice', text: 'plain body', html: '<p>html body</p>' });
    expect(receipt.via).toBe('file');
    const files = readdirSync(mailDirectory(dataDir));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
    const path = join(mailDirectory(dataDir), files[0]);
    expect(receipt).toEqual({ via: 'file', path });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const eml = readFileSync(path, 'utf8');
    expect(eml).toMatch(/^To: alice@example\.com$/m);
    expect(eml).toMatch(/^From: no-reply@vpn\.example\.test$/m);
    expect(eml).toMatch(/^Subject: Hello Alice$/m);
    expect(eml).toContain('Content-Type: text/plain');
    expect(eml).toContain('plain body');
    expect(eml).toContain('Content-Type: text/html');
    expect(eml).toContain('<p>html body</p>');
  });

  it('escapes text for HTML', () => {
    expect(escapeHtml(`<a href="x?a=1&b='2'">`)).toBe('&lt;a href=&quot;x?a=1&amp;b=&#39;2&#39;&quot;&gt;');
  });
});
