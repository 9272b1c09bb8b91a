import { ApiError } from '@/lib/api-client';

/** Where the generic text of a code would mislead on the account page, say what went wrong here. */
const ACCOUNT_TEXTS: Partial<Record<string, string>> = {
  INVALID_CREDENTIALS: 'The current password is wrong.',
  INVALID_TOTP: 'That code does not match. Check the time on your phone and enter the newest code.',
  CONFLICT: 'This changed in another tab. Reload the page.',
};

export function accountError(error: unknown): unknown {
  if (error instanceof ApiError && ACCOUNT_TEXTS[error.code]) return new Error(ACCOUNT_TEXTS[error.code]);
  return error;
}
