import { api } from '@/lib/api-client';

export interface TotpEnrolment {
  secret: string;
  otpauthUrl: string;
}

/** POST /api/me/totp → a pending secret, active once confirmed. */
export function enrolTotp(): Promise<TotpEnrolment> {
  return api.post<TotpEnrolment>('/api/me/totp');
}

/** POST /api/me/totp/confirm → ten single-use recovery codes, shown once. */
export function confirmTotp(code: string): Promise<{ recoveryCodes: string[] }> {
  return api.post<{ recoveryCodes: string[] }>('/api/me/totp/confirm', { code });
}

/** DELETE /api/me/totp with a current code or a recovery code. */
export function disableTotp(code: string): Promise<void> {
  return api.delete<void>('/api/me/totp', { body: { code } });
}
