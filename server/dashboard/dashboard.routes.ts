import { Router } from 'express';
import type { Db } from '../platform/database.ts';
import { allow } from '../platform/policies.ts';

/** The home page: the desk's dashboard. */
export function dashboardRoutes(_deps: { db: Db }): Router {
  const router = Router();
  router.get('/', allow('desk.read'), (_req, res) => {
    res.render('home', { title: 'Dashboard' });
  });
  return router;
}
