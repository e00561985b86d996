import { randomUUID } from 'node:crypto';
import { findUserById } from '../accounts/users.repo.ts';
import { decidedOriginalOf } from '../claims/claim-repeats.repo.ts';
import { claimsByIds, matchingClaims } from '../claims/claim-lists.repo.ts';
import type { ClaimFilterValues } from '../claims/claim-filters.ts';
import { editClaim } from '../claims/claims.commands.ts';
import { findClaim, type Claim } from '../claims/claims.repo.ts';
import { findSelection, finishApplying, insertSelection, startApplying, type BulkResult, type SelectedClaim, type Selection, type SkippedClaim } from '../claims/selections.repo.ts';
import type { Db } from '../platform/database.ts';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../platform/errors.ts';
import type { Actor } from '../platform/policies.ts';
import { assignClaim } from '../review/queue.ts';
import { transitionClaim } from '../review/transitions.ts';
import { evidenceCountsOf } from '../sources/evidence.repo.ts';
import { BULK, type Assignee, type BulkAction, type BulkClaim, type BulkParams } from './actions.ts';
import { MAX_BULK } from './schemas.ts';

/** Which claims a bulk action takes: those ticked (at the versions the list showed), or all the filters match. */
export type BulkTarget = { kind: 'ticked'; claims: SelectedClaim[] } | { kind: 'matching'; filters: ClaimFilterValues; queue: boolean };

const CHANGED_SINCE_LIST = { code: 'changed_since_list', reason: 'Someone changed it after your list was loaded. Look at it again.' };
const CHANGED_SINCE_PREVIEW = { code: 'changed_since_preview', reason: 'Someone changed it after the preview. Look at it again.' };

/**
 * Previews a bulk action: works out, claim by claim and with the single
 * action's own rules, which claims it changes and which it leaves and why,
 * and stores that as a selection the person then applies (or not). Returns
 * the selection's key.
 */
export async function previewBulk(db: Db, actor: Actor, props: { action: BulkAction; params: BulkParams; target: BulkTarget; back: string }): Promise<string> {
  const chosen = await targetClaims(db, actor, props.target);
  const claims = new Map((await claimsByIds(db, chosen.map((c) => c.id))).map((c) => [c.id, c]));
  const needsEvidence = ['submit', 'verify', 'mark_unverifiable'].includes(props.action);
  const counts = needsEvidence ? await evidenceCountsOf(db, [...claims.keys()]) : new Map();
  const assignee = props.params.assigneeId ? await findUserById(db, props.params.assigneeId) : null;
  const params: BulkParams = { ...props.params, ...(assignee ? { assigneeName: assignee.displayName } : {}) };
  const items: SelectedClaim[] = [];
  const skipped: SkippedClaim[] = [];
  for (const { id, version } of chosen) {
    const claim = claims.get(id);
    if (!claim) {
      skipped.push({ id, code: 'gone', reason: 'It is not on the desk any more.' });
      continue;
    }
    if (version !== claim.version) {
      skipped.push({ id, ...CHANGED_SINCE_LIST });
      continue;
    }
    const evidence = counts.get(id) ?? { supports: 0, contradicts: 0, total: 0 };
    const repeatsDecided = props.action === 'submit' && evidence.total === 0 ? (await decidedOriginalOf(db, id)) !== null : false;
    const why = BULK[props.action].check({ ...claim, evidence, repeatsDecided } as BulkClaim, actor, params, assignee as Assignee | null);
    if (why) skipped.push({ id, ...why });
    else items.push({ id, version: claim.version });
  }
  const key = randomUUID();
  await insertSelection(db, { key, actorId: actor.id, action: props.action, params: params as Record<string, unknown>, items, skipped, back: props.back });
  return key;
}

/** The claims of a target with their versions: the ticked ones as the list showed them, or the filters' matches now. */
async function targetClaims(db: Db, actor: Actor, target: BulkTarget): Promise<SelectedClaim[]> {
  if (target.kind === 'ticked') return [...new Map(target.claims.map((c) => [c.id, c])).values()];
  const found = await matchingClaims(db, target.filters, actor, { queue: target.queue, limit: MAX_BULK + 1 });
  if (found.length > MAX_BULK) {
    throw new ValidationError({ bulkScope: `More than ${MAX_BULK.toLocaleString('en-GB')} claims match these filters. Narrow them, then act on the claims in batches.` });
  }
  return found;
}

