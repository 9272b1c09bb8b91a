import { Skeleton } from '@/components/ui';
import { formatBytes } from '@/lib/format';
import { bucketUsage, useUsage } from '../api/get-usage';
import { Sparkline } from './sparkline';

/** The last 24 hours of one device, as a sparkline (same size while loading, on error and when empty). */
export function DeviceUsageSparkline({ configId }: { configId: string }) {
  const usage = useUsage(configId, '24h');
  if (usage.isLoading && !usage.data) return <Skeleton className="h-7 w-24" />;
  if (usage.error || !usage.data) return <div className="h-7 w-24 text-xs text-slate-400" title="Usage unavailable" aria-label="Usage unavailable" />;
  const buckets = bucketUsage(usage.data, '24h');
  const total = buckets.reduce((s, b) => s + b.rx + b.tx, 0);
  return <Sparkline buckets={buckets} label={`Traffic in the last 24 hours: ${formatBytes(total)}`} />;
}
