import { Router, type Request, type Response } from 'express';
import { loadClaim } from '../claims/claim-loader.ts';
import type { Claim } from '../claims/claims.repo.ts';
import type { Db } from '../platform/database.ts';
import { fieldErrorsOf, NotFoundError } from '../platform/errors.ts';
import { onInvalid } from '../platform/http.ts';
import { allow } from '../platform/policies.ts';
import { parseId, parseInput } from '../platform/validate.ts';
import { citationGraphFrom, sourcesOnLoops } from './citations.repo.ts';
import type { EvidenceFormState } from './evidence-panel.ts';
import { claimCountUsingAny } from './evidence.repo.ts';
import { suggestedPairs } from './origin-pairs.repo.ts';
import { citeSource, judgeOrigin, unciteSource } from './provenance.commands.ts';
import { describeLoop, loopsOf } from './provenance.ts';
import { CiteForm, OriginJudgementForm } from './schemas.ts';
import { renderSourcePage } from './source-page.ts';
import { loadSource } from './sources.routes.ts';

/** A source id from the path; a malformed one is a 404. */
function idParam(value: unknown): number {
  const id = parseId(value);
  if (id === null) throw new NotFoundError();
  return id;
}

type ClaimPage = (req: Request, res: Response, claim: Claim, state: EvidenceFormState) => Promise<void>;

/** Provenance: naming the sources a source repeats, judging excerpts that read alike, and the page of provenance problems. */
export function provenanceRoutes({ db, claimPage }: { db: Db; claimPage: ClaimPage }): Router {
  const router = Router();

  router.get('/sources/provenance', allow('desk.read'), async (_req, res) => {
    const onLoops = await sourcesOnLoops(db);
    const graph = await citationGraphFrom(db, onLoops);
    const loops = await Promise.all(
      loopsOf(graph).map(async (members) => ({ words: describeLoop(graph, members), members: members.map((id) => graph.sources.get(id)!), claims: await claimCountUsingAny(db, members) })),
    );
    const pairs = await suggestedPairs(db);
    res.render('sources/provenance', { title: 'Provenance problems', loops, pairs });
  });

  router.post('/sources/:id/citations', allow('source.edit'), async (req, res) => {
    const source = await loadSource(db, req);
    onInvalid(res, (err) => renderSourcePage(db, req, res, source, { values: req.body ?? {}, errors: fieldErrorsOf(err) }));
    const input = parseInput(CiteForm, req.body);
    const cited = await citeSource(db, req.user!, source.id, input);
    req.session.flash = { kind: 'success', text: `“${source.title}” now repeats “${cited.title}”: the two count as one origin.` };
    res.redirect(303, `/sources/${source.id}#provenance`);
  });

  router.post('/sources/:id/citations/:citedId/delete', allow('source.edit'), async (req, res) => {
    const source = await loadSource(db, req);
    await unciteSource(db, req.user!, source.id, idParam(req.params.citedId));
    req.session.flash = { kind: 'success', text: `“${source.title}” no longer counts as repeating that source.` };
    res.redirect(303, `/sources/${source.id}#provenance`);
  });

  router.post('/claims/:id/origins/:a/:b', allow('source.edit'), async (req, res) => {
    const claim = await loadClaim(db, req);
    onInvalid(res, (err) => claimPage(req, res, claim, { errors: { provenance: Object.values(fieldErrorsOf(err))[0] ?? err.message }, panel: 'evidence' }));
    const input = parseInput(OriginJudgementForm, req.body);
    await judgeOrigin(db, req.user!, { claimId: claim.id, sourceA: idParam(req.params.a), sourceB: idParam(req.params.b), ...input });
    req.session.flash = { kind: 'success', text: input.judgement === 'same' ? 'The two sources now count as one origin.' : 'The two sources count as independent.' };
    res.redirect(303, `/claims/${claim.id}#evidence`);
  });

  return router;
}
