import type { ErrorResponse } from '@vpn/contracts';

/** Friendly text for the codes people actually meet; anything else shows the server's message. */
const FRIENDLY: Partial<Record<string, string>> = {
  INVALID_CREDENTIALS: 'That email and password do not match an account.',
  TOO_MANY_ATTEMPTS: 'Too many sign-in attempts. Wait a minute and try again.',
  EMAIL_TAKEN: 'An account with this email already exists. Sign in instead?',
  WEAK_PASSWORD: 'Choose a stronger password: at least 10 characters, not your email and not a common password.',
  SERVER_ALREADY_REGISTERED: 'This WireGuard interface is already registered (under another name or address).',
  PAYLOAD_TOO_LARGE: 'That request is too large.',
  USER_DISABLED: 'This account is disabled. Contact your administrator.',
  PLAN_LIMIT_REACHED: 'You have reached your plan’s device limit. Revoke a device to add another.',
  SERVER_MAINTENANCE: 'This server is under maintenance. Pick another server or try again later.',
  SERVER_NOT_FOUND: 'This server is no longer available. Pick another one.',
  ADDRESS_POOL_EXHAUSTED: 'This server has no free addresses left. Pick another server.',
  PUBLIC_KEY_IN_USE: 'This key is already in use. Try again to make a new one.',
  INVALID_PUBLIC_KEY: 'The generated key was not accepted. Try again.',
  PROVISIONING_FAILED: 'The server could not be updated right now. Nothing was changed — try again in a moment.',
  SSH_UNREACHABLE: 'Could not reach the server over SSH. Check the host, port, user and that the key below is authorized.',
  HOST_KEY_MISMATCH: 'The server’s SSH host key does not match the pinned key.',
  SERVER_HAS_CONFIGS: 'This server still has devices. Revoke them first.',
  SERVER_NAME_TAKEN: 'A server with this name already exists.',
  PLAN_NAME_TAKEN: 'A plan with this name already exists.',
  LAST_ADMIN: 'This would leave no active administrator.',
  FORBIDDEN: 'You do not have access to this.',
  UNAUTHORIZED: 'Your session has ended. Sign in again.',
  SERVICE_UNAVAILABLE: 'The service is temporarily unavailable. Try again shortly.',
  BUS_TIMEOUT: 'The service took too long to answer. Try again.',
  BUS_UNAVAILABLE: 'The service is temporarily unavailable. Try again shortly.',
  NETWORK_ERROR: 'Could not reach the server. Check your connection and try again.',
  INTERNAL: 'Something went wrong on our side. Try again.',
};

/** An API failure: HTTP status, the contract's error code, and text fit to show a person. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    /** The server's own message (never a stack). */
    readonly serverMessage: string,
  ) {
    super(FRIENDLY[code] ?? (serverMessage || `Request failed (${status})`));
    this.name = 'ApiError';
  }

  static async fromResponse(res: Response): Promise<ApiError> {
    let body: Partial<ErrorResponse> = {};
    try {
      body = (await res.json()) as Partial<ErrorResponse>;
    } catch {
      // not JSON (a proxy's page): fall back to the status
    }
    const code = typeof body.code === 'string' ? body.code : res.status === 404 ? 'NOT_FOUND' : 'HTTP_ERROR';
    const message = typeof body.message === 'string' ? body.message : res.statusText;
    return new ApiError(res.status, code, message);
  }
}

/** The text to show for any thrown value. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
