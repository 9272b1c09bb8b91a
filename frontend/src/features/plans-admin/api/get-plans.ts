import type { PlanView } from '@vpn/contracts';
import { api } from '@/lib/api-client';
import { useQuery } from '@/lib/query';

export const getPlans = (signal?: AbortSignal) => api.get<PlanView[]>('/api/admin/plans', { signal });
export const usePlans = () => useQuery('admin:plans', getPlans);
