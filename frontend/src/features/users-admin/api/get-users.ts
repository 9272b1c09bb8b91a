import type { AdminUserView } from '@vpn/contracts';
import { api } from '@/lib/api-client';
import { useQuery } from '@/lib/query';

export const getUsers = (signal?: AbortSignal) => api.get<AdminUserView[]>('/api/admin/users', { signal });

export const useUsers = () => useQuery('admin:users', getUsers);
