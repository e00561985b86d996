import { loadClaim } from '../../claims/claim-loader.ts';
import { findClaim } from '../../claims/claims.repo.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { authorize } from '../../platform/policies.ts';
import { addComment } from '../../review/comments.ts';
import { commentsOfClaim, findComment } from '../../review/comments.repo.ts';
import { takeNext } from '../../review/queue.ts';
import { ACTION_PATHS } from '../../review/review-panel.ts';
import { CommentForm, TransitionForm } from '../../review/schemas.ts';
import { TRANSITION_ACTIONS, TRANSITIONS } from '../../review/states.ts';
import { transitionClaim } from '../../review/transitions.ts';
import { z } from 'zod';
import type { ApiContext } from '../context.ts';
import { ClaimOut, claimOut, CommentOut } from '../schemas.ts';

const WHAT: Record<string, string> = {
  submit: 'Submit a draft for review (it needs a statement and at least one evidence link).',
  resubmit: 'Send a claim back to review after the changes asked for.',
  request_changes: 'Send a claim in review back to its editors; `comment` says what to change.',
  verify: 'Verify a claim in review: it needs a supporting link and `confidence`; a `comment` when a link contradicts it.',
  refute: 'Refute a claim in review: it needs a contradicting link and a `comment` (the rationale).',
  mark_unverifiable: 'Mark a claim in review unverifiable, with a `comment` (the rationale).',
  reopen: 'Reopen a decided claim for changes, with a `comment` (the reason).',
  withdraw: 'Withdraw a claim that is not decided.',
  restore: 'Restore a withdrawn claim to draft.',
};

/**
 * The workflow through the API: each transition of the state table is an
 * operation, guarded by the policy the table names and carried out by the
 * same command as the claim page's buttons (the four-eyes rule included);
 * taking the next claim of the queue; a claim's comments.
 */
export function reviewOperations({ db, router, ops, config, clock }: ApiContext): void {
  for (const action of TRANSITION_ACTIONS) {
    const t = TRANSITIONS[action];
    ops.add(
      router,
      {
        method: 'post',
        path: `/api/v1/claims/:id/${ACTION_PATHS[action]}`,
        id: `${action.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase())}Claim`,
        tag: 'Workflow',
        summary: t.label,
        description: `${WHAT[action] ?? ''} Send the \`version\` you read: a claim changed since answers 409.`,
        policy: t.who,
        body: TransitionForm,
        responses: { 200: { description: 'The claim after the transition.', schema: ClaimOut } },
      },
      async (req, res, input) => {
        const claim = await loadClaim(db, req);
        await transitionClaim(db, { actor: req.user!, claimId: claim.id, action, ...input.body, now: clock() });
        res.json(claimOut((await findClaim(db, claim.id))!, config.baseUrl));
      },
    );
  }

  ops.add(
    router,
    {
      method: 'post',
      path: '/api/v1/queue/take',
      id: 'takeNextClaim',
      tag: 'Workflow',
      summary: 'Take the next claim of the review queue',
      description: 'Assigns to you the claim that has waited longest at the highest priority, among those nobody holds and you did not write. 404 when there is none.',
      policy: 'queue.work',
      responses: { 200: { description: 'The claim, now assigned to you.', schema: ClaimOut } },
    },
    async (req, res) => {
      const id = await takeNext(db, req.user!);
      if (!id) throw new NotFoundError('No claim is waiting that you may review.');
      res.json(claimOut((await findClaim(db, id))!, config.baseUrl));
    },
  );

  ops.add(
    router,
    { method: 'get', path: '/api/v1/claims/:id/comments', id: 'listComments', tag: 'Workflow', summary: 'A claim’s comments', policy: 'desk.read', responses: { 200: { description: 'The comments, oldest first.', schema: z.object({ items: z.array(CommentOut) }) } } },
    async (req, res) => {
      const claim = await loadClaim(db, req);
      res.json({ items: (await commentsOfClaim(db, claim.id)).map((c) => ({ ...c, createdAt: new Date(c.createdAt).toISOString() })) });
    },
  );

  ops.add(
    router,
    { method: 'post', path: '/api/v1/claims/:id/comments', id: 'addComment', tag: 'Workflow', summary: 'Comment on a claim', policy: 'claim.comment', body: CommentForm, responses: { 201: { description: 'The comment.', schema: CommentOut } } },
    async (req, res, input) => {
      const claim = await loadClaim(db, req);
      authorize(req.user, 'claim.comment', claim);
      const id = await addComment(db, req.user!, claim.id, input.body.body);
      const comment = (await findComment(db, id))!;
      res.status(201).json({ ...comment, createdAt: new Date(comment.createdAt).toISOString() });
    },
  );
}
