import { Counter, Gauge, Histogram, register } from 'prom-client';

/**
 * Sync's metrics on prom-client's default registry (served by the gateway in the single-process
 * start and by the health listener's /metrics of a sync process). Created once per process: two
 * sync modules in one process (tests) share them.
 */
export interface SyncMetrics {
  duration: Histogram<'server_id' | 'outcome'>;
  added: Counter<'server_id'>;
  removed: Counter<'server_id'>;
  lastSyncAge: Gauge<'server_id'>;
}

type AgeSource = () => Promise<Array<{ id: string; age: number | null }>>;
const ageSources = new Set<AgeSource>();
let metrics: SyncMetrics | null = null;

export function syncMetrics(): SyncMetrics {
  if (metrics) return metrics;
  // A module reloaded in the same process (jest) finds its old metrics registered.
  for (const n of ['vpn_sync_duration_seconds', 'vpn_sync_peers_added_total', 'vpn_sync_peers_removed_total', 'vpn_sync_last_success_age_seconds']) {
    if (register.getSingleMetric(n)) register.removeSingleMetric(n);
  }
  metrics = {
    duration: new Histogram({
      name: 'vpn_sync_duration_seconds',
      help: 'Duration of one reconciliation of a server, by outcome (ok, unreachable, aborted, failed)',
      labelNames: ['server_id', 'outcome'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    }),
    added: new Counter({ name: 'vpn_sync_peers_added_total', help: 'Peers re-added by reconciliation', labelNames: ['server_id'] as const }),
    removed: new Counter({ name: 'vpn_sync_peers_removed_total', help: 'Peers removed by reconciliation (orphans and suspended)', labelNames: ['server_id'] as const }),
    lastSyncAge: new Gauge({
      name: 'vpn_sync_last_success_age_seconds',
      help: 'Seconds since the last successful reconciliation of a server (from vpn.servers.last_sync_at)',
      labelNames: ['server_id'] as const,
      async collect() {
        const source = [...ageSources][0];
        if (!source) return;
        try {
          const ages = await source();
          this.reset();
          for (const a of ages) if (a.age !== null) this.set({ server_id: a.id }, a.age);
        } catch {
          // database away: keep the last values rather than fail the scrape
        }
      },
    }),
  };
  return metrics;
}

/** The gauge reads the database of a live sync module; stopping it removes its source. */
export function registerAgeSource(source: AgeSource): () => void {
  ageSources.add(source);
  return () => ageSources.delete(source);
}
