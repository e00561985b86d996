import { Router } from 'express';
import { latestEventId } from '../audit/events.repo.ts';
import { loadClaim } from '../claims/claim-loader.ts';
import type { Claim } from '../claims/claims.repo.ts';
import type { Db } from '../platform/database.ts';
import { fieldErrorsOf } from '../platform/errors.ts';
import { onInvalid } from '../platform/http.ts';
import { allow, authorize } from '../platform/policies.ts';
import type { RecordScreen } from '../platform/screens.ts';
import { parseInput } from '../platform/validate.ts';
import { addComment } from './comments.ts';
import type { QueueFeed } from './live.ts';
import { assignClaim, takeNext } from './queue.ts';
import { ACTION_PATHS } from './review-panel.ts';
import { recheckClaim } from './recheck.ts';
import { AssignForm, CommentForm, RecheckForm, TransitionForm } from './schemas.ts';
import { TRANSITION_ACTIONS, TRANSITIONS } from './states.ts';
import { transitionClaim } from './transitions.ts';

const DONE: Record<string, string> = {
  submit: 'Claim submitted for review.',
  resubmit: 'Claim resubmitted for review.',
  request_changes: 'Changes requested: the claim is back with its editors.',
  verify: 'Claim verified.',
  refute: 'Claim refuted.',
  mark_unverifiable: 'Claim marked unverifiable.',
  reopen: 'Claim reopened: it is back with its editors for changes.',
  withdraw: 'Claim withdrawn.',
  restore: 'Claim restored to draft.',
};

/**
 * The verification workflow: transitions, comments, taking and assigning
 * claims, and the queue's change feed. The state table drives the routes:
 * one per action, guarded by the policy the table names. A refused form is
 * shown again on the claim page (a screen of server/pages/, given as
 * `claimPage`).
 */
export function reviewRoutes({ db, feed, claimPage, clock }: { db: Db; feed?: QueueFeed | undefined; claimPage: RecordScreen<Claim>; clock: () => Date }): Router {
  const router = Router();

  for (const action of TRANSITION_ACTIONS) {
    const t = TRANSITIONS[action];
    router.post(`/claims/:id/${ACTION_PATHS[action]}`, allow(t.who), async (req, res) => {
      const claim = await loadClaim(db, req);
      onInvalid(res, (err) => claimPage(req, res, claim, { errors: fieldErrorsOf(err), values: req.body ?? {}, panel: action }));
      const input = parseInput(TransitionForm, req.body);
      await transitionClaim(db, { actor: req.user!, claimId: claim.id, action, ...input, now: clock() });
      if (req.accepts(['html', 'json']) === 'json') {
        res.json({ id: claim.id, status: t.to });
        return;
      }
      req.session.flash = { kind: 'success', text: DONE[action] ?? 'Done.' };
      res.redirect(303, `/claims/${claim.id}`);
    });
  }

  router.post('/claims/:id/recheck', allow('claim.decide'), async (req, res) => {
    const claim = await loadClaim(db, req);
    onInvalid(res, (err) => claimPage(req, res, claim, { errors: fieldErrorsOf(err), values: req.body ?? {}, panel: 'recheck' }));
    const { note, ...input } = parseInput(RecheckForm, req.body);
    await recheckClaim(db, { actor: req.user!, claimId: claim.id, ...input, comment: note, now: clock() });
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ id: claim.id, status: claim.status });
      return;
    }
    req.session.flash = { kind: 'success', text: 'Claim checked again and confirmed.' };
    res.redirect(303, `/claims/${claim.id}`);
  });

  router.post('/claims/:id/comments', allow('claim.comment'), async (req, res) => {
    const claim = await loadClaim(db, req);
    authorize(req.user, 'claim.comment', claim);
    onInvalid(res, (err) => claimPage(req, res, claim, { errors: fieldErrorsOf(err), values: req.body ?? {}, panel: 'comment' }));
    const { body } = parseInput(CommentForm, req.body);
    await addComment(db, req.user!, claim.id, body);
    res.redirect(303, `/claims/${claim.id}#history-heading`);
  });

  router.post('/review/take-next', allow('queue.work'), async (req, res) => {
    const id = await takeNext(db, req.user!);
    if (req.accepts(['html', 'json']) === 'json') {
      res.status(id ? 200 : 404).json(id ? { id, url: `/claims/${id}` } : { error: { code: 'queue_empty', message: 'No claim is waiting that you may review.' } });
      return;
    }
    if (!id) {
      req.session.flash = { kind: 'info', text: 'Nothing to take: no unassigned claim is waiting that you did not write.' };
      res.redirect(303, '/review');
      return;
    }
    req.session.flash = { kind: 'success', text: 'This claim is yours to review.' };
    res.redirect(303, `/claims/${id}`);
  });

  router.post('/claims/:id/assign', allow('queue.work'), async (req, res) => {
    const claim = await loadClaim(db, req);
    onInvalid(res, (err) => claimPage(req, res, claim, { errors: fieldErrorsOf(err), values: req.body ?? {}, panel: 'assign' }));
    const input = parseInput(AssignForm, req.body);
    const assignee = input.assignee === 'me' ? req.user!.id : input.assignee === 'none' ? null : input.assignee;
    await assignClaim(db, req.user!, claim.id, assignee, input.expected);
    req.session.flash = { kind: 'success', text: assignee === null ? 'The claim is back in the queue, unassigned.' : assignee === req.user!.id ? 'This claim is yours to review.' : 'Claim assigned.' };
    res.redirect(303, typeof req.body?.returnTo === 'string' && req.body.returnTo === 'queue' ? '/review' : `/claims/${claim.id}`);
  });

  router.get('/api/review/state', allow('desk.read'), async (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ stamp: await latestEventId(db) });
  });

  router.get('/review/events', allow('desk.read'), (_req, res) => {
    if (!feed) {
      // No push on the embedded database: 204 tells EventSource not to retry; the page polls.
      res.status(204).end();
      return;
    }
    feed.subscribe(res);
  });

  return router;
}

