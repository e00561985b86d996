import { Router } from 'express';
import type { Db } from './database.ts';
import { publicRoute } from './policies.ts';

/** GET /healthz: 200 when the database answers, 503 when it does not. */
export function healthRoutes(db: Db): Router {
  const router = Router();
  router.get('/healthz', publicRoute(), async (_req, res) => {
    try {
      await db.raw('select 1');
      res.json({ status: 'ok', database: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable', database: 'unreachable' });
    }
  });
  return router;
}
