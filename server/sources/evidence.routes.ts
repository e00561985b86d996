import { Router, type Request } from 'express';
import { loadClaim } from '../claims/claim-loader.ts';
import type { Claim } from '../claims/claims.repo.ts';
import type { Db } from '../platform/database.ts';
import { ConflictError, type FieldErrors, fieldErrorsOf } from '../platform/errors.ts';
import { onInvalid } from '../platform/http.ts';
import { loadById } from '../platform/load.ts';
import { allow, authorize } from '../platform/policies.ts';
import type { RecordScreen } from '../platform/screens.ts';
import { parseId, parseInput } from '../platform/validate.ts';
import { changeEvidence, linkEvidence, unlinkEvidence } from './evidence.commands.ts';
import type { EvidenceFormState } from './evidence-panel.ts';
import { findEvidence, type EvidenceRow } from './evidence.repo.ts';
import { AddEvidenceForm, EditEvidenceForm, inFormOrder } from './schemas.ts';
import { evidenceDifferencesFromSaved } from './source-form.ts';
import { DuplicateSourceError } from './sources.commands.ts';
import { findSource, type Source } from './sources.repo.ts';

/** Evidence on a claim: add (from the library or a new source), change, remove. A refused form is shown again on the claim page (`claimPage`, from server/pages/). */
export function evidenceRoutes({ db, claimPage }: { db: Db; claimPage: RecordScreen<Claim, EvidenceFormState> }): Router {
  const router = Router();

  router.post('/claims/:id/evidence', allow('evidence.manage'), async (req, res) => {
    const claim = await loadClaim(db, req);
    authorize(req.user, 'evidence.manage', claim);
    onInvalid(res, async (err) => {
      const values = { ...(req.body ?? {}) } as Record<string, unknown>;
      let errors: FieldErrors = fieldErrorsOf(err);
      let offered: Source | null;
      if (err instanceof DuplicateSourceError) {
        // Offer the source the library already has, chosen, instead of a
        // duplicate. The message sits beside that choice: the new-source
        // fields (with the URL) are hidden while a library source is chosen.
        offered = err.existing;
        values.sourceId = String(err.existing.id);
        errors = { sourceId: `${err.message} It is chosen below: add the evidence with it, or choose another source.` };
      } else {
        // The library source the person chose stays listed and chosen, though no search is on the page now.
        const chosen = parseId(values.sourceId);
        offered = chosen === null ? null : await findSource(db, chosen);
      }
      await claimPage(req, res, claim, { errors: inFormOrder(errors), values, panel: 'evidence', offeredSource: offered });
    });
    const input = parseInput(AddEvidenceForm, req.body);
    const linkId = await linkEvidence(db, req.user!, claim.id, input);
    if (req.accepts(['html', 'json']) === 'json') {
      res.status(201).json({ id: linkId });
      return;
    }
    req.session.flash = { kind: 'success', text: 'Evidence added.' };
    res.redirect(303, `/claims/${claim.id}#evidence`);
  });

  router.get('/claims/:id/evidence/:linkId/edit', allow('evidence.manage'), async (req, res) => {
    const claim = await loadClaim(db, req);
    const link = await loadLink(db, claim.id, req);
    res.render('claims/evidence-edit', { title: `Evidence from ${link.sourceTitle}`, claim, link, values: link, errors: {}, current: null, differences: [] });
  });

  router.post('/claims/:id/evidence/:linkId', allow('evidence.manage'), async (req, res) => {
    const claim = await loadClaim(db, req);
    const link = await loadLink(db, claim.id, req);
    onInvalid(res, (err) => {
      const current = err instanceof ConflictError && err.code === 'stale_version' ? (err.current as EvidenceRow) : null;
      const values = { ...(req.body ?? {}), ...(current ? { version: current.version } : {}) } as Record<string, unknown>;
      res.render('claims/evidence-edit', {
        title: `Evidence from ${link.sourceTitle}`,
        claim,
        link: current ?? link,
        values,
        errors: fieldErrorsOf(err),
        current,
        differences: current ? evidenceDifferencesFromSaved(current, values) : [],
      });
    });
    const input = parseInput(EditEvidenceForm, req.body);
    await changeEvidence(db, req.user!, claim.id, link.id, input);
    req.session.flash = { kind: 'success', text: 'Evidence saved.' };
    res.redirect(303, `/claims/${claim.id}#evidence`);
  });

  router.post('/claims/:id/evidence/:linkId/delete', allow('evidence.manage'), async (req, res) => {
    const claim = await loadClaim(db, req);
    const link = await loadLink(db, claim.id, req);
    onInvalid(res, async (err) => claimPage(req, res, claim, { errors: fieldErrorsOf(err), panel: 'evidence' }));
    await unlinkEvidence(db, req.user!, claim.id, link.id);
    req.session.flash = { kind: 'success', text: `“${link.sourceTitle}” is no longer linked to this claim.` };
    res.redirect(303, `/claims/${claim.id}#evidence`);
  });

  return router;
}

function loadLink(db: Db, claimId: number, req: Request): Promise<EvidenceRow> {
  return loadById(req.params.linkId, (id) => findEvidence(db, claimId, id));
}

