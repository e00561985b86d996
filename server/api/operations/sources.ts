import { z } from 'zod';
import { loadClaim } from '../../claims/claim-loader.ts';
import { loadById } from '../../platform/load.ts';
import { authorize } from '../../platform/policies.ts';
import { optionalText } from '../../platform/validate.ts';
import { linkEvidence } from '../../sources/evidence.commands.ts';
import { evidenceRowsOfClaim, findEvidence } from '../../sources/evidence.repo.ts';
import { AddEvidenceForm, SourceForm } from '../../sources/schemas.ts';
import { createSource } from '../../sources/sources.commands.ts';
import { findSource, listSources } from '../../sources/sources.repo.ts';
import type { ApiContext } from '../context.ts';
import { EvidenceOut, evidenceOut, pageOf, SourceOut, sourceOut, SourceSummaryOut, sourceSummaryOut } from '../schemas.ts';

/** The source library and a claim's evidence: the same commands as the source pages and the add-evidence form. */
export function sourceOperations({ db, router, ops, config }: ApiContext): void {
  ops.add(
    router,
    {
      method: 'get',
      path: '/api/v1/sources',
      id: 'listSources',
      tag: 'Sources',
      summary: 'List or search the source library',
      description: '`q` searches titles, publishers and addresses (an address finds its source however it is written). Alphabetical, 50 at a time.',
      policy: 'desk.read',
      query: z.object({ q: optionalText('search', 200), after: optionalText('the cursor', 500) }),
      responses: { 200: { description: 'A page of sources.', schema: pageOf(SourceSummaryOut) } },
    },
    async (_req, res, { query }) => {
      const page = await listSources(db, { q: query.q, after: query.after, limit: 50 });
      res.json({ items: page.sources.map((s) => sourceSummaryOut(s, config.baseUrl)), next: page.next });
    },
  );

  ops.add(
    router,
    { method: 'get', path: '/api/v1/sources/:id', id: 'getSource', tag: 'Sources', summary: 'Read a source', policy: 'desk.read', responses: { 200: { description: 'The source.', schema: SourceOut } } },
    async (req, res) => {
      res.json(sourceOut(await loadById(req.params.id, (id) => findSource(db, id)), config.baseUrl));
    },
  );

  ops.add(
    router,
    {
      method: 'post',
      path: '/api/v1/sources',
      id: 'createSource',
      tag: 'Sources',
      summary: 'Add a source to the library',
      description: 'One source per page: an address already in the library answers 409 with that source in `current`.',
      policy: 'source.create',
      body: SourceForm,
      responses: { 201: { description: 'The source.', schema: SourceOut } },
    },
    async (req, res, { body }) => {
      const id = await createSource(db, req.user!, body);
      res.status(201).location(`/api/v1/sources/${id}`).json(sourceOut((await findSource(db, id))!, config.baseUrl));
    },
  );

  ops.add(
    router,
    { method: 'get', path: '/api/v1/claims/:id/evidence', id: 'listEvidence', tag: 'Sources', summary: 'A claim’s evidence', policy: 'desk.read', responses: { 200: { description: 'The claim’s evidence links.', schema: z.object({ items: z.array(EvidenceOut) }) } } },
    async (req, res) => {
      const claim = await loadClaim(db, req);
      res.json({ items: (await evidenceRowsOfClaim(db, claim.id)).map(evidenceOut) });
    },
  );

  ops.add(
    router,
    {
      method: 'post',
      path: '/api/v1/claims/:id/evidence',
      id: 'addEvidence',
      tag: 'Sources',
      summary: 'Link a source to a claim',
      description: 'A source of the library (`sourceId`) or a new one (`newTitle`, `newUrl` …), how it bears on the claim (`relation`), and the credibility of the information (1-6). Credibility 1 needs two independent supporting origins.',
      policy: 'evidence.manage',
      body: AddEvidenceForm,
      responses: { 201: { description: 'The evidence link.', schema: EvidenceOut } },
    },
    async (req, res, input) => {
      const claim = await loadClaim(db, req);
      authorize(req.user, 'evidence.manage', claim);
      const id = await linkEvidence(db, req.user!, claim.id, input.body);
      res.status(201).json(evidenceOut((await findEvidence(db, claim.id, id))!));
    },
  );
}
