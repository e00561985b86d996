import type { RequestHandler } from 'express';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { authenticateToken, type TokenRefusal } from '../accounts/index.ts';
import type { Db } from '../platform/database.ts';
import { AppError, TooManyRequestsError, UnauthorizedError } from '../platform/errors.ts';

const REFUSED: Record<TokenRefusal, string> = {
  unknown: 'This token is not valid. Check that it was copied whole, or make a new one on your account page.',
  expired: 'This token has expired. Make a new one on your account page.',
  revoked: 'This token was revoked. Make a new one on your account page.',
  disabled: 'The account this token belongs to is disabled.',
};

/**
 * Who an API request comes from: the personal access token in its
 * `Authorization: Bearer` header, and nothing else. The API is mounted before
 * the session, so a browser's cookie never authenticates it (and so it needs
 * no CSRF token: nothing a page elsewhere can make a browser send carries a
 * token). Without a header the request goes on anonymous, which only the
 * public operations accept.
 */
export function tokenAuth(db: Db): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization');
    if (header === undefined) return next();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new UnauthorizedError('Send the token as “Authorization: Bearer <token>”.');
    const found = await authenticateToken(db, match[1]!);
    if (!found.ok) throw new UnauthorizedError(REFUSED[found.why]);
    req.user = found.user;
    req.apiToken = { id: found.tokenId, scope: found.scope };
    next();
  };
}

/** A read-only token may read, never write: every method but GET and HEAD is refused with 403. */
export const readOnlyTokens: RequestHandler = (req, _res, next) => {
  if (req.apiToken?.scope === 'read' && req.method !== 'GET' && req.method !== 'HEAD') {
    throw new AppError(403, 'read_only_token', 'This token is read only: make a read-and-write token to change anything.');
  }
  next();
};

/**
 * Requests per minute, per token (or per address without one), counted in
 * PostgreSQL so that every app process shares the count. Over the limit: 429
 * with Retry-After.
 */
export function rateLimit(db: Db, perMinute: number): RequestHandler {
  const limiter = new RateLimiterPostgres({ storeClient: db, storeType: 'knex', tableName: 'login_limits', tableCreated: true, clearExpiredByTimeout: false, keyPrefix: 'api', points: perMinute, duration: 60 });
  return async (req, res, next) => {
    const key = req.apiToken ? `token:${req.apiToken.id}` : `ip:${req.ip ?? 'unknown'}`;
    try {
      const left = await limiter.consume(key);
      res.setHeader('RateLimit-Limit', String(perMinute));
      res.setHeader('RateLimit-Remaining', String(left.remainingPoints));
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw new TooManyRequestsError(`More than ${perMinute} requests in a minute. Wait ${seconds} seconds and try again.`, seconds);
    }
    next();
  };
}
