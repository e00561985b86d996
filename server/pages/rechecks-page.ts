import type { Request, Response } from 'express';
import { dueForRecheck } from '../claims/claim-lists.repo.ts';
import { addDays, dayOf, DUE_SOON_DAYS, recheckStanding } from '../claims/recheck-dates.ts';
import type { Db } from '../platform/database.ts';
import { respond } from '../platform/http.ts';

/** "Due for a re-check": decided claims whose check-again day has come or comes within DUE_SOON_DAYS, overdue first. */
export async function renderRechecks(db: Db, req: Request, res: Response, now: Date): Promise<void> {
  const today = dayOf(now);
  const claims = (await dueForRecheck(db, addDays(today, DUE_SOON_DAYS))).map((c) => ({ ...c, standing: recheckStanding(c.recheckBy, today) }));
  await respond(
    req,
    res,
    () => res.render('review/rechecks', { title: 'Due for a re-check', claims, today, soonDays: DUE_SOON_DAYS }),
    () => ({ today, claims: claims.map((c) => ({ id: c.id, statement: c.statement, status: c.status, trueAsOf: c.trueAsOf, recheckBy: c.recheckBy, due: c.standing === 'due' })) }),
  );
}
