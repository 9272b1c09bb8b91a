import { Histogram, register } from 'prom-client';

/**
 * Provisioning's metrics on prom-client's default registry (a provisioning process's /metrics; the
 * gateway's in `npm start`): where a create spends its time, and how well peer changes coalesce.
 */
export interface ProvisioningMetrics {
  step: Histogram<'step'>;
  peerBatch: Histogram<'kind'>;
}

let metrics: ProvisioningMetrics | null = null;

export function provisioningMetrics(): ProvisioningMetrics {
  if (metrics) return metrics;
  for (const n of ['vpn_saga_step_duration_seconds', 'vpn_peer_batch_size']) {
    if (register.getSingleMetric(n)) register.removeSingleMetric(n); // a module reloaded in one process (jest)
  }
  metrics = {
    step: new Histogram({
      name: 'vpn_saga_step_duration_seconds',
      help: 'Duration of each step of the config creation saga (begin, reserve, peer_add, slot_commit, finish)',
      labelNames: ['step'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
    peerBatch: new Histogram({
      name: 'vpn_peer_batch_size',
      help: 'Peer changes carried by one remote command (add or remove)',
      labelNames: ['kind'] as const,
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 200],
    }),
  };
  return metrics;
}

/** Runs `work`, recording its duration under `step` whatever its outcome. */
export async function timedStep<T>(step: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    provisioningMetrics().step.observe({ step }, (performance.now() - started) / 1000);
  }
}
