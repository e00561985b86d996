import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../platform/database.ts';
import { ConflictError, type FieldErrors, fieldErrorsOf } from '../platform/errors.ts';
import { onFormFields, STALE_FORM_MESSAGE } from '../platform/form-errors.ts';
import { onInvalid } from '../platform/http.ts';
import { allow, authorize } from '../platform/policies.ts';
import type { RecordScreen } from '../platform/screens.ts';
import { optionalText, parseInput } from '../platform/validate.ts';
import { loadReport } from '../reports/report-loader.ts';
import type { Report } from '../reports/reports.repo.ts';
import { loadClaim } from './claim-loader.ts';
import { claimantSuggestions } from './claim-lists.repo.ts';
import { repeatsOfClaim } from './claim-repeats.repo.ts';
import { editClaim, logClaim, notEditable } from './claims.commands.ts';
import type { Claim } from './claims.repo.ts';
import { CONFIDENCE_LABELS, CONFIDENCE_LEVELS, KIND_LABELS, KINDS, PRIORITIES, PRIORITY_LABELS } from './fields.ts';
import type { MatchSettings } from './repeat-match.ts';
import { EditClaimForm, LogClaimForm } from './schemas.ts';
import { canEditIn } from './statuses.ts';

const ClaimantQuery = z.object({ q: optionalText('search', 100) });

/** The fields the claim edit form shows (the version and the quote's offsets and context are hidden). */
const EDIT_FIELDS = ['statement', 'quote', 'claimant', 'kind', 'tags', 'priority', 'confidence'];

/** The screens a claim form sits on (server/pages/), handed over by app.ts to show a refused form again. */
export interface ClaimScreens {
  reportPage: RecordScreen<Report>;
  claimPage: RecordScreen<Claim>;
}

/** Claims: logging from a report's text, editing, claimant suggestions. The list and the claim page are screens in server/pages/. */
export function claimsRoutes({ db, screens, repeats }: { db: Db; screens: ClaimScreens; repeats: MatchSettings }): Router {
  const router = Router();

  router.post('/reports/:id/claims', allow('claim.create'), async (req, res) => {
    const report = await loadReport(db, req);
    onInvalid(res, async (err) => screens.reportPage(req, res, report, { values: req.body ?? {}, errors: fieldErrorsOf(err) }));
    const input = parseInput(LogClaimForm, req.body);
    const id = await logClaim(db, req.user!, report.id, input, repeats);
    if (req.accepts(['html', 'json']) === 'json') {
      res.status(201).json({ id, url: `/claims/${id}` });
      return;
    }
    const found = (await repeatsOfClaim(db, id)).length;
    req.session.flash = {
      kind: 'success',
      text: found
        ? `Claim logged. It may repeat ${found === 1 ? 'an earlier claim' : `${found} earlier claims`}: look under “Same claim” below before you check it again.`
        : 'Claim logged. Link its sources next, then submit it for review.',
    };
    res.redirect(303, `/claims/${id}`);
  });

  router.get('/claims/:id/edit', allow('claim.edit'), async (req, res) => {
    const claim = await loadClaim(db, req);
    if (!canEditIn(claim.status)) {
      // No form that cannot be saved: the claim page, with why and what to do instead.
      onInvalid(res, async (err) => {
        res.locals.flash = { kind: 'warning', text: err.message };
        await screens.claimPage(req, res, claim, {});
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
    const { changed } = await editClaim(db, req.user!, claim.id, input, repeats);
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


