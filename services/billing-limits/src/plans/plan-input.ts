import { CommonErrorCode, DomainError, RESET_STRATEGIES, type PlanTerms, type ResetStrategy } from '@vpn/contracts';

const PLAN_NAME = /^[\p{L}\p{N} ._-]{1,64}$/u;

/** A plan name: 1–64 letters, digits, space, `.`, `_`, `-`. */
export function parsePlanName(value: unknown): string {
  if (typeof value !== 'string' || !PLAN_NAME.test(value) || value.trim() !== value) {
    throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'name must be 1–64 letters, digits, spaces, ".", "_" or "-"');
  }
  return value;
}

/** A device limit: an integer from 0 to 10,000. */
export function parseMaxDevices(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 10_000) {
    throw new DomainError(CommonErrorCode.VALIDATION_FAILED, 'maxDevices must be an integer from 0 to 10000');
  }
  return value;
}

const fail = (message: string) => new DomainError(CommonErrorCode.VALIDATION_FAILED, message);

/** A data limit in bytes: null (unlimited) or an integer from 0 to 2^53 − 1. */
export function parseDataLimitBytes(value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw fail('dataLimitBytes must be null or a non-negative integer');
  return value;
}

/** A duration in days: null (never expires) or an integer from 1 to 36500. */
export function parseDurationDays(value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 36_500) throw fail('durationDays must be null or an integer from 1 to 36500');
  return value;
}

export function parseResetStrategy(value: unknown): ResetStrategy {
  if (typeof value !== 'string' || !(RESET_STRATEGIES as readonly string[]).includes(value)) throw fail(`resetStrategy must be one of ${RESET_STRATEGIES.join(', ')}`);
  return value as ResetStrategy;
}

export function parseStartOnFirstConnect(value: unknown): boolean {
  if (typeof value !== 'boolean') throw fail('startOnFirstConnect must be true or false');
  return value;
}

/** The subscription terms present in a request, parsed; absent ones stay absent. */
export function parsePlanTerms(req: Partial<Record<keyof PlanTerms, unknown>>): Partial<PlanTerms> {
  const terms: Partial<PlanTerms> = {};
  if (req.dataLimitBytes !== undefined) terms.dataLimitBytes = parseDataLimitBytes(req.dataLimitBytes);
  if (req.durationDays !== undefined) terms.durationDays = parseDurationDays(req.durationDays);
  if (req.resetStrategy !== undefined) terms.resetStrategy = parseResetStrategy(req.resetStrategy);
  if (req.startOnFirstConnect !== undefined) terms.startOnFirstConnect = parseStartOnFirstConnect(req.startOnFirstConnect);
  return terms;
}
