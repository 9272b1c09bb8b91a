import type { NextFunction, Request, Response } from 'express';
import { CommonErrorCode, type ErrorResponse } from '@vpn/contracts';
import { httpAnswerFor } from '../common/http-errors';

/** Deeper bodies are refused before validation, whose recursion would overflow the stack. */
export const MAX_BODY_DEPTH = 32;

function refuse(res: Response, code: CommonErrorCode, message: string): void {
  const { status } = httpAnswerFor(code);
  const body: ErrorResponse = { statusCode: status, code, message };
  res.status(status).json(body);
}

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** Every API route reads JSON: any other body type is 415 before a parser sees it. */
export function jsonBodiesOnly(req: Request, res: Response, next: NextFunction): void {
  if (!req.path.startsWith('/api/') || !hasBody(req) || req.is(['application/json', '+json'])) return next();
  refuse(res, CommonErrorCode.UNSUPPORTED_MEDIA_TYPE, 'request bodies must be application/json');
}

interface BodyReadError { type?: string; status?: number }

/**
 * The body parser's failures as contract errors (Express would answer them as HTML, some as 500):
 * too large → 413, unknown charset or content-encoding → 415, anything else unreadable → 400.
 */
export function bodyReadErrors(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(err);
  const { type } = (err ?? {}) as BodyReadError;
  if (type === 'entity.too.large') return refuse(res, CommonErrorCode.PAYLOAD_TOO_LARGE, 'request body too large');
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return refuse(res, CommonErrorCode.UNSUPPORTED_MEDIA_TYPE, 'unsupported charset or content-encoding');
  }
  refuse(res, CommonErrorCode.VALIDATION_FAILED, 'malformed request body');
}

/** True when `value` nests objects or arrays more than `max` levels deep (walked without recursion). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Refuses parsed bodies nested deeper than MAX_BODY_DEPTH with 400 VALIDATION_FAILED. */
export function bodyDepthLimit(req: Request, res: Response, next: NextFunction): void {
  if (!nestsDeeperThan(req.body, MAX_BODY_DEPTH)) return next();
  refuse(res, CommonErrorCode.VALIDATION_FAILED, `request body nests deeper than ${MAX_BODY_DEPTH} levels`);
}
