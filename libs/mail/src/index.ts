export { Mailer, mailDirectory, type MailerOptions } from './mailer';
export { escapeHtml, type MailMessage, type MailReceipt } from './mail-message';
