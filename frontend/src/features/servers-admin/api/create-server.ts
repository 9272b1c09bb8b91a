import type { RegisterServerCommand, ServerView } from '@vpn/contracts';
import { api } from '@/lib/api-client';

/** The body of POST /api/admin/servers: the same shape the provisioning service registers. */
export type CreateServerInput = RegisterServerCommand;

/** Registers a server after an SSH check (502 SSH_UNREACHABLE / HOST_KEY_MISMATCH). */
export const createServer = (input: CreateServerInput) => api.post<ServerView>('/api/admin/servers', input);
