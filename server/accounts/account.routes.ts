import { Router, type Response } from 'express';
import type { Db } from '../platform/database.ts';
import { NotFoundError, TooManyRequestsError, fieldErrorsOf } from '../platform/errors.ts';
import { onInvalid } from '../platform/http.ts';
import type { Logger } from '../platform/logging.ts';
import { allow, publicRoute, type Actor } from '../platform/policies.ts';
import { parseInput } from '../platform/validate.ts';
import { changeDisplayName, changeOwnPassword, passwordChangeProblems, setPasswordWithLink, setSuggestionsShown } from './accounts.commands.ts';
import { parseAllAtOnce } from './forms.ts';
import { findLiveLink } from './password-links.repo.ts';
import { ChangePasswordForm, PreferencesForm, ProfileForm, SetPasswordForm } from './schemas.ts';
import type { LoginThrottle } from './throttle.ts';
import { findUserById } from './users.repo.ts';

/** One's own account (name, password) and the set-password links admins hand out. */
export function accountRoutes({ db, logger, throttle }: { db: Db; logger: Logger; throttle: LoginThrottle }): Router {
  const router = Router();

  router.get('/account', allow('account.manage'), (req, res) => {
    renderAccount(res, req.user!, {}, {});
  });

  router.post('/account/profile', allow('account.manage'), async (req, res) => {
    onInvalid(res, (err) => renderAccount(res, req.user!, { displayName: req.body?.displayName }, fieldErrorsOf(err)));
    const { displayName } = parseInput(ProfileForm, req.body);
    await changeDisplayName(db, req.user!, displayName);
    req.session.flash = { kind: 'success', text: 'Your name is changed.' };
    res.redirect(303, '/account');
  });

  router.post('/account/preferences', allow('account.manage'), async (req, res) => {
    onInvalid(res, (err) => renderAccount(res, req.user!, {}, fieldErrorsOf(err)));
    const { showSuggestions } = parseInput(PreferencesForm, req.body);
    await setSuggestionsShown(db, req.user!, showSuggestions);
    req.session.flash = { kind: 'success', text: showSuggestions ? 'Report pages suggest checkable sentences again.' : 'Report pages no longer suggest checkable sentences to you.' };
    res.redirect(303, '/account');
  });

  router.post('/account/password', allow('account.manage'), async (req, res) => {
    const actor = req.user!;
    const ip = req.ip ?? 'unknown';
    onInvalid(res, (err) => renderAccount(res, actor, {}, fieldErrorsOf(err)));
    try {
      // Whoever holds a signed-in browser must not guess the password here faster than
      // at sign-in: each try counts against the same limits, before it is checked.
      const attempt = await throttle.begin(actor.email, ip, 'password attempts');
      const counted = (right: boolean) => (right ? attempt.succeeded() : attempt.failed());
      const input = await parseAllAtOnce(ChangePasswordForm, req.body, (raw, refused) => passwordChangeProblems(db, actor, raw, refused, counted));
      await changeOwnPassword(db, actor, req.sessionID, input, counted);
    } catch (err) {
      if (!(err instanceof TooManyRequestsError)) throw err;
      logger.warn({ event: 'password_change_throttled', userId: actor.id, ip }, 'password change refused: too many failures');
      res.status(429).setHeader('Retry-After', String(err.retryAfterSeconds));
      return renderAccount(res, actor, {}, { currentPassword: err.message });
    }
    logger.info({ event: 'password_changed', userId: actor.id }, 'password changed');
    req.session.flash = { kind: 'success', text: 'Your password is changed. You were signed out everywhere else.' };
    res.redirect(303, '/account');
  });

  router.get('/set-password/:token', publicRoute(), async (req, res) => {
    const link = await findLiveLink(db, String(req.params.token));
    const user = link ? await findUserById(db, link.userId) : null;
    if (!user) throw new NotFoundError('This set-password link has expired or was already used. Ask an admin for a new one.');
    res.render('accounts/set-password', { title: 'Choose your password', account: user, errors: {} });
  });

  router.post('/set-password/:token', publicRoute(), async (req, res) => {
    const token = String(req.params.token);
    const link = await findLiveLink(db, token);
    const user = link ? await findUserById(db, link.userId) : null;
    if (!user) throw new NotFoundError('This set-password link has expired or was already used. Ask an admin for a new one.');
    onInvalid(res, (err) => res.render('accounts/set-password', { title: 'Choose your password', account: user, errors: fieldErrorsOf(err) }));
    const { password } = parseInput(SetPasswordForm, req.body);
    const account = await setPasswordWithLink(db, token, password);
    logger.info({ event: 'password_set_by_link', userId: account.id }, 'password set with link');
    // The sign-in page fills in the email from the session (never from the URL).
    req.session.signInEmail = account.email;
    req.session.flash = account.disabled
      ? { kind: 'warning', text: 'Your password is set, but your account is disabled for now. Sign in once an admin has enabled it again.' }
      : { kind: 'success', text: 'Your password is set. Sign in with your new password.' };
    res.redirect(303, '/login');
  });

  return router;
}

function renderAccount(res: Response, user: Actor, values: Record<string, unknown>, errors: Record<string, string>): void {
  res.render('accounts/account', { title: 'Your account', values: { displayName: user.displayName, ...values }, errors });
}

