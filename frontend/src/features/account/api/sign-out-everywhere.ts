import { api } from '@/lib/api-client';

/** POST /api/me/sessions/revoke → 204: every session ends, this one too. */
export function signOutEverywhere(): Promise<void> {
  return api.post<void>('/api/me/sessions/revoke');
}
