import type { UserView } from '@vpn/contracts';
import { api } from '@/lib/api-client';

export interface RegisterInput {
  email: string;
  password: string;
}

/** POST /api/auth/register → 201 {user}; 409 EMAIL_TAKEN. */
export function register(input: RegisterInput): Promise<{ user: UserView }> {
  return api.post<{ user: UserView }>('/api/auth/register', input, { auth: false });
}
