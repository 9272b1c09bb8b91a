import { Histogram, register } from 'prom-client';
import type { CommandBus } from '@vpn/messaging';

const NAME = 'vpn_command_handler_duration_seconds';
let handled: Histogram<'subject' | 'outcome'> | null = null;

/**
 * Time this process spent handling each bus command, by subject and outcome, on prom-client's
 * default registry (the /metrics of a service process; the gateway's /metrics in `npm start`).
 * Next to the gateway's request-side histogram it tells the bus's share from the handler's.
 */
export function observeCommandHandling(commands: CommandBus): void {
  if (!handled) {
    if (register.getSingleMetric(NAME)) register.removeSingleMetric(NAME); // a module reloaded in one process (jest)
    handled = new Histogram({
      name: NAME,
      help: 'Time spent handling a bus command, by subject and outcome (ok, error)',
      labelNames: ['subject', 'outcome'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  }
  const h = handled;
  commands.observeHandling((subject, ms, outcome) => h.observe({ subject, outcome }, ms / 1000));
}
