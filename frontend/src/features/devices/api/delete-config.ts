import { api } from '@/lib/api-client';

/** DELETE /api/configs/:id → 204 once the peer is gone from the server. */
export const deleteConfig = (id: string) => api.delete(`/api/configs/${encodeURIComponent(id)}`);
