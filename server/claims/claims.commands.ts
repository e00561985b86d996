import { recordEvent } from '../audit/events.repo.ts';
import type { Db } from '../platform/database.ts';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import { isAuthorOf, type Actor } from '../platform/policies.ts';
import { lockReportText } from '../reports/reports.repo.ts';
import { locateQuote, MAX_OCCURRENCES, type Anchor } from './anchor.ts';
import { refreshSuggestions } from './claim-repeats.commands.ts';
import { findClaim, insertClaim, saveClaimEdit, type Claim } from './claims.repo.ts';
import { DEFAULT_MATCH_SETTINGS, type MatchSettings } from './repeat-match.ts';
import type { EditClaimInput, LogClaimInput } from './schemas.ts';
import { canEditIn, whyNotEditable } from './statuses.ts';

/** Logs a claim from a report's text (the quote must really be in the body), and looks for earlier claims it repeats. */
export async function logClaim(db: Db, actor: Actor, reportId: number, input: LogClaimInput, repeats: MatchSettings = DEFAULT_MATCH_SETTINGS): Promise<number> {
  return db.transaction(async (trx) => {
    // Lock the report row so a revision cannot change the body under the anchor.
    const report = await lockReportText(trx, reportId);
    if (!report) throw new NotFoundError();
    const anchor = anchorQuote(report.body, input);
    const id = await insertClaim(
      trx,
      {
        reportId,
        statement: input.statement,
        quote: anchor,
        anchoredRevision: report.revision,
        claimant: input.claimant,
        kind: input.kind,
        tags: input.tags,
        priority: input.priority,
      },
      actor.id,
    );
    await recordEvent(trx, {
      claimId: id,
      actorId: actor.id,
      type: 'created',
      to: 'draft',
      data: { statement: input.statement, quote: anchor.exact, claimant: input.claimant, kind: input.kind },
    });
    await refreshSuggestions(trx, id, input.statement, repeats);
    return id;
  });
}

/** Fields compared (and recorded, before and after) when a claim is edited; the quote is compared with its place. */
const EDITABLE_FIELDS = ['statement', 'claimant', 'kind', 'tags', 'priority', 'confidence'] as const;

/**
 * Saves an edit of a claim in draft or changes requested. The form's version
 * must be the claim's: otherwise someone saved first, and this is a 409 that
 * carries the current claim so nothing typed is lost. Editing the statement
 * or quote makes the editor an author (they may then not decide it).
 */
export async function editClaim(db: Db, actor: Actor, claimId: number, input: EditClaimInput, repeats: MatchSettings = DEFAULT_MATCH_SETTINGS): Promise<{ changed: string[] }> {
  return db.transaction(async (trx) => {
    const claim = await findClaim(trx, claimId, { lock: true });
    if (!claim) throw new NotFoundError();
    if (claim.version !== input.version) throw staleClaim(claim);
    if (!canEditIn(claim.status)) throw notEditable(claim);
    const quoteMoved = input.quote !== claim.quote || input.quoteStart !== claim.quoteStart;
    let anchor: Anchor = { exact: claim.quote, prefix: claim.quotePrefix, suffix: claim.quoteSuffix, start: claim.quoteStart, end: claim.quoteEnd };
    let revision = claim.anchoredRevision;
    if (quoteMoved || claim.quoteMissing) {
      const report = (await lockReportText(trx, claim.reportId))!;
      anchor = anchorQuote(report.body, input);
      revision = report.revision;
    }
    const next = { statement: input.statement, claimant: input.claimant, kind: input.kind, tags: input.tags, priority: input.priority, confidence: input.confidence };
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of EDITABLE_FIELDS) {
      if (JSON.stringify(claim[field]) !== JSON.stringify(next[field])) changes[field] = { from: claim[field], to: next[field] };
    }
    // The same words at another place in the report are another quote: the
    // claim now checks a different passage, so it is a quote edit (the editor
    // becomes an author) and the history keeps both places.
    if (anchor.exact !== claim.quote || anchor.start !== claim.quoteStart || anchor.end !== claim.quoteEnd || claim.quoteMissing) {
      changes.quote = {
        from: { text: claim.quote, start: claim.quoteStart, end: claim.quoteEnd, ...(claim.quoteMissing ? { missing: true } : {}) },
        to: { text: anchor.exact, start: anchor.start, end: anchor.end },
      };
    }
    if (Object.keys(changes).length === 0) return { changed: [] };
    const authoring = 'statement' in changes || 'quote' in changes;
    const saved = await saveClaimEdit(trx, {
      id: claimId,
      version: input.version,
      edit: next,
      anchor,
      anchoredRevision: revision,
      editorId: actor.id,
      addAuthor: authoring && !isAuthorOf(actor, claim),
    });
    if (!saved) throw staleClaim(claim);
    await recordEvent(trx, { claimId, actorId: actor.id, type: 'edited', data: { changes } });
    // A new statement may repeat other claims than the old one did.
    if ('statement' in changes) await refreshSuggestions(trx, claimId, input.statement, repeats);
    return { changed: Object.keys(changes) };
  });
}

/** Anchors the form's quote in the body, or a 400 that says why it cannot. */
export function anchorQuote(body: string, input: { quote: string; quotePrefix: string; quoteSuffix: string; quoteStart: number | null; quoteEnd: number | null }): Anchor {
  const found = locateQuote(body, { exact: input.quote, prefix: input.quotePrefix, suffix: input.quoteSuffix, start: input.quoteStart, end: input.quoteEnd });
  if (found.ok) return found.anchor;
  throw new ValidationError({
    quote:
      found.reason === 'not_found'
        ? 'This quote is not in the report’s text. Select it in the text, or paste it exactly as it appears, with the same punctuation and quotation marks.'
        : `This quote appears ${found.occurrences > MAX_OCCURRENCES ? `more than ${MAX_OCCURRENCES}` : found.occurrences} times in the report. Select the one you mean in the text, or paste a longer quote so that only one place matches.`,
  });
}

/** The 409 for editing a claim whose status does not allow it. */
export function notEditable(claim: Claim): ConflictError {
  return new ConflictError(whyNotEditable(claim.status), claim, 'not_editable');
}

function staleClaim(current: Claim): ConflictError {
  return new ConflictError(
    'Someone else saved this claim after you opened it. Your changes have not been saved: compare them with the current version below, then save again.',
    current,
    'stale_version',
  );
}
