import type { PlanView } from '@vpn/contracts';
import { api } from '@/lib/api-client';

export const updatePlan = ({ id, ...patch }: { id: string; name?: string; maxDevices?: number }) => api.patch<PlanView>(`/api/admin/plans/${encodeURIComponent(id)}`, patch);
