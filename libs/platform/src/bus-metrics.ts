import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Histogram, register } from 'prom-client';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { finalize, tap, type Observable } from 'rxjs';
import { EventContext } from '@vpn/messaging';

const NAME = 'vpn_command_handler_duration_seconds';
let handled: Histogram<'subject' | 'outcome'> | null = null;

function histogram(): Histogram<'subject' | 'outcome'> {
  if (!handled) {
    if (register.getSingleMetric(NAME)) register.removeSingleMetric(NAME); // a module reloaded in one process (jest)
    handled = new Histogram({
      name: NAME,
      help: 'Time spent handling a bus command, by subject and outcome (ok, error)',
      labelNames: ['subject', 'outcome'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  }
  return handled;
}

/**
 * Time this process spent handling each bus command, by subject and outcome, on prom-client's
 * default registry. Next to the gateway's request-side histogram it tells the bus's share from the handler's.
 */
@Injectable()
export class CommandMetricsInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc' || context.switchToRpc().getContext() instanceof EventContext) return next.handle();
    const h = histogram();
    const started = performance.now();
    const subject = commandSubject(context);
    let outcome: 'ok' | 'error' = 'error';
    return next.handle().pipe(
      tap({ complete: () => (outcome = 'ok') }),
      finalize(() => h.observe({ subject, outcome }, (performance.now() - started) / 1000)),
    );
  }
}

/** The handler's pattern, as the label (Nest keeps it on the handler's metadata). */
function commandSubject(context: ExecutionContext): string {
  const patterns = Reflect.getMetadata(PATTERN_METADATA, context.getHandler()) as unknown[] | undefined;
  return typeof patterns?.[0] === 'string' ? patterns[0] : 'unknown';
}
