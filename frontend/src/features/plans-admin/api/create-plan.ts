import type { PlanView } from '@vpn/contracts';
import { api } from '@/lib/api-client';

export const createPlan = (input: { name: string; maxDevices: number }) => api.post<PlanView>('/api/admin/plans', input);
