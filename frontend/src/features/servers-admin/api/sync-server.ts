import type { SyncReport } from '@vpn/contracts';
import { api } from '@/lib/api-client';

/** One reconciliation of the server, now. */
export const syncServer = (id: string) => api.post<SyncReport>(`/api/admin/servers/${encodeURIComponent(id)}/sync`);
