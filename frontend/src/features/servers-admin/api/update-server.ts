import type { ServerView } from '@vpn/contracts';
import { api } from '@/lib/api-client';

export interface UpdateServerInput {
  name?: string;
  location?: string;
  maintenance?: boolean;
  dns?: string[];
}

export const updateServer = ({ id, ...patch }: UpdateServerInput & { id: string }) => api.patch<ServerView>(`/api/admin/servers/${encodeURIComponent(id)}`, patch);

export const deleteServer = (id: string) => api.delete(`/api/admin/servers/${encodeURIComponent(id)}`);
