import type { ServerView } from '@vpn/contracts';
import { api } from '@/lib/api-client';
import { useQuery } from '@/lib/query';

export const getAdminServers = (signal?: AbortSignal) => api.get<ServerView[]>('/api/admin/servers', { signal });

export const useAdminServers = () => useQuery('admin:servers', getAdminServers, { intervalMs: 30_000 });
