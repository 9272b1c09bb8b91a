import type { PublicServerView } from '@vpn/contracts';
import { api } from '@/lib/api-client';
import { useQuery } from '@/lib/query';

export const getServers = (signal?: AbortSignal) => api.get<PublicServerView[]>('/api/servers', { signal });

export const useServers = () => useQuery('servers', getServers);
