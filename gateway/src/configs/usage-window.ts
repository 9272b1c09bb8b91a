import { CommonErrorCode, DomainError } from '@vpn/contracts';

/** Times a usage query may name: inside every store's range (PostgreSQL's starts at 4713 BC), and sane. */
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const DAY_MS = 24 * 3600_000;

export interface UsageWindow {
  from: string;
  to: string;
}

function instant(value: unknown, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new DomainError(CommonErrorCode.VALIDATION_FAILED, `${name} must be an ISO 8601 time`);
  if (ms < EARLIEST || ms > LATEST) throw new DomainError(CommonErrorCode.VALIDATION_FAILED, `${name} must be between 1970 and 9999`);
  return ms;
}

/** The `from`/`to` of a usage query (default: the last 24 h), refused with 400 when out of range or reversed. */
export function parseUsageWindow(from: unknown, to: unknown, now = Date.now()): UsageWindow {
  const end = instant(to, now, 'to');
  const start = instant(from, end - DAY_MS, 'from');
  if (start > end) throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'from must not be after to');
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}
