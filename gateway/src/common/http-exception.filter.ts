import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { CommonErrorCode, DomainError, type ErrorResponse } from '@vpn/contracts';
import { LOGGER } from '@vpn/platform';
import type { Logger } from '@vpn/runtime';
import { codeForStatus, httpAnswerFor } from './http-errors';

/** Every error leaves the gateway as `{statusCode, code, message}`; unexpected ones as a bare 500 INTERNAL. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (res.headersSent) return;
    res.status(body.statusCode).json(body);
  }

  toBody(exception: unknown): ErrorResponse {
    if (exception instanceof DomainError) {
      const { status, code } = httpAnswerFor(exception.code);
      if (status >= 500 && code === CommonErrorCode.INTERNAL) {
        this.logger.error({ err: exception }, 'internal error');
        return { statusCode: 500, code, message: 'internal error' };
      }
      return { statusCode: status, code, message: exception.message };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = codeForStatus(status);
      if (status >= 500) {
        this.logger.error({ err: exception }, 'internal error');
        return { statusCode: status, code, message: 'internal error' };
      }
      return { statusCode: status, code, message: status === 400 ? 'malformed request body' : exception.message };
    }
    this.logger.error({ err: exception }, 'unhandled error');
    return { statusCode: 500, code: CommonErrorCode.INTERNAL, message: 'internal error' };
  }
}
