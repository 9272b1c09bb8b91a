import { Catch, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';
import { DomainError, isErrorCode, type ErrorBody } from '@vpn/contracts';
import type { Logger } from '@vpn/runtime';
import { errorToBody } from '../codec';
import { EventContext } from './event-server';

export function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && isErrorCode((value as ErrorBody).code) && typeof (value as ErrorBody).message === 'string';
}

/**
 * The one mapper of the bus transport: a command handler's error reaches the caller as its error
 * code and message (a `DomainError` as itself, anything else as INTERNAL, logged here with its cause
 * and stack — the caller only sees the code). Event handlers' errors pass through unchanged, so the
 * consumer rolls back and naks.
 */
@Catch()
export class BusExceptionFilter implements RpcExceptionFilter<unknown> {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    if (host.getType() !== 'rpc' || host.switchToRpc().getContext() instanceof EventContext) {
      return throwError(() => exception);
    }
    const body = errorToBody(exception);
    if (!(exception instanceof DomainError)) {
      const pattern = host.switchToRpc().getContext() as unknown;
      this.logger.error({ err: exception, pattern: typeof pattern === 'object' ? undefined : pattern, code: body.code }, 'command handler failed');
    }
    return throwError(() => body);
  }
}
