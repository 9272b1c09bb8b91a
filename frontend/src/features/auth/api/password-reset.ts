import { api } from '@/lib/api-client';

/** POST /api/auth/password-reset → 202 always; a mail with a one-time link goes to an existing account. */
export function requestPasswordReset(email: string): Promise<void> {
  return api.post<void>('/api/auth/password-reset', { email }, { auth: false });
}

/** POST /api/auth/password-reset/confirm → 204; 400 INVALID_TOKEN (used or expired link) / WEAK_PASSWORD. */
export function confirmPasswordReset(input: { token: string; newPassword: string }): Promise<void> {
  return api.post<void>('/api/auth/password-reset/confirm', input, { auth: false });
}
