import { Router, type Request } from 'express';
import { renderClaimPage } from '../claims/claim-page.ts';
import { loadClaim } from '../claims/claims.routes.ts';
import type { Db } from '../platform/database.ts';
import { ConflictError, NotFoundError, type FieldErrors, fieldErrorsOf } from '../platform/errors.ts';
import { onInvalid } from '../platform/http.ts';
import { allow, authorize } from '../platform/policies.ts';
import { parseId, parseInput } from '../platform/validate.ts';
import { changeEvidence, linkEvidence, unlinkEvidence } from './evidence.commands.ts';
import { findEvidence, type EvidenceLink } from './evidence.repo.ts';
import { AddEvidenceForm, EditEvidenceForm, inFormOrder } from './schemas.ts';
import { evidenceDifferencesFromSaved } from './source-form.ts';
import { DuplicateSourceError } from './sources.commands.ts';
import { findSource, type Source } from './sources.repo.ts';

/** Evidence on a claim: add (from the library or a new source), change, remove. */
export function evidenceRoutes({ db }: { db: Db }): Router {
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
      await renderClaimPage(db, req, res, claim, { errors: inFormOrder(errors), values, panel: 'evidence', offeredSource: offered });
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
      const current = err instanceof ConflictError && err.code === 'stale_version' ? (err.current as EvidenceLink) : null;
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
    onInvalid(res, async (err) => renderClaimPage(db, req, res, claim, { errors: fieldErrorsOf(err), panel: 'evidence' }));
    await unlinkEvidence(db, req.user!, claim.id, link.id);
    req.session.flash = { kind: 'success', text: `“${link.sourceTitle}” is no longer linked to this claim.` };
    res.redirect(303, `/claims/${claim.id}#evidence`);
  });

  return router;
}

async function loadLink(db: Db, claimId: number, req: Request): Promise<EvidenceLink> {
  const id = parseId(req.params.linkId);
  const link = id === null ? null : await findEvidence(db, claimId, id);
  if (!link) throw new NotFoundError();
  return link;
}

