import { CommonErrorCode, DomainError } from './errors';

/** One page of a keyset-paged listing; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Page size of the admin listings (API.md §5): default 50, 1–200. */
export const PAGE_LIMIT_DEFAULT = 50;
export const PAGE_LIMIT_MAX = 200;

/** A page size as given, or VALIDATION_FAILED: the bus is a trust boundary too. */
export function parsePageLimit(limit: unknown): number {
  if (limit === undefined) return PAGE_LIMIT_DEFAULT;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > PAGE_LIMIT_MAX) {
    throw new DomainError(CommonErrorCode.VALIDATION_FAILED, `limit must be an integer from 1 to ${PAGE_LIMIT_MAX}`);
  }
  return limit;
}

/** The opaque cursor: base64url of the JSON of the last item's sort key. */
export function encodeCursor(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/**
 * The sort key inside a cursor, with exactly the string fields `fields` and each accepted by
 * `valid`; anything else (not base64url, not JSON, forged) is VALIDATION_FAILED.
 */
export function decodeCursor<K extends string>(cursor: string, fields: Record<K, (value: string) => boolean>): Record<K, string> {
  const invalid = (): DomainError => new DomainError(CommonErrorCode.VALIDATION_FAILED, 'cursor is not a cursor of this listing');
  if (typeof cursor !== 'string' || cursor.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
  const record = parsed as Record<string, unknown>;
  const names = Object.keys(fields) as K[];
  if (Object.keys(record).length !== names.length) throw invalid();
  for (const name of names) {
    const value = record[name];
    if (typeof value !== 'string' || !fields[name](value)) throw invalid();
  }
  return record as Record<K, string>;
}

/** `text` as a LIKE pattern matching it anywhere, its own `%`, `_` and `\` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
