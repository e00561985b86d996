import express, { Router } from 'express';
import type { MatchSettings } from '../claims/repeat-match.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/database.ts';
import type { Logger } from '../platform/logging.ts';
import { rateLimit, readOnlyTokens, tokenAuth } from './auth.ts';
import type { ApiContext } from './context.ts';
import { claimOperations } from './operations/claims.ts';
import { docsOperations } from './operations/docs.ts';
import { feedOperations } from './operations/feed.ts';
import { reportOperations } from './operations/reports.ts';
import { reviewOperations } from './operations/review.ts';
import { sourceOperations } from './operations/sources.ts';
import { OperationRegistry } from './operations.ts';
import { apiNotFound, problemHandler } from './problems.ts';

/** The largest JSON body: a report's text (1 MB) with room for JSON's escapes. */
const MAX_JSON = '8mb';

/**
 * The JSON API, /api/v1: mounted before the session, so it answers to tokens
 * only (auth.ts), every error as problem+json (problems.ts). Each operation is
 * defined once (operations/*.ts) with its policy and schemas, and calls the
 * same commands as the web pages.
 */
export function apiRoutes(deps: { db: Db; config: Config; logger: Logger; repeats: MatchSettings; clock: () => Date }): { router: Router; ops: OperationRegistry } {
  const router = Router();
  const ops = new OperationRegistry();
  const base = '/api/v1';
  router.use(base, (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.use(base, express.json({ limit: MAX_JSON, type: ['application/json', 'application/*+json'] }));
  router.use(base, tokenAuth(deps.db), rateLimit(deps.db, deps.config.apiRateLimit), readOnlyTokens);
  const ctx: ApiContext = { ...deps, router, ops };
  for (const define of [reportOperations, claimOperations, reviewOperations, sourceOperations, feedOperations, docsOperations]) define(ctx);
  router.use(base, apiNotFound);
  router.use(base, problemHandler(deps.logger));
  return { router, ops };
}
