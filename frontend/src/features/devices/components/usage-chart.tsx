import { useState } from 'react';
import { cn, ErrorMessage, focusRing, Skeleton } from '@/components/ui';
import { formatBytes } from '@/lib/format';
import { bucketUsage, useUsage, type UsageRange } from '../api/get-usage';

const W = 640;
const H = 180;
const PAD_B = 20;

/** Received (teal) and sent (slate) bytes per hour (24 h) or per day (30 days) as stacked bars. */
export function UsageChart({ configId }: { configId: string }) {
  const [range, setRange] = useState<UsageRange>('24h');
  const usage = useUsage(configId, range);
  const buckets = usage.data ? bucketUsage(usage.data, range) : [];
  const max = Math.max(1, ...buckets.map((b) => b.rx + b.tx));
  const totalRx = buckets.reduce((s, b) => s + b.rx, 0);
  const totalTx = buckets.reduce((s, b) => s + b.tx, 0);
  const bw = buckets.length ? W / buckets.length : W;
  const scale = (v: number) => (v / max) * (H - PAD_B - 8);
  const label = (t: number) =>
    range === '24h' ? new Date(t).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : new Date(t).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });

  return (
    <div>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <div role="tablist" aria-label="Usage period" className="inline-flex rounded-lg bg-slate-100 p-1 dark:bg-slate-800">
          {(['24h', '30d'] as const).map((r) => (
            <button
              key={r}
              role="tab"
              aria-selected={range === r}
              onClick={() => setRange(r)}
              className={cn(
                'rounded-md px-3 py-1 text-sm font-medium',
                focusRing,
                range === r ? 'bg-white shadow-sm dark:bg-slate-950' : 'text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100',
              )}
            >
              {r === '24h' ? 'Last 24 hours' : 'Last 30 days'}
            </button>
          ))}
        </div>
        <p className="text-sm text-slate-500 dark:text-slate-400">
          <span className="mr-3 inline-flex items-center gap-1.5">
            <span aria-hidden="true" className="size-2 rounded-sm bg-teal-500" />↓ {formatBytes(totalRx)}
          </span>
          <span className="inline-flex items-center gap-1.5">
            <span aria-hidden="true" className="size-2 rounded-sm bg-slate-400" />↑ {formatBytes(totalTx)}
          </span>
        </p>
      </div>
      <div className="relative h-[180px]">
        {usage.isLoading && !usage.data ? (
          <Skeleton className="h-full" />
        ) : usage.error ? (
          <ErrorMessage error={usage.error} onRetry={usage.refetch} />
        ) : totalRx + totalTx === 0 ? (
          <div className="flex h-full items-center justify-center rounded-lg border border-dashed border-slate-300 text-center text-sm text-slate-500 dark:border-slate-700 dark:text-slate-400">
            No traffic in this period yet. Connect the device and usage appears after the next sync.
          </div>
        ) : (
          <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" className="h-full w-full" role="img" aria-label={`Traffic, ${range === '24h' ? 'last 24 hours' : 'last 30 days'}: received ${formatBytes(totalRx)}, sent ${formatBytes(totalTx)}`}>
            {buckets.map((b, i) => {
              const rx = scale(b.rx);
              const tx = scale(b.tx);
              const x = i * bw + bw * 0.15;
              const w = bw * 0.7;
              return (
                <g key={b.start}>
                  <title>{`${label(b.start)}: ↓ ${formatBytes(b.rx)} ↑ ${formatBytes(b.tx)}`}</title>
                  <rect x={x} y={H - PAD_B - rx} width={w} height={rx} className="fill-teal-500" rx="1" />
                  <rect x={x} y={H - PAD_B - rx - tx} width={w} height={tx} className="fill-slate-400" rx="1" />
                </g>
              );
            })}
            <line x1="0" x2={W} y1={H - PAD_B} y2={H - PAD_B} className="stroke-slate-300 dark:stroke-slate-700" />
          </svg>
        )}
      </div>
      <div className="mt-1 flex justify-between text-xs text-slate-500 dark:text-slate-400" aria-hidden="true">
        <span>{buckets.length ? label(buckets[0].start) : '\u00a0'}</span>
        <span>now</span>
      </div>
    </div>
  );
}
