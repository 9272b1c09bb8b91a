import type { ServerView } from '@vpn/contracts';
import { api } from '@/lib/api-client';

export interface CreateServerInput {
  name: string;
  location?: string;
  host: string;
  sshPort?: number;
  sshUser?: string;
  sshHostKey?: string;
  endpoint: string;
  interface?: string;
  addressPool: string;
  dns?: string[];
}

/** Registers a server after an SSH check (502 SSH_UNREACHABLE / HOST_KEY_MISMATCH). */
export const createServer = (input: CreateServerInput) => api.post<ServerView>('/api/admin/servers', input);
