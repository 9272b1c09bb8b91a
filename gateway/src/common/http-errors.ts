import { AuthErrorCode, BillingErrorCode, CommonErrorCode, VpnErrorCode, type ErrorCode } from '@vpn/contracts';

/** The HTTP answer for an error code: status and the code shown in the body. */
export interface HttpAnswer {
  status: number;
  code: string;
}

/**
 * The one mapping from every context's error code to its HTTP answer (API.md §3). The switch has no
 * default: a new code in @vpn/contracts does not compile until it is mapped here.
 */
export function httpAnswerFor(code: ErrorCode): HttpAnswer {
  switch (code) {
    case CommonErrorCode.VALIDATION_FAILED: return { status: 400, code };
    case CommonErrorCode.NOT_FOUND: return { status: 404, code };
    case CommonErrorCode.UNAUTHORIZED: return { status: 401, code };
    case CommonErrorCode.FORBIDDEN: return { status: 403, code };
    case CommonErrorCode.CONFLICT: return { status: 409, code };
    case CommonErrorCode.INTERNAL: return { status: 500, code };
    case CommonErrorCode.BUS_TIMEOUT:
    case CommonErrorCode.BUS_UNAVAILABLE:
    case CommonErrorCode.SERVICE_UNAVAILABLE: return { status: 503, code: CommonErrorCode.SERVICE_UNAVAILABLE };
    case CommonErrorCode.PAYLOAD_TOO_LARGE: return { status: 413, code };
    case CommonErrorCode.UNSUPPORTED_MEDIA_TYPE: return { status: 415, code };

    case AuthErrorCode.EMAIL_TAKEN: return { status: 409, code };
    case AuthErrorCode.INVALID_CREDENTIALS: return { status: 401, code };
    case AuthErrorCode.TOO_MANY_ATTEMPTS: return { status: 429, code };
    case AuthErrorCode.INVALID_REFRESH_TOKEN: return { status: 401, code };
    case AuthErrorCode.USER_DISABLED: return { status: 401, code };
    case AuthErrorCode.USER_NOT_FOUND: return { status: 404, code: CommonErrorCode.NOT_FOUND };
    case AuthErrorCode.LAST_ADMIN: return { status: 409, code };
    case AuthErrorCode.WEAK_PASSWORD: return { status: 400, code };
    case AuthErrorCode.INVALID_TOKEN: return { status: 400, code };
    case AuthErrorCode.INVALID_TOTP: return { status: 400, code };
    case AuthErrorCode.TOTP_REQUIRED: return { status: 401, code };
    case AuthErrorCode.LOGIN_INVALID_TOTP: return { status: 401, code: AuthErrorCode.INVALID_TOTP };
    case AuthErrorCode.WRONG_CURRENT_PASSWORD: return { status: 400, code: AuthErrorCode.INVALID_CREDENTIALS };
    case AuthErrorCode.TOTP_STATE_CONFLICT: return { status: 409, code: CommonErrorCode.CONFLICT };

    case BillingErrorCode.PLAN_LIMIT_REACHED: return { status: 403, code };
    case BillingErrorCode.PLAN_NOT_FOUND: return { status: 404, code };
    case BillingErrorCode.PLAN_NAME_TAKEN: return { status: 409, code };
    case BillingErrorCode.RESERVATION_NOT_FOUND: return { status: 404, code: CommonErrorCode.NOT_FOUND };
    case BillingErrorCode.SUBSCRIPTION_INACTIVE: return { status: 403, code };

    case VpnErrorCode.SERVER_NOT_FOUND: return { status: 404, code };
    case VpnErrorCode.SERVER_MAINTENANCE: return { status: 409, code };
    case VpnErrorCode.SERVER_NAME_TAKEN: return { status: 409, code };
    case VpnErrorCode.SERVER_HAS_CONFIGS: return { status: 409, code };
    case VpnErrorCode.ADDRESS_POOL_EXHAUSTED: return { status: 409, code };
    case VpnErrorCode.PUBLIC_KEY_IN_USE: return { status: 409, code };
    case VpnErrorCode.INVALID_PUBLIC_KEY: return { status: 400, code };
    case VpnErrorCode.PROVISIONING_FAILED: return { status: 502, code };
    case VpnErrorCode.SSH_UNREACHABLE: return { status: 502, code };
    case VpnErrorCode.HOST_KEY_MISMATCH: return { status: 502, code };
    case VpnErrorCode.CONFIG_NOT_FOUND: return { status: 404, code: CommonErrorCode.NOT_FOUND };
    case VpnErrorCode.IDEMPOTENCY_KEY_REUSED: return { status: 409, code };
    case VpnErrorCode.SERVER_ALREADY_REGISTERED: return { status: 409, code };
  }
}

/** The body code for a plain HTTP status (Nest's own exceptions: unknown route, bad JSON, …). */
export function codeForStatus(status: number): CommonErrorCode | AuthErrorCode {
  if (status === 413) return CommonErrorCode.PAYLOAD_TOO_LARGE;
  if (status === 415) return CommonErrorCode.UNSUPPORTED_MEDIA_TYPE;
  if (status === 400) return CommonErrorCode.VALIDATION_FAILED;
  if (status === 401) return CommonErrorCode.UNAUTHORIZED;
  if (status === 403) return CommonErrorCode.FORBIDDEN;
  if (status === 404 || status === 405) return CommonErrorCode.NOT_FOUND;
  if (status === 409) return CommonErrorCode.CONFLICT;
  if (status === 429) return AuthErrorCode.TOO_MANY_ATTEMPTS;
  if (status === 503) return CommonErrorCode.SERVICE_UNAVAILABLE;
  if (status >= 400 && status < 500) return CommonErrorCode.VALIDATION_FAILED;
  return CommonErrorCode.INTERNAL;
}
