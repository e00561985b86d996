import type { Request, Response } from 'express';
import { z } from 'zod';
import { listRepeats, repeatCounts, type RepeatState } from '../claims/claim-repeats.repo.ts';
import { describeReasons } from '../claims/repeats-panel.ts';
import type { Db } from '../platform/database.ts';
import { respond } from '../platform/http.ts';
import { can } from '../platform/policies.ts';
import { choice, intInRange, parseInput } from '../platform/validate.ts';

const PAGE = 50;
const STATES = ['suggested', 'confirmed', 'dismissed'] as const;
const TAB_LABELS: Record<RepeatState, string> = { suggested: 'To look at', confirmed: 'Confirmed', dismissed: 'Dismissed' };

const RepeatsQuery = z.object({
  state: choice(STATES, 'Choose suggested, confirmed or dismissed.').default('suggested'),
  page: intInRange('the page', 1, 10_000).default(1),
});

/** "Possible repeats": the matcher's pairs for the desk to confirm or dismiss, confident ones first, with counts. */
export async function renderRepeats(db: Db, req: Request, res: Response): Promise<void> {
  const { state, page } = parseInput(RepeatsQuery, req.query);
  const [counts, rows] = await Promise.all([repeatCounts(db), listRepeats(db, { state, limit: PAGE + 1, offset: (page - 1) * PAGE })]);
  const pairs = rows.slice(0, PAGE).map((p) => ({ ...p, why: describeReasons(p.claim.statement, p.reasons) }));
  await respond(
    req,
    res,
    () =>
      res.render('claims/repeats-list', {
        title: 'Possible repeats',
        state,
        tabs: STATES.map((s) => ({ state: s, label: TAB_LABELS[s], count: counts[s], current: s === state })),
        confident: counts.confident,
        pairs,
        canManage: can(req.user, 'repeat.manage'),
        page,
        nextPage: rows.length > PAGE ? page + 1 : null,
      }),
    () => ({ counts, pairs: pairs.map((p) => ({ claimId: p.claimId, earlierId: p.earlierId, state: p.state, level: p.level, score: p.score, reasons: p.why })) }),
  );
}
