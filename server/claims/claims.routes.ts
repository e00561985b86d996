import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { loadReport } from '../reports/reports.routes.ts';
import { renderReportPage } from '../reports/report-page.ts';
import type { Db } from '../platform/database.ts';
import { ConflictError, NotFoundError, type FieldErrors, fieldErrorsOf } from '../platform/errors.ts';
import { onInvalid, respond } from '../platform/http.ts';
import { allow, authorize } from '../platform/policies.ts';
import { optionalText, parseId, parseInput } from '../platform/validate.ts';
import { canEditIn } from './statuses.ts';
import { ClaimFilters } from './claim-filters.ts';
import { listClaims } from './claim-list.ts';
import { formValues, keptFilters, renderClaimList } from './claim-list-page.ts';
import { renderClaimPage } from './claim-page.ts';
import { editClaim, logClaim, notEditable } from './claims.commands.ts';
import { onFormFields, STALE_FORM_MESSAGE } from './form-errors.ts';
import { claimJson } from './claim-json.ts';
import { claimantSuggestions, findClaim, type Claim } from './claims.repo.ts';
import { CONFIDENCE_LABELS, CONFIDENCE_LEVELS, KIND_LABELS, KINDS, PRIORITIES, PRIORITY_LABELS } from './fields.ts';
import { EditClaimForm, LogClaimForm } from './schemas.ts';

const ClaimantQuery = z.object({ q: optionalText('search', 100) });

/** The fields the claim edit form shows (the version and the quote's offsets and context are hidden). */
const EDIT_FIELDS = ['statement', 'quote', 'claimant', 'kind', 'tags', 'priority', 'confidence'];

/** Claims: logging from a report, the claim page, editing, the list across reports. */
export function claimsRoutes({ db }: { db: Db }): Router {
  const router = Router();

  router.post('/reports/:id/claims', allow('claim.create'), async (req, res) => {
    const report = await loadReport(db, req);
    onInvalid(res, async (err) => renderReportPage(db, req, res, report, { values: req.body ?? {}, errors: fieldErrorsOf(err) }));
    const input = parseInput(LogClaimForm, req.body);
    const id = await logClaim(db, req.user!, report.id, input);
    if (req.accepts(['html', 'json']) === 'json') {
      res.status(201).json({ id, url: `/claims/${id}` });
      return;
    }
    req.session.flash = { kind: 'success', text: 'Claim logged. Link its sources next, then submit it for review.' };
    res.redirect(303, `/claims/${id}`);
  });

  router.get('/claims', allow('desk.read'), async (req, res) => {
    // Refused filters show the form again (400) with the others kept; JSON clients get the field messages.
    onInvalid(res, (err) => renderClaimList(db, req, res, { ...keptFilters(req.query), errors: fieldErrorsOf(err), page: null }));
    const filters = parseInput(ClaimFilters, req.query);
    const after = typeof req.query.after === 'string' ? req.query.after : null;
    const page = await listClaims(db, filters, req.user!, { after });
    await respond(
      req,
      res,
      () => renderClaimList(db, req, res, { filters, values: formValues(filters), errors: {}, page }),
      () => ({ claims: page.claims.map(claimJson), next: page.next }),
    );
  });

  router.get('/claims/:id', allow('desk.read'), async (req, res) => {
    const claim = await loadClaim(db, req);
    await renderClaimPage(db, req, res, claim, {});
  });

  router.get('/claims/:id/edit', allow('claim.edit'), async (req, res) => {
    const claim = await loadClaim(db, req);
    if (!canEditIn(claim.status)) {
      // No form that cannot be saved: the claim page, with why and what to do instead.
      onInvalid(res, async (err) => {
        res.locals.flash = { kind: 'warning', text: err.message };
        await renderClaimPage(db, req, res, claim, {});
      });
      throw notEditable(claim);
    }
    renderEdit(res, claim, claimFormValues(claim), {}, null);
  });

  router.post('/claims/:id', allow('claim.edit'), async (req, res) => {
    const claim = await loadClaim(db, req);
    authorize(req.user, 'claim.edit', claim);
    onInvalid(res, (err) => {
      const current = err instanceof ConflictError && err.code === 'stale_version' ? (err.current as Claim) : null;
      if (current) res.status(409);
      const errors = current ? {} : onFormFields(fieldErrorsOf(err), EDIT_FIELDS, { version: STALE_FORM_MESSAGE });
      renderEdit(res, current ?? claim, req.body ?? {}, errors, current, err instanceof ConflictError ? err.message : null);
    });
    const input = parseInput(EditClaimForm, req.body);
    const { changed } = await editClaim(db, req.user!, claim.id, input);
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ id: claim.id, changed });
      return;
    }
    req.session.flash = { kind: 'success', text: changed.length ? 'Claim saved.' : 'Nothing was changed.' };
    res.redirect(303, `/claims/${claim.id}`);
  });

  router.get('/api/claimants', allow('desk.read'), async (req, res) => {
    const { q } = parseInput(ClaimantQuery, req.query);
    // Suggestions need a typed prefix: listing every claimant of the desk would read every claim.
    res.json({ claimants: q ? await claimantSuggestions(db, { prefix: q, limit: 15 }) : [] });
  });

  return router;
}

export async function loadClaim(db: Db, req: Request): Promise<Claim> {
  const id = parseId(req.params.id);
  const claim = id === null ? null : await findClaim(db, id);
  if (!claim) throw new NotFoundError();
  return claim;
}

function claimFormValues(c: Claim): Record<string, unknown> {
  return {
    statement: c.statement,
    quote: c.quote,
    quotePrefix: c.quotePrefix,
    quoteSuffix: c.quoteSuffix,
    quoteStart: c.quoteStart,
    quoteEnd: c.quoteEnd,
    claimant: c.claimant ?? '',
    kind: c.kind,
    tags: c.tags.join(', '),
    priority: c.priority,
    confidence: c.confidence ?? '',
    version: c.version,
  };
}

function renderEdit(res: Response, claim: Claim, values: Record<string, unknown>, errors: FieldErrors, current: Claim | null, conflictMessage: string | null = null): void {
  res.render('claims/edit', {
    title: current ? 'Someone else changed this claim' : `Edit claim #${claim.id}`,
    claim,
    values: { ...values, tags: Array.isArray(values.tags) ? values.tags.join(', ') : values.tags },
    errors,
    current,
    conflictMessage,
    kinds: KINDS,
    kindLabels: KIND_LABELS,
    priorities: PRIORITIES,
    priorityLabels: PRIORITY_LABELS,
    confidenceLevels: CONFIDENCE_LEVELS,
    confidenceLabels: CONFIDENCE_LABELS,
  });
}


