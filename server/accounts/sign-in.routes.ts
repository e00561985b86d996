import { Router, type Request, type Response } from 'express';
import type { Db } from '../platform/database.ts';
import { TooManyRequestsError, fieldErrorsOf } from '../platform/errors.ts';
import { onInvalid, safeReturnPath } from '../platform/http.ts';
import type { Logger } from '../platform/logging.ts';
import { allow, publicRoute, type Actor } from '../platform/policies.ts';
import { parseInput } from '../platform/validate.ts';
import type { Passport } from './auth.ts';
import { SignInForm } from './schemas.ts';
import { takeSignInEmail } from './session-notes.ts';
import type { LoginThrottle } from './throttle.ts';
import { updateUser } from './users.repo.ts';

const INCORRECT = 'Email or password is incorrect.';

interface Deps {
  db: Db;
  passport: Passport;
  throttle: LoginThrottle;
  logger: Logger;
}

/** Sign-in and sign-out. */
export function signInRoutes({ db, passport, throttle, logger }: Deps): Router {
  const router = Router();

  router.get('/login', publicRoute(), (req, res) => {
    // Just after setting a password, the account's email is filled in (once).
    const email = takeSignInEmail(req.session);
    if (req.user) return res.redirect(303, '/');
    renderLogin(res, { email }, {});
  });

  router.post('/login', publicRoute(), async (req, res) => {
    const email = typeof req.body?.email === 'string' ? req.body.email.slice(0, 254) : '';
    onInvalid(res, (err) => renderLogin(res, { email }, fieldErrorsOf(err)));
    const input = parseInput(SignInForm, req.body);
    const ip = req.ip ?? 'unknown';
    try {
      // Counted before the password is checked: parallel guesses cannot all slip in under the limit.
      const attempt = await throttle.begin(input.email, ip);
      const user = await authenticateLocal(passport, req, res);
      if (!user) {
        logger.warn({ event: 'sign_in_failed', ip }, 'sign-in failed');
        await attempt.failed();
        res.status(401);
        return renderLogin(res, { email }, { form: INCORRECT });
      }
      await attempt.succeeded();
      const returnTo = safeReturnPath(req.session.returnTo);
      await logIn(req, user);
      req.session.signedInAt = Date.now();
      req.session.lastSeenAt = Date.now();
      await updateUser(db, user.id, { lastSignInAt: new Date() });
      logger.info({ event: 'sign_in', userId: user.id }, 'signed in');
      res.redirect(303, returnTo);
    } catch (err) {
      if (!(err instanceof TooManyRequestsError)) throw err;
      logger.warn({ event: 'sign_in_throttled', ip }, 'sign-in refused: too many failures');
      res.status(429).setHeader('Retry-After', String(err.retryAfterSeconds));
      renderLogin(res, { email }, { form: err.message });
    }
  });

  router.post('/logout', allow('account.manage'), async (req, res) => {
    const userId = req.user?.id;
    await new Promise<void>((resolve, reject) => req.logout((err) => (err ? reject(err) : resolve())));
    logger.info({ event: 'sign_out', userId }, 'signed out');
    req.session.flash = { kind: 'info', text: 'You have signed out.' };
    res.redirect(303, '/login');
  });

  return router;
}

function renderLogin(res: Response, values: { email?: string }, errors: Record<string, string>): void {
  // The form keeps the email, never the password.
  res.render('accounts/login', { title: 'Sign in', values, errors });
}

function authenticateLocal(passport: Passport, req: Request, res: Response): Promise<Actor | null> {
  return new Promise((resolve, reject) => {
    passport.authenticate('local', { session: false }, (err: unknown, user: Actor | false) => {
      if (err) reject(err);
      else resolve(user || null);
    })(req, res, (err: unknown) => reject(err));
  });
}

/** Signs the user in; passport regenerates the session id (no fixation). */
export function logIn(req: Request, user: Actor): Promise<void> {
  return new Promise((resolve, reject) => req.logIn(user, { session: true, keepSessionInfo: false }, (err) => (err ? reject(err) : resolve())));
}
