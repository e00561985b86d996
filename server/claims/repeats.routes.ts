import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../platform/database.ts';
import { fieldErrorsOf, NotFoundError } from '../platform/errors.ts';
import { onInvalid } from '../platform/http.ts';
import { allow } from '../platform/policies.ts';
import type { RecordScreen } from '../platform/screens.ts';
import { optionalId, optionalText, parseId, parseInput, requiredText } from '../platform/validate.ts';
import { loadClaim } from './claim-loader.ts';
import { confirmRepeat, dismissRepeat, findRepeats } from './claim-repeats.commands.ts';
import type { Claim } from './claims.repo.ts';
import type { MatchSettings } from './repeat-match.ts';
import { describeReasons } from './repeats-panel.ts';
import { STATUS_LABELS } from './statuses.ts';

const RepeatsQuery = z.object({
  statement: requiredText('statement', 2000, { multiline: true }),
  claim: optionalId('The claim number must be a whole number.').optional(),
});

const LinkForm = z.object({ earlierId: optionalId('Give the earlier claim’s number, such as 123.').refine((v) => v !== null, 'Give the earlier claim’s number, such as 123.') });
/** Where to go back to: the desk's list of possible repeats (with its tab), or the claim. */
const BackForm = z.object({ back: optionalText('back', 20) });

/**
 * Repeat claims: the matcher's suggestions while a claim is logged (JSON, for
 * the log form), and confirming or dismissing that a claim repeats an earlier
 * one. The desk's list is a screen (server/pages/repeats-page.ts).
 */
export function repeatsRoutes({ db, settings, claimPage }: { db: Db; settings: MatchSettings; claimPage: RecordScreen<Claim> }): Router {
  const router = Router();

  router.get('/api/repeats', allow('desk.read'), async (req, res) => {
    const { statement, claim } = parseInput(RepeatsQuery, req.query);
    const matches = await findRepeats(db, statement, settings, claim ?? null);
    res.json({
      matches: matches.map((m) => ({
        id: m.id,
        url: `/claims/${m.id}`,
        statement: m.statement,
        status: STATUS_LABELS[m.status],
        verdict: m.verdictLabel,
        decidedAt: m.decidedAt,
        level: m.level,
        score: m.score,
        reasons: describeReasons(statement, m.reasons),
      })),
    });
  });

  router.post('/claims/:id/repeats', allow('repeat.manage'), async (req, res) => {
    const claim = await loadClaim(db, req);
    onInvalid(res, (err) => claimPage(req, res, claim, { errors: fieldErrorsOf(err), values: req.body ?? {}, panel: 'repeats' }));
    const { earlierId } = parseInput(LinkForm, req.body);
    await confirmRepeat(db, req.user!, claim.id, earlierId!);
    req.session.flash = { kind: 'success', text: `Linked: claim #${claim.id} is the same claim as #${earlierId}.` };
    res.redirect(303, `/claims/${claim.id}#repeats`);
  });

  for (const [path, done] of [['confirm', 'confirmed'], ['dismiss', 'dismissed']] as const) {
    router.post(`/claims/:id/repeats/:earlierId/${path}`, allow('repeat.manage'), async (req, res) => {
      const claim = await loadClaim(db, req);
      const earlierId = parseId(req.params.earlierId);
      if (earlierId === null) throw new NotFoundError();
      const { back } = parseInput(BackForm, req.body);
      let text: string;
      if (done === 'confirmed') {
        await confirmRepeat(db, req.user!, claim.id, earlierId);
        text = `Linked: claim #${claim.id} is the same claim as #${earlierId}.`;
      } else {
        const { unlinked } = await dismissRepeat(db, req.user!, claim.id, earlierId);
        text = unlinked ? `Unlinked: claim #${claim.id} is not the same claim as #${earlierId}.` : `Dismissed: #${earlierId} will not be suggested for claim #${claim.id} again.`;
      }
      if (req.accepts(['html', 'json']) === 'json') {
        res.json({ claimId: claim.id, earlierId, state: done });
        return;
      }
      req.session.flash = { kind: 'success', text };
      res.redirect(303, back === 'suggested' || back === 'confirmed' || back === 'dismissed' ? `/repeats?state=${back}` : `/claims/${claim.id}#repeats`);
    });
  }

  return router;
}
