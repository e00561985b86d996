import { Router, type Request, type Response } from 'express';
import type { Db } from '../platform/database.ts';
import { NotFoundError, ValidationError, fieldErrorsOf } from '../platform/errors.ts';
import { onInvalid } from '../platform/http.ts';
import type { Logger } from '../platform/logging.ts';
import { allow, can, ROLES, type Actor, type Role } from '../platform/policies.ts';
import { parseId, parseInput } from '../platform/validate.ts';
import { changeRole, createAccount, issueResetLink, newAccountProblems, setDisabled } from './accounts.commands.ts';
import { parseAllAtOnce } from './forms.ts';
import { LINK_LIFETIME_HOURS } from './password-links.repo.ts';
import { NewUserForm, RoleForm } from './schemas.ts';
import { keepIssuedLink, takeIssuedLink } from './session-notes.ts';
import { findUserById, listUsers, type User } from './users.repo.ts';

/** Account administration: list, create, change role, disable/enable, reset password. */
export function adminRoutes({ db, logger, baseUrl }: { db: Db; logger: Logger; baseUrl: string }): Router {
  const router = Router();

  router.get('/admin/users', allow('users.manage'), async (_req, res) => {
    res.render('admin/users', { title: 'Accounts', users: await listUsers(db) });
  });

  router.get('/admin/users/new', allow('users.manage'), (_req, res) => {
    res.render('admin/user-new', { title: 'Add an account', values: { role: 'editor' }, errors: {}, roles: ROLES });
  });

  router.post('/admin/users', allow('users.manage'), async (req, res) => {
    onInvalid(res, (err) =>
      res.render('admin/user-new', {
        title: 'Add an account',
        values: req.body ?? {},
        errors: fieldErrorsOf(err),
        roles: ROLES,
      }),
    );
    const input = await parseAllAtOnce(NewUserForm, req.body, (raw, refused) => newAccountProblems(db, raw, refused));
    const { user, token } = await createAccount(db, req.user!, input);
    logger.info({ event: 'account_created', userId: user.id, role: user.role, by: req.user!.id }, 'account created');
    // Post-redirect-get: a refresh of the page that shows the link does not send the form again.
    keepIssuedLink(req.session, { userId: user.id, token, purpose: 'invite', created: true });
    res.redirect(303, `/admin/users/${user.id}/link`);
  });

  router.get('/admin/users/:id', allow('users.manage'), async (req, res) => {
    renderUser(res, req.user!, await loadUser(db, req), {});
  });

  // Shows a just-made set-password link once; afterwards, offers to make a new one.
  router.get('/admin/users/:id/link', allow('users.manage'), async (req, res) => {
    const user = await loadUser(db, req);
    const issued = takeIssuedLink(req.session, user.id);
    const title = !issued ? 'Set-password link' : issued.created ? 'Account created' : issued.purpose === 'reset' ? 'Password reset link' : 'New set-password link';
    res.render('admin/link-issued', {
      title,
      user,
      link: issued ? `${baseUrl}/set-password/${issued.token}` : null,
      hours: issued ? LINK_LIFETIME_HOURS[issued.purpose] : null,
      purpose: issued?.purpose ?? null,
      created: issued?.created ?? false,
    });
  });

  router.post('/admin/users/:id/role', allow('users.manage'), async (req, res) => {
    const user = await loadUser(db, req);
    onInvalid(res, (err) => renderUser(res, req.user!, user, err instanceof ValidationError ? err.fields : { role: err.message }));
    const { role } = parseInput(RoleForm, req.body);
    const { changed } = await changeRole(db, user.id, role);
    if (!changed) {
      req.session.flash = { kind: 'info', text: `Nothing changed: ${user.displayName} is already ${roleWithArticle(role)}.` };
      return res.redirect(303, `/admin/users/${user.id}`);
    }
    logger.info({ event: 'role_changed', userId: user.id, from: user.role, to: role, by: req.user!.id }, 'role changed');
    if (user.id === req.user!.id && !can({ ...req.user!, role }, 'users.manage')) {
      // The admin pages are closed to them from the next request on.
      req.session.flash = { kind: 'success', text: `You are now ${roleWithArticle(role)}, so you no longer manage accounts.` };
      return res.redirect(303, '/');
    }
    req.session.flash = { kind: 'success', text: `${user.displayName} is now ${roleWithArticle(role)}.` };
    res.redirect(303, `/admin/users/${user.id}`);
  });

  for (const disabled of [true, false]) {
    router.post(`/admin/users/:id/${disabled ? 'disable' : 'enable'}`, allow('users.manage'), async (req, res) => {
      const user = await loadUser(db, req);
      onInvalid(res, (err) => renderUser(res, req.user!, user, { status: err.message }));
      const { changed } = await setDisabled(db, req.user!, user.id, disabled);
      const state = disabled ? 'disabled' : 'enabled';
      if (!changed) {
        req.session.flash = { kind: 'info', text: `Nothing changed: ${user.displayName}'s account is already ${state}.` };
        return res.redirect(303, `/admin/users/${user.id}`);
      }
      logger.info({ event: `account_${state}`, userId: user.id, by: req.user!.id }, 'account status changed');
      req.session.flash = {
        kind: 'success',
        text: disabled ? `${user.displayName}'s account is disabled and their sessions have ended.` : `${user.displayName}'s account is enabled.`,
      };
      res.redirect(303, `/admin/users/${user.id}`);
    });
  }

  router.post('/admin/users/:id/reset-password', allow('users.manage'), async (req, res) => {
    const { user, token, purpose } = await issueResetLink(db, req.user!, (await loadUser(db, req)).id);
    logger.info({ event: 'password_reset_issued', userId: user.id, by: req.user!.id }, 'password reset link issued');
    keepIssuedLink(req.session, { userId: user.id, token, purpose, created: false });
    res.redirect(303, `/admin/users/${user.id}/link`);
  });

  return router;
}

async function loadUser(db: Db, req: Request): Promise<User> {
  const id = parseId(req.params.id);
  const user = id === null ? null : await findUserById(db, id);
  if (!user) throw new NotFoundError();
  return user;
}

function renderUser(res: Response, actor: Actor, user: User, errors: Record<string, string>): void {
  // Nobody disables their own account (the command refuses it too), so their page offers no button for it.
  res.render('admin/user', { title: user.displayName, account: user, isYou: user.id === actor.id, errors, roles: ROLES });
}

const roleWithArticle = (role: Role) => `${role === 'admin' || role === 'editor' ? 'an' : 'a'} ${role}`;
