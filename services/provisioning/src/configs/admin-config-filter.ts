import { CommonErrorCode, containsPattern, decodeCursor, DomainError, isUuid, type CommandRequest } from '@vpn/contracts';
import type { AdminConfigFilter } from './configs.repository';

/** Longest search text: a device name is ≤ 64 characters, an address with prefix ≤ 18. */
const QUERY_MAX_LENGTH = 64;
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** The admin listing's request as repository filters; anything malformed is VALIDATION_FAILED. */
export function parseAdminConfigFilter(req: CommandRequest<'config.admin-list'>): AdminConfigFilter {
  const invalid = (what: string): DomainError => new DomainError(CommonErrorCode.VALIDATION_FAILED, what);
  const filter: AdminConfigFilter = {};
  if (req.serverId !== undefined) {
    if (!isUuid(req.serverId)) throw invalid('serverId must be a UUID');
    filter.serverId = req.serverId;
  }
  if (req.userId !== undefined) {
    if (!isUuid(req.userId)) throw invalid('userId must be a UUID');
    filter.userId = req.userId;
  }
  if (req.query !== undefined && req.query !== '') {
    if (typeof req.query !== 'string' || req.query.length > QUERY_MAX_LENGTH) throw invalid(`query must be at most ${QUERY_MAX_LENGTH} characters`);
    filter.pattern = containsPattern(req.query);
  }
  if (req.cursor !== undefined) filter.after = decodeCursor(req.cursor, { at: (v) => CURSOR_TIME.test(v), id: isUuid });
  return filter;
}
