import type { PlanView } from '@vpn/contracts';
import { api } from '@/lib/api-client';
import { useQuery } from '@/lib/query';

/** The plans a user can be moved to. */
export const usePlanChoices = () => useQuery('admin:plans', (signal) => api.get<PlanView[]>('/api/admin/plans', { signal }));
