import { Router, type Request, type Response } from 'express';
import { ClaimFilters, filtersToQuery, queryValues } from '../claims/claim-filters.ts';
import { claimsByIds } from '../claims/claim-lists.repo.ts';
import { findSelection, SELECTION_KEY, type Selection, type SkippedClaim } from '../claims/selections.repo.ts';
import type { Db } from '../platform/database.ts';
import { fieldErrorsOf, NotFoundError, ValidationError } from '../platform/errors.ts';
import { onInvalid, safeReturnPath } from '../platform/http.ts';
import { allow } from '../platform/policies.ts';
import { parseInput } from '../platform/validate.ts';
import { BULK, offeredActions, type BulkAction } from './actions.ts';
import { applyBulk, previewBulk, type BulkTarget } from './bulk.commands.ts';
import { bulkPanel } from './bulk-panel.ts';
import { BulkForm, type BulkInput } from './schemas.ts';

/** How many claims of each list a preview or result page names (the counts cover them all). */
const NAMED = 100;

/** Bulk actions: the preview of what a list's bulk form asks, applying it once, and its result. */
export function bulkRoutes({ db }: { db: Db }): Router {
  const router = Router();

  router.post('/claims/bulk', allow('bulk.act'), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const back = safeReturnPath(body.back);
    onInvalid(res, async (err) => {
      res.render('bulk/form', { title: 'Bulk action', ...(await bulkPanel(db, req.user!, { back, values: body, errors: fieldErrorsOf(err) })) });
    });
    const input = parseInput(BulkForm, body);
    if (!offeredActions(req.user!).includes(input.bulkAction)) throw new ValidationError({ bulkAction: 'Your account may not do this.' }, undefined, 403);
    const key = await previewBulk(db, req.user!, { action: input.bulkAction, params: paramsOf(input), target: targetOf(input, body), back });
    if (input.bulkAction === 'export') {
      res.redirect(303, `/claims/sheet?${new URLSearchParams({ selection: key }).toString()}`);
      return;
    }
    res.redirect(303, `/claims/bulk/${key}`);
  });

  router.get('/claims/bulk/:key', allow('bulk.act'), async (req, res) => {
    const selection = await loadSelection(db, req);
    await renderSelection(db, res, selection);
  });

  router.post('/claims/bulk/:key/apply', allow('bulk.act'), async (req, res) => {
    const selection = await loadSelection(db, req);
    await applyBulk(db, req.user!, selection.key, (err, claimId) => req.log.error({ err, claimId }, 'a claim of a bulk action failed'));
    res.redirect(303, `/claims/bulk/${selection.key}`);
  });

  return router;
}

const plural = (n: number) => `${n.toLocaleString('en-GB')} claim${n === 1 ? '' : 's'}`;

async function loadSelection(db: Db, req: Request): Promise<Selection> {
  const key = String(req.params.key ?? '');
  const selection = SELECTION_KEY.test(key) ? await findSelection(db, key, req.user!.id) : null;
  if (!selection) throw new NotFoundError();
  return selection;
}

function paramsOf(input: BulkInput) {
  return {
    ...(input.bulkTag ? { tag: input.bulkTag } : {}),
    ...(input.bulkPriority !== null ? { priority: input.bulkPriority } : {}),
    ...(input.bulkAssignee ? { assigneeId: input.bulkAssignee } : {}),
    ...(input.bulkNote ? { note: input.bulkNote } : {}),
    ...(input.bulkConfidence ? { confidence: input.bulkConfidence } : {}),
  };
}

/** The claims the form names: those ticked, every one of the page, or all its filters match (parsed by the lists' own schema). */
function targetOf(input: BulkInput, body: Record<string, unknown>): BulkTarget {
  if (input.bulkScope === 'selected') return { kind: 'ticked', claims: input.ids };
  if (input.bulkScope === 'page') return { kind: 'ticked', claims: input.pageIds };
  const raw = queryValues(typeof body.filters === 'string' ? body.filters : '');
  const filters = input.list === 'report' ? ClaimFilters.parse({ report: input.report }) : parseInput(ClaimFilters, raw);
  return { kind: 'matching', filters, queue: input.list === 'review' };
}

/** The preview (or, once applied, the result) of a selection, claims named by number and statement, grouped by why. */
async function renderSelection(db: Db, res: Response, selection: Selection): Promise<void> {
  const action = selection.action as BulkAction;
  // Once applied, the claims left alone are those the preview named and those refused when applying.
  const skipped = selection.result ? [...selection.skipped, ...selection.result.skipped] : selection.skipped;
  const changing = selection.result ? selection.result.done : selection.items.map((i) => i.id);
  const named = [...changing.slice(0, NAMED), ...skipped.slice(0, NAMED * 3).map((s) => s.id)];
  const statements = new Map((await claimsByIds(db, named)).map((c) => [c.id, c.statement]));
  const groups = new Map<string, { reason: string; claims: SkippedClaim[] }>();
  for (const s of skipped) {
    const group = groups.get(s.code) ?? { reason: s.reason, claims: [] };
    group.claims.push(s);
    groups.set(s.code, group);
  }
  res.render('bulk/selection', {
    title: selection.result ? 'Bulk action: done' : 'Bulk action: preview',
    selection,
    label: BULK[action]?.label ?? action,
    does: BULK[action]?.does(selection.params, plural(changing.length)) ?? action,
    changing: { total: changing.length, named: changing.slice(0, NAMED).map((id) => ({ id, statement: statements.get(id) ?? '' })) },
    skipped: { total: skipped.length, groups: [...groups.values()].map((g) => ({ reason: g.reason, total: g.claims.length, named: g.claims.slice(0, NAMED).map((c) => ({ id: c.id, statement: statements.get(c.id) ?? '' })) })) },
    exportQuery: filtersToQuery({ selection: selection.key }).toString(),
  });
}
