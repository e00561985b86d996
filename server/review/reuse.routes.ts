import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { loadClaim } from '../claims/claim-loader.ts';
import type { Claim } from '../claims/claims.repo.ts';
import { STATUS_LABELS } from '../claims/statuses.ts';
import type { Db } from '../platform/database.ts';
import { fieldErrorsOf, NotFoundError, type FieldErrors } from '../platform/errors.ts';
import { onInvalid } from '../platform/http.ts';
import { allow, authorize } from '../platform/policies.ts';
import { intInRange, optionalText, parseId, parseInput } from '../platform/validate.ts';
import { evidenceOfClaim } from '../sources/evidence.repo.ts';
import { reusableOriginal, reuseVerdict } from './reuse-verdict.ts';

const ReuseForm = z.object({
  version: intInRange('the version', 1, 2_147_483_647),
  comment: optionalText('the rationale', 5000, { multiline: true }),
});

/**
 * Reusing an earlier verdict: the two claims side by side, and the one action
 * that decides the repeat as the earlier claim was decided (a decision: only
 * a reviewer who did not write the claim).
 */
export function reuseRoutes({ db, clock }: { db: Db; clock: () => Date }): Router {
  const router = Router();

  const load = async (req: Request): Promise<{ claim: Claim; earlier: Claim }> => {
    const claim = await loadClaim(db, req);
    const earlierId = parseId(req.params.earlierId);
    if (earlierId === null) throw new NotFoundError();
    authorize(req.user, 'claim.decide', claim);
    return { claim, earlier: await reusableOriginal(db, claim, earlierId) };
  };

  const render = async (res: Response, claim: Claim, earlier: Claim, values: Record<string, unknown>, errors: FieldErrors) => {
    const [evidence, earlierEvidence] = await Promise.all([evidenceOfClaim(db, claim.id), evidenceOfClaim(db, earlier.id)]);
    res.render('review/reuse', {
      title: `Reuse the verdict of #${earlier.id} for claim #${claim.id}`,
      claim,
      earlier,
      evidence,
      earlierEvidence,
      decision: STATUS_LABELS[earlier.status].toLowerCase(),
      values: { version: claim.version, comment: earlier.rationale ?? '', ...values },
      errors,
    });
  };

  router.get('/claims/:id/reuse/:earlierId', allow('claim.decide'), async (req, res) => {
    const { claim, earlier } = await load(req);
    await render(res, claim, earlier, {}, {});
  });

  router.post('/claims/:id/reuse/:earlierId', allow('claim.decide'), async (req, res) => {
    const { claim, earlier } = await load(req);
    onInvalid(res, (err) => render(res, claim, earlier, req.body ?? {}, fieldErrorsOf(err)));
    const input = parseInput(ReuseForm, req.body);
    const { to } = await reuseVerdict(db, { actor: req.user!, claimId: claim.id, earlierId: earlier.id, version: input.version, comment: input.comment, now: clock() });
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ id: claim.id, status: to, reusedFrom: earlier.id });
      return;
    }
    req.session.flash = { kind: 'success', text: `Claim ${STATUS_LABELS[to].toLowerCase()}, reusing the verdict and evidence of #${earlier.id}.` };
    res.redirect(303, `/claims/${claim.id}`);
  });

  return router;
}
