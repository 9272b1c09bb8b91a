import type { ConfigView } from '@vpn/contracts';
import { api } from '@/lib/api-client';
import { useQuery } from '@/lib/query';

export const getConfigs = (signal?: AbortSignal) => api.get<ConfigView[]>('/api/configs', { signal });

/** The caller's devices, refreshed every 30 s so handshakes and counters stay current. */
export const useConfigs = () => useQuery('configs', getConfigs, { intervalMs: 30_000 });
