import { api } from '@/lib/api-client';

export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
}

/** POST /api/me/password → 204; every other session ends. 400 INVALID_CREDENTIALS / WEAK_PASSWORD. */
export function changePassword(input: ChangePasswordInput): Promise<void> {
  return api.post<void>('/api/me/password', input);
}
