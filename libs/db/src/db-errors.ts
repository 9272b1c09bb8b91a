/** Postgres error code of a unique violation; used to turn races into clean domain errors. */
export const PG_UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: string; driverError?: { code?: string; constraint?: string }; constraint?: string };
  const code = err?.driverError?.code ?? err?.code;
  if (code !== PG_UNIQUE_VIOLATION) return false;
  if (!constraint) return true;
  return (err.driverError?.constraint ?? err.constraint) === constraint;
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '53300']);

/**
 * True when an error means "the database is not there right now" (down, restarting, refusing or
 * dropping connections, out of connection slots) rather than "this statement is wrong":
 * callers answer 503 and try again later instead of 500.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string; message?: string }; message?: string } | null;
  if (!err || typeof err !== 'object') return false;
  const code = err.driverError?.code ?? err.code;
  if (code && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  const message = `${err.message ?? ''} ${err.driverError?.message ?? ''}`;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)|terminating connection due to administrator command/i.test(message);
}
