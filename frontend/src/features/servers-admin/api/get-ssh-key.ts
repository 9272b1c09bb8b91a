import { api } from '@/lib/api-client';
import { useQuery } from '@/lib/query';

/** The provisioner's OpenSSH public key line, for the server's authorized_keys. */
export const getSshKey = (signal?: AbortSignal) => api.get<{ publicKey: string }>('/api/admin/ssh-key', { signal });

export const useSshKey = () => useQuery('admin:ssh-key', getSshKey);
