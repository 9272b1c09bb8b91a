import { escapeHtml, type MailMessage } from '@vpn/mail';

/** The mail carrying a one-time password-reset link, as plain text and HTML. */
export function passwordResetMail(to: string, link: string, validMinutes: number): MailMessage {
  const text = [
    'Someone asked to reset the password of your VPN account.',
    '',
    `Open this link within ${validMinutes} minutes to choose a new password (it works once):`,
    link,
    '',
    'If it was not you, ignore this mail: your password stays as it is.',
  ].join('\n');
  const href = escapeHtml(link);
  const html = `<!doctype html><html><body style="font-family: sans-serif">
<p>Someone asked to reset the password of your VPN account.</p>
<p>Open this link within ${validMinutes} minutes to choose a new password (it works once):</p>
<p><a href="${href}">${href}</a></p>
<p>If it was not you, ignore this mail: your password stays as it is.</p>
</body></html>`;
  return { to, subject: 'Reset your VPN password', text, html };
}
