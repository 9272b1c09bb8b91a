import type { UsageBucket } from '../api/get-usage';

/** Total traffic per bucket as a small line; flat when there is none. */
export function Sparkline({ buckets, width = 96, height = 28, label }: { buckets: readonly UsageBucket[]; width?: number; height?: number; label: string }) {
  const values = buckets.map((b) => b.rx + b.tx);
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const pts = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
  const area = `0,${height} ${pts.join(' ')} ${width},${height}`;
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} className="text-teal-600 dark:text-teal-400">
      <polygon points={area} className="fill-current opacity-10" />
      <polyline points={pts.join(' ')} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" strokeLinecap="round" />
    </svg>
  );
}
