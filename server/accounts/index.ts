import { Router } from 'express';
import type { Db } from '../platform/database.ts';
import type { Logger } from '../platform/logging.ts';
import { accountRoutes } from './account.routes.ts';
import { adminRoutes } from './admin.routes.ts';
import { setupRoutes, type DemoLoader } from './setup.routes.ts';
import { signInRoutes } from './sign-in.routes.ts';
import { LoginThrottle } from './throttle.ts';
import { tokenRoutes } from './tokens.routes.ts';
import type { Passport } from './auth.ts';

export { createPassport } from './auth.ts';
export { firstRunGate } from './setup.routes.ts';
export { ACCOUNT_WITH_SESSION } from './users.repo.ts';
export { authenticateToken, type TokenRefusal } from './api-tokens.ts';

/** The accounts feature's routes: setup, sign-in, own account and API tokens, admin pages. */
export function accountsRouter(deps: { db: Db; logger: Logger; passport: Passport; baseUrl: string; loginMaxFailsPerIp: number; loadDemo?: DemoLoader }): Router {
  const router = Router();
  router.use(setupRoutes(deps));
  // One throttle for every place a password is typed: sign-in and the change of one's own.
  const throttle = new LoginThrottle(deps.db, deps.loginMaxFailsPerIp);
  router.use(signInRoutes({ ...deps, throttle }));
  router.use(accountRoutes({ ...deps, throttle }));
  router.use(adminRoutes(deps));
  router.use(tokenRoutes(deps));
  return router;
}
