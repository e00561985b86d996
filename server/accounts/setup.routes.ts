import { Router, type RequestHandler } from 'express';
import type { Db } from '../platform/database.ts';
import { NotFoundError, fieldErrorsOf } from '../platform/errors.ts';
import { onInvalid } from '../platform/http.ts';
import type { Logger } from '../platform/logging.ts';
import { publicRoute } from '../platform/policies.ts';
import { parseInput } from '../platform/validate.ts';
import { createFirstAdmin } from './accounts.commands.ts';
import { SetupForm } from './schemas.ts';
import { logIn } from './sign-in.routes.ts';
import { anyUserExists } from './users.repo.ts';

/** Loads the sample newsroom for the new admin (provided by the demo feature). */
export type DemoLoader = (db: Db, adminId: number) => Promise<void>;

/**
 * While no account exists, every page but setup, health and static files
 * sends the visitor to /setup. Once true, "has users" never turns false
 * (accounts are disabled, not deleted), so each process remembers it.
 */
export function firstRunGate(db: Db): RequestHandler {
  let hasUsers = false;
  return async (req, res, next) => {
    if (hasUsers) return next();
    hasUsers = await anyUserExists(db);
    if (hasUsers || req.path === '/setup' || req.path === '/healthz') return next();
    if (req.method === 'GET' || req.method === 'HEAD') return res.redirect(302, '/setup');
    res.status(409).json({ error: { code: 'setup_required', message: 'Factdesk has no accounts yet. Open /setup to create the first admin.' } });
  };
}

/** First-run setup: creates the first admin; afterwards /setup is gone. */
export function setupRoutes({ db, logger, loadDemo }: { db: Db; logger: Logger; loadDemo?: DemoLoader }): Router {
  const router = Router();

  router.get('/setup', publicRoute(), async (_req, res) => {
    if (await anyUserExists(db)) throw new NotFoundError();
    res.render('accounts/setup', { title: 'First-run setup', values: { loadDemo: false }, errors: {}, demoAvailable: Boolean(loadDemo) });
  });

  router.post('/setup', publicRoute(), async (req, res) => {
    if (await anyUserExists(db)) throw new NotFoundError();
    const body = (req.body ?? {}) as Record<string, unknown>;
    onInvalid(res, (err) =>
      res.render('accounts/setup', {
        title: 'First-run setup',
        values: { displayName: body.displayName, email: body.email, loadDemo: body.loadDemo === 'yes' },
        errors: fieldErrorsOf(err),
        demoAvailable: Boolean(loadDemo),
      }),
    );
    const input = parseInput(SetupForm, body);
    const admin = await createFirstAdmin(db, input);
    logger.info({ event: 'first_admin_created', userId: admin.id }, 'first admin created');
    if (input.loadDemo && loadDemo) await loadDemo(db, admin.id);
    await logIn(req, admin);
    req.session.signedInAt = Date.now();
    req.session.lastSeenAt = Date.now();
    req.session.flash = {
      kind: 'success',
      text: input.loadDemo && loadDemo
        ? 'Factdesk is ready, with the sample newsroom loaded. Add your colleagues under Accounts.'
        : 'Factdesk is ready. Add your colleagues under Accounts, then import a report.',
    };
    res.redirect(303, '/');
  });

  return router;
}
