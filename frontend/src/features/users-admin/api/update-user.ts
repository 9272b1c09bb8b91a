import type { AdminUserView, Role } from '@vpn/contracts';
import { api } from '@/lib/api-client';

export interface UpdateUserInput {
  id: string;
  planId?: string;
  role?: Role;
  disabled?: boolean;
}

export const updateUser = ({ id, ...patch }: UpdateUserInput) => api.patch<AdminUserView>(`/api/admin/users/${encodeURIComponent(id)}`, patch);
