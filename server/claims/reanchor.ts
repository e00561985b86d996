import { recordEvents, type NewEvent } from '../audit/events.repo.ts';
import type { Db } from '../platform/database.ts';
import type { Actor } from '../platform/policies.ts';
import { anchorAt, reanchor } from './anchor.ts';
import { lockAnchorsOfReport, markQuoteMissing, saveAnchor } from './claims.repo.ts';

export interface ReanchorProps {
  actor: Actor;
  reportId: number;
  /** The report's new text and its revision number. */
  body: string;
  revision: number;
}

/** What a revision did to the claims of the report. */
export interface ReanchorCounts {
  /** How many claims the report has. */
  claims: number;
  moved: number;
  missing: number;
}

/**
 * Re-anchors every claim of a report in its new text, inside the revision's
 * transaction (`trx`). A claim whose quote moved, or was lost or found again,
 * gets a new version and an event: a form opened on the old text is then
 * stale (409) instead of saving against a passage that is no longer where it
 * was. The report's correction calls this one function (app.ts hands it to
 * the reports feature, which does not import claims).
 */
export async function reanchorReportClaims(trx: Db, props: ReanchorProps): Promise<ReanchorCounts> {
  const { actor, body, revision } = props;
  const claims = await lockAnchorsOfReport(trx, props.reportId);
  const events: NewEvent[] = [];
  let moved = 0;
  let missing = 0;
  for (const c of claims) {
    const found = reanchor(body, c.anchor);
    if (found) {
      const anchor = anchorAt(body, found.start, found.end);
      const changed = anchor.start !== c.anchor.start || anchor.end !== c.anchor.end || c.quoteMissing;
      await saveAnchor(trx, c.id, { anchor, revision, bump: changed });
      if (changed) {
        moved += 1;
        events.push({ claimId: c.id, actorId: actor.id, type: 'reanchored', data: { revision, from: c.anchor.start, to: anchor.start } });
      }
    } else {
      missing += 1;
      if (c.quoteMissing) continue;
      await markQuoteMissing(trx, c.id);
      events.push({ claimId: c.id, actorId: actor.id, type: 'reanchored', data: { revision, missing: true } });
    }
  }
  await recordEvents(trx, events);
  return { claims: claims.length, moved, missing };
}
