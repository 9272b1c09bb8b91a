/** How the schedule runs; tests shorten nothing here but SYNC_INTERVAL_SECONDS. */
export interface SyncTiming {
  intervalSeconds: number;
  /** Extra delay of each next run, as a share of the interval (0.1 = up to 10% later). */
  jitter: number;
  /** A lease outlives any sane run; a crashed holder's servers are taken over after it. */
  leaseSeconds: number;
  /** How often a replica looks for due servers. */
  tickMs: number;
  /** Concurrent runs per replica. */
  concurrency: number;
  /** How long `sync.run` waits for a lease another replica holds. */
  manualWaitMs: number;
}

export const SYNC_TIMING = Symbol('SYNC_TIMING');

export function syncTiming(intervalSeconds: number): SyncTiming {
  return {
    intervalSeconds,
    jitter: 0.1,
    leaseSeconds: 120,
    tickMs: Math.min(5_000, Math.max(100, Math.floor((intervalSeconds * 1000) / 10))),
    concurrency: 8,
    manualWaitMs: 15_000,
  };
}
