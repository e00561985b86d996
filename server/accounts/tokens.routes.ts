import { Router, type Response } from 'express';
import type { SessionData } from 'express-session';
import type { Db } from '../platform/database.ts';
import { fieldErrorsOf, type FieldErrors } from '../platform/errors.ts';
import { onInvalid } from '../platform/http.ts';
import { allow, type Actor } from '../platform/policies.ts';
import { parseId, parseInput } from '../platform/validate.ts';
import { createApiToken, revokeApiToken, TOKEN_LIFETIMES } from './api-tokens.ts';
import { allTokens, tokensOf } from './api-tokens.repo.ts';
import { NewTokenForm } from './schemas.ts';

declare module 'express-session' {
  interface SessionData {
    /** A token just made, waiting for its page to show its secret once: never in a URL or the log. */
    issuedToken?: { id: number; name: string; secret: string };
  }
}

/**
 * Personal access tokens for the JSON API: everyone makes and revokes their
 * own on /account/tokens (the secret is shown once, then only its last
 * characters); admins see and revoke every token on /admin/tokens.
 */
export function tokenRoutes({ db }: { db: Db }): Router {
  const router = Router();

  router.get('/account/tokens', allow('account.manage'), async (req, res) => {
    await renderTokens(db, res, req.user!, { scope: 'read', lifetime: '90' }, {});
  });

  router.post('/account/tokens', allow('account.manage'), async (req, res) => {
    onInvalid(res, (err) => renderTokens(db, res, req.user!, req.body ?? {}, fieldErrorsOf(err)));
    const input = parseInput(NewTokenForm, req.body);
    const { id, secret } = await createApiToken(db, req.user!, { name: input.name, scope: input.scope, lifetimeDays: Number(input.lifetime) });
    req.session.issuedToken = { id, name: input.name, secret };
    res.redirect(303, '/account/tokens/created');
  });

  // Shows a just-made token's secret once; a reload shows that it is gone.
  router.get('/account/tokens/created', allow('account.manage'), (req, res) => {
    const issued = takeIssued(req.session);
    res.render('accounts/token-created', { title: issued ? 'Token created' : 'Token already shown', issued });
  });

  router.post('/account/tokens/:id/revoke', allow('account.manage'), async (req, res) => {
    await revokeApiToken(db, req.user!, parseId(req.params.id) ?? 0);
    req.session.flash = { kind: 'success', text: 'Token revoked: it no longer works.' };
    res.redirect(303, '/account/tokens');
  });

  router.get('/admin/tokens', allow('tokens.admin'), async (_req, res) => {
    res.render('admin/tokens', { title: 'API tokens', tokens: await allTokens(db) });
  });

  router.post('/admin/tokens/:id/revoke', allow('tokens.admin'), async (req, res) => {
    await revokeApiToken(db, req.user!, parseId(req.params.id) ?? 0);
    req.session.flash = { kind: 'success', text: 'Token revoked: it no longer works.' };
    res.redirect(303, '/admin/tokens');
  });

  return router;
}

async function renderTokens(db: Db, res: Response, actor: Actor, values: Record<string, unknown>, errors: FieldErrors): Promise<void> {
  res.render('accounts/tokens', { title: 'API tokens', tokens: await tokensOf(db, actor.id), values, errors, lifetimes: TOKEN_LIFETIMES });
}

function takeIssued(session: Partial<SessionData>): SessionData['issuedToken'] | null {
  const issued = session.issuedToken ?? null;
  delete session.issuedToken;
  return issued;
}
