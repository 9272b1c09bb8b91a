import { CommonErrorCode, DomainError, isErrorCode, type ErrorBody } from '@vpn/contracts';
import { isDatabaseUnavailable } from '@vpn/db';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function decodeJson<T>(data: Uint8Array): T {
  return JSON.parse(decoder.decode(data)) as T;
}

/** A command reply on the wire: the data, or an error code and message. */
export type ReplyEnvelope<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

export function errorToBody(e: unknown): ErrorBody {
  if (e instanceof DomainError) return e.toBody();
  if (isDatabaseUnavailable(e)) return { code: CommonErrorCode.SERVICE_UNAVAILABLE, message: 'the database is unavailable; try again shortly' };
  return { code: CommonErrorCode.INTERNAL, message: 'internal error' };
}

export function bodyToError(body: ErrorBody): DomainError {
  const code = isErrorCode(body.code) ? body.code : CommonErrorCode.INTERNAL;
  return new DomainError(code, body.message, body.details);
}