/**
 * Applies a previewed bulk action: each claim through the single action's
 * command, in its own transaction with its own history entry, at the
 * version the preview saw (one claim refused never undoes the others). The
 * same selection applied twice applies once: the second request finds it
 * applied, or being applied, and changes nothing.
 */
export async function applyBulk(db: Db, actor: Actor, key: string, log: (err: unknown, claimId: number) => void): Promise<Selection> {
  const selection = await findSelection(db, key, actor.id);
  if (!selection) throw new NotFoundError();
  if (selection.action === 'export') throw new ConflictError('An export has nothing to apply: download the selection from its sheet.', undefined, 'not_applicable');
  if (!(await startApplying(db, key, actor.id))) return selection;
  const result: BulkResult = { done: [], skipped: [] };
  for (const item of selection.items) {
    try {
      await applyOne(db, actor, selection.action as BulkAction, selection.params as BulkParams, item);
      result.done.push(item.id);
    } catch (err) {
      if (err instanceof ConflictError && err.code === 'stale_version') result.skipped.push({ id: item.id, ...CHANGED_SINCE_PREVIEW });
      else if (err instanceof AppError && err.status < 500) result.skipped.push({ id: item.id, code: `refused_${err.code}`, reason: messageOf(err) });
      else {
        log(err, item.id);
        result.skipped.push({ id: item.id, code: 'error', reason: 'Something went wrong with this claim; it was not changed. Try it on its own.' });
      }
    }
  }
  await finishApplying(db, key, result);
  return (await findSelection(db, key, actor.id))!;
}

/** One claim through its single action's command. */
async function applyOne(db: Db, actor: Actor, action: BulkAction, p: BulkParams, item: SelectedClaim): Promise<void> {
  switch (action) {
    case 'add_tag':
    case 'remove_tag':
    case 'set_priority': {
      const claim = await current(db, item);
      const tags = action === 'add_tag' ? [...claim.tags, p.tag!] : action === 'remove_tag' ? claim.tags.filter((t) => t !== p.tag) : claim.tags;
      await editClaim(db, actor, claim.id, { ...editInputOf(claim), tags, priority: action === 'set_priority' ? p.priority! : claim.priority, version: item.version });
      return;
    }
    case 'assign':
    case 'unassign': {
      const claim = await current(db, item);
      await assignClaim(db, actor, claim.id, action === 'assign' ? p.assigneeId! : null, claim.assigneeId, p.note ?? null);
      return;
    }
    case 'submit':
    case 'withdraw':
    case 'verify':
    case 'mark_unverifiable':
      await transitionClaim(db, { actor, claimId: item.id, action, version: item.version, comment: p.note ?? null, confidence: p.confidence ?? null });
      return;
    case 'export':
      return;
  }
}

/** The claim now, or a stale-version conflict when it is not at the version the preview saw. */
async function current(db: Db, item: SelectedClaim): Promise<Claim> {
  const claim = await findClaim(db, item.id);
  if (!claim) throw new NotFoundError();
  if (claim.version !== item.version) throw new ConflictError('changed', undefined, 'stale_version');
  return claim;
}

/** A claim's fields as its edit form holds them, unchanged. */
function editInputOf(claim: Claim) {
  return {
    quote: claim.quote,
    quotePrefix: claim.quotePrefix,
    quoteSuffix: claim.quoteSuffix,
    quoteStart: claim.quoteStart,
    quoteEnd: claim.quoteEnd,
    statement: claim.statement,
    claimant: claim.claimant,
    kind: claim.kind,
    tags: claim.tags,
    priority: claim.priority,
    confidence: claim.confidence,
  };
}

/** A refusal in one sentence: a validation error's first field message, else its message. */
function messageOf(err: AppError): string {
  if (err instanceof ValidationError) return Object.values(err.fields)[0] ?? err.message;
  return err.message;
}
