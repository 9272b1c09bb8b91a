import type { ConfigView } from '@vpn/contracts';
import { api } from '@/lib/api-client';
import { useQuery } from '@/lib/query';

export const getConfig = (id: string, signal?: AbortSignal) => api.get<ConfigView>(`/api/configs/${encodeURIComponent(id)}`, { signal });

export const useConfig = (id: string) => useQuery(`config:${id}`, (s) => getConfig(id, s), { intervalMs: 30_000 });
