import type { UsageSampleView } from '@vpn/contracts';
import { api } from '@/lib/api-client';
import { useQuery } from '@/lib/query';

export type UsageRange = '24h' | '30d';

const HOUR = 3600_000;
export const RANGE_MS: Record<UsageRange, number> = { '24h': 24 * HOUR, '30d': 30 * 24 * HOUR };

/** Hourly samples: bytes received and sent during each hour. */
export function getUsage(id: string, from: Date, to: Date, signal?: AbortSignal): Promise<UsageSampleView[]> {
  const q = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
  return api.get<UsageSampleView[]>(`/api/configs/${encodeURIComponent(id)}/usage?${q.toString()}`, { signal });
}

export function useUsage(id: string, range: UsageRange) {
  return useQuery(`usage:${id}:${range}`, (s) => {
    const to = new Date();
    return getUsage(id, new Date(to.getTime() - RANGE_MS[range]), to, s);
  });
}

export interface UsageBucket {
  start: number;
  rx: number;
  tx: number;
}

/**
 * Samples laid on a fixed grid (hours for 24 h, days for 30 d) ending now; empty buckets are zero,
 * so the chart's width never depends on how much data there is.
 */
export function bucketUsage(samples: readonly UsageSampleView[], range: UsageRange, now = Date.now()): UsageBucket[] {
  const size = range === '24h' ? HOUR : 24 * HOUR;
  const count = range === '24h' ? 24 : 30;
  const end = Math.floor(now / size) * size;
  const first = end - (count - 1) * size;
  const buckets: UsageBucket[] = Array.from({ length: count }, (_, i) => ({ start: first + i * size, rx: 0, tx: 0 }));
  for (const s of samples) {
    const i = Math.floor((new Date(s.at).getTime() - first) / size);
    if (i < 0 || i >= count) continue;
    buckets[i].rx += s.rxBytes;
    buckets[i].tx += s.txBytes;
  }
  return buckets;
}
