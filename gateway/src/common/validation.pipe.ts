import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { CommonErrorCode, DomainError } from '@vpn/contracts';

function messages(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (m.startsWith(e.property) ? `${parent ? `${parent}.` : ''}${m}` : `${path}: ${m}`));
    return [...own, ...messages(e.children ?? [], path)];
  });
}

/** Whitelisted DTOs: unknown or extra fields are refused; every failure is 400 VALIDATION_FAILED. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => new DomainError(CommonErrorCode.VALIDATION_FAILED, messages(errors).join('; ') || 'invalid request'),
  });
}
