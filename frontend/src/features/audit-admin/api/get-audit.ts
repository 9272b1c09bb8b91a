import type { AuditEntryView } from '@vpn/contracts';
import { api } from '@/lib/api-client';
import { useQuery } from '@/lib/query';

export const AUDIT_PAGE_SIZE = 25;

/** Newest first; `before` is the id of the last entry of the previous page (keyset paging). */
export function getAudit(opts: { limit: number; before?: string }, signal?: AbortSignal): Promise<AuditEntryView[]> {
  const q = new URLSearchParams({ limit: String(opts.limit) });
  if (opts.before) q.set('before', opts.before);
  return api.get<AuditEntryView[]>(`/api/admin/audit?${q.toString()}`, { signal });
}

/** One page; asks for one extra entry to know whether an older page exists. */
export function useAuditPage(before: string | undefined) {
  return useQuery(`admin:audit:${before ?? ''}`, (s) => getAudit({ limit: AUDIT_PAGE_SIZE + 1, before }, s));
}
