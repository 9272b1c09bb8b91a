import type { MeView } from '@vpn/contracts';
import { api } from '@/lib/api-client';
import { useQuery } from '@/lib/query';

export const getMe = (signal?: AbortSignal) => api.get<MeView>('/api/me', { signal });

/** Plan and device count ("2 of 3 devices"). */
export const useMe = () => useQuery('me', getMe);
