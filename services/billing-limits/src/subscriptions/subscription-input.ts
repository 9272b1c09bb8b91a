import { CommonErrorCode, DomainError, MAX_USAGE_SAMPLES, parseUuid, type UsageDelta } from '@vpn/contracts';

const fail = (message: string) => new DomainError(CommonErrorCode.VALIDATION_FAILED, message);

/** A byte count: a non-negative safe integer. */
function parseBytes(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw fail(`${name} must be a non-negative integer`);
  return value;
}

/** An ISO 8601 time with its zone, e.g. 2026-12-04T18:00:00.000Z. */
export function parseIsoTime(value: unknown, name: string): Date {
  const t = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value) ? new Date(value) : null;
  if (!t || Number.isNaN(t.getTime())) throw fail(`${name} must be an ISO 8601 time with a zone`);
  return t;
}

export function parseRenewDays(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 3650) throw fail('days must be an integer from 1 to 3650');
  return value;
}

export function parseTopUpBytes(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) throw fail('bytes must be an integer greater than 0');
  return value;
}

/** `dataLimitBytes`: null (unlimited) or a non-negative integer. */
export function parseDataLimit(value: unknown): number | null {
  return value === null ? null : parseBytes(value, 'dataLimitBytes');
}

/** One user's traffic of a batch: each sample's bytes and when it was read. */
export interface UserUsage { userId: string; samples: Array<{ bytes: number; at: Date }> }

/** A usage batch, grouped per user in user order (the lock order). */
export function parseUsageBatch(batchId: unknown, samples: unknown): { batchId: string; users: UserUsage[] } {
  const id = parseUuid(batchId, 'batchId');
  if (!Array.isArray(samples) || samples.length > MAX_USAGE_SAMPLES) throw fail(`samples must be an array of at most ${MAX_USAGE_SAMPLES}`);
  const byUser = new Map<string, UserUsage>();
  samples.forEach((raw: Partial<UsageDelta> | null, i) => {
    if (typeof raw !== 'object' || raw === null) throw fail(`samples[${i}] must be an object`);
    const userId = parseUuid(raw.userId, `samples[${i}].userId`);
    const bytes = parseBytes(raw.rxBytesDelta, `samples[${i}].rxBytesDelta`) + parseBytes(raw.txBytesDelta, `samples[${i}].txBytesDelta`);
    const at = parseIsoTime(raw.at, `samples[${i}].at`);
    const user = byUser.get(userId) ?? { userId, samples: [] };
    user.samples.push({ bytes, at });
    byUser.set(userId, user);
  });
  return { batchId: id, users: [...byUser.values()].sort((a, b) => (a.userId < b.userId ? -1 : 1)) };
}
