/**
 * Error codes, one enum per context. A code travels unchanged from the service that raised it
 * to the edge; each transport has exactly one mapper from code to its own answer
 * (HTTP status in the gateway, ack/nak/term in consumers).
 */
export enum CommonErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  NOT_FOUND = 'NOT_FOUND',
  UNAUTHORIZED = 'UNAUTHORIZED',
  FORBIDDEN = 'FORBIDDEN',
  CONFLICT = 'CONFLICT',
  INTERNAL = 'INTERNAL',
  /** The command got no reply within its deadline. */
  BUS_TIMEOUT = 'BUS_TIMEOUT',
  /** Nobody serves the subject, or the bus is down. */
  BUS_UNAVAILABLE = 'BUS_UNAVAILABLE',
  /** A dependency (database, bus) is down: try again later. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  /** The request body is larger than the edge accepts. */
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** The body's type, charset or content-encoding is not one the route reads. */
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
}

export enum AuthErrorCode {
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  TOO_MANY_ATTEMPTS = 'TOO_MANY_ATTEMPTS',
  INVALID_REFRESH_TOKEN = 'INVALID_REFRESH_TOKEN',
  USER_DISABLED = 'USER_DISABLED',
  USER_NOT_FOUND = 'USER_NOT_FOUND',
  /** The change would leave no active admin (demoting or disabling the last one). */
  LAST_ADMIN = 'LAST_ADMIN',
  /** Too short or long, the email itself, or a common password. */
  WEAK_PASSWORD = 'WEAK_PASSWORD',
  /** A password-reset token that is unknown, used or expired. */
  INVALID_TOKEN = 'INVALID_TOKEN',
  /** A wrong TOTP or recovery code where a signed-in user confirms or disables TOTP (400). */
  INVALID_TOTP = 'INVALID_TOTP',
  /** Login of an account with TOTP on, without a code (401). */
  TOTP_REQUIRED = 'TOTP_REQUIRED',
  /** Login with a wrong, replayed or used code: answered 401 INVALID_TOTP (a login failure, unlike the 400 of INVALID_TOTP). */
  LOGIN_INVALID_TOTP = 'LOGIN_INVALID_TOTP',
  /** A signed-in user's current password did not match (answered 400 INVALID_CREDENTIALS: the session itself is fine). */
  WRONG_CURRENT_PASSWORD = 'WRONG_CURRENT_PASSWORD',
  /** TOTP is on already (enrol), or there is nothing to confirm or disable. */
  TOTP_STATE_CONFLICT = 'TOTP_STATE_CONFLICT',
}

export enum BillingErrorCode {
  PLAN_LIMIT_REACHED = 'PLAN_LIMIT_REACHED',
  PLAN_NOT_FOUND = 'PLAN_NOT_FOUND',
  PLAN_NAME_TAKEN = 'PLAN_NAME_TAKEN',
  RESERVATION_NOT_FOUND = 'RESERVATION_NOT_FOUND',
  /** The subscription is LIMITED, EXPIRED or DISABLED: no new device (403). */
  SUBSCRIPTION_INACTIVE = 'SUBSCRIPTION_INACTIVE',
}

export enum VpnErrorCode {
  SERVER_NOT_FOUND = 'SERVER_NOT_FOUND',
  SERVER_MAINTENANCE = 'SERVER_MAINTENANCE',
  SERVER_NAME_TAKEN = 'SERVER_NAME_TAKEN',
  SERVER_HAS_CONFIGS = 'SERVER_HAS_CONFIGS',
  ADDRESS_POOL_EXHAUSTED = 'ADDRESS_POOL_EXHAUSTED',
  PUBLIC_KEY_IN_USE = 'PUBLIC_KEY_IN_USE',
  INVALID_PUBLIC_KEY = 'INVALID_PUBLIC_KEY',
  PROVISIONING_FAILED = 'PROVISIONING_FAILED',
  SSH_UNREACHABLE = 'SSH_UNREACHABLE',
  HOST_KEY_MISMATCH = 'HOST_KEY_MISMATCH',
  CONFIG_NOT_FOUND = 'CONFIG_NOT_FOUND',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  /** A server is its interface's public key: that interface is registered already (under any spelling of its host). */
  SERVER_ALREADY_REGISTERED = 'SERVER_ALREADY_REGISTERED',
}

export type ErrorCode = CommonErrorCode | AuthErrorCode | BillingErrorCode | VpnErrorCode;

const ALL_CODES: ReadonlySet<string> = new Set<string>([
  ...Object.values(CommonErrorCode),
  ...Object.values(AuthErrorCode),
  ...Object.values(BillingErrorCode),
  ...Object.values(VpnErrorCode),
]);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && ALL_CODES.has(value);
}

/** The error body every transport carries: a code, a human message, optional details. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * The one error type services throw for expected failures. Anything else is a bug and
 * becomes INTERNAL at the edge (without its message).
 */
export class DomainError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  toBody(): ErrorBody {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}
