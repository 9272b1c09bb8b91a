import { useCallback, useRef, useState } from 'react';
import type { AdminUserView } from '@vpn/contracts';
import { api } from '@/lib/api-client';
import { useQuery } from '@/lib/query';

export interface UsersPage {
  items: AdminUserView[];
  nextCursor: string | null;
}

/** One page of users by email; `query` is a case-insensitive part of the email, `cursor` the previous page's nextCursor. */
export function getUsers(opts: { query?: string; cursor?: string }, signal?: AbortSignal): Promise<UsersPage> {
  const q = new URLSearchParams();
  if (opts.query) q.set('query', opts.query);
  if (opts.cursor) q.set('cursor', opts.cursor);
  const search = q.toString();
  return api.get<UsersPage>(`/api/admin/users${search ? `?${search}` : ''}`, { signal });
}

/**
 * The users matching `query`, first page loaded on its own, further pages appended by `loadMore`.
 * A page that arrives after the query changed is dropped.
 */
export function useUsers(query: string) {
  const first = useQuery(`admin:users:${query}`, (signal) => getUsers({ query }, signal));
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const current = useRef(query);
  current.current = query;
  const { data, setData } = first;

  const loadMore = useCallback(async () => {
    const cursor = data?.nextCursor;
    if (!cursor) return;
    const asked = query;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const next = await getUsers({ query: asked, cursor });
      if (current.current !== asked) return;
      setData((prev) => (prev ? { items: [...prev.items, ...next.items], nextCursor: next.nextCursor } : prev));
    } catch (e) {
      setMoreError(e);
    } finally {
      setLoadingMore(false);
    }
  }, [data?.nextCursor, query, setData]);

  return { ...first, loadMore, loadingMore, moreError };
}
