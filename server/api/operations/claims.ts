import { ClaimFilters } from '../../claims/claim-filters.ts';
import { listClaims } from '../../claims/claim-lists.repo.ts';
import { loadClaim } from '../../claims/claim-loader.ts';
import { editClaim, logClaim } from '../../claims/claims.commands.ts';
import { findClaim } from '../../claims/claims.repo.ts';
import { EditClaimForm, LogClaimForm } from '../../claims/schemas.ts';
import { authorize } from '../../platform/policies.ts';
import { optionalText } from '../../platform/validate.ts';
import { loadReport } from '../../reports/report-loader.ts';
import type { ApiContext } from '../context.ts';
import { ClaimOut, claimOut, pageOf } from '../schemas.ts';

/** Claims: the list with the claims page's filters (keyset pages), one claim, logging one in a report, editing one. */
export function claimOperations({ db, router, ops, config, repeats }: ApiContext): void {
  const out = async (id: number) => claimOut((await findClaim(db, id))!, config.baseUrl);

  ops.add(
    router,
    {
      method: 'get',
      path: '/api/v1/claims',
      id: 'listClaims',
      tag: 'Claims',
      summary: 'List claims',
      description: 'The claims list with its filters, newest first unless `sort` says otherwise, 50 at a time. Pass `next` as `after` for the following page.',
      policy: 'desk.read',
      query: ClaimFilters.extend({ after: optionalText('the cursor', 500) }),
      responses: { 200: { description: 'A page of claims.', schema: pageOf(ClaimOut) } },
    },
    async (req, res, { query: { after, ...filters } }) => {
      const page = await listClaims(db, filters, req.user!, { after, limit: 50 });
      res.json({ items: page.claims.map((c) => claimOut(c, config.baseUrl)), next: page.next });
    },
  );

  ops.add(
    router,
    { method: 'get', path: '/api/v1/claims/:id', id: 'getClaim', tag: 'Claims', summary: 'Read a claim', policy: 'desk.read', responses: { 200: { description: 'The claim.', schema: ClaimOut } } },
    async (req, res) => {
      res.json(claimOut(await loadClaim(db, req), config.baseUrl));
    },
  );

  ops.add(
    router,
    {
      method: 'post',
      path: '/api/v1/reports/:id/claims',
      id: 'logClaim',
      tag: 'Claims',
      summary: 'Log a claim in a report',
      description: 'The quote must be in the report’s text: give its offsets (UTF-16 code units) and 32 characters of context on each side, or only the quote when it occurs once.',
      policy: 'claim.create',
      body: LogClaimForm,
      responses: { 201: { description: 'The claim, logged as a draft.', schema: ClaimOut } },
    },
    async (req, res, input) => {
      const report = await loadReport(db, req);
      const id = await logClaim(db, req.user!, report.id, input.body, repeats);
      res.status(201).location(`/api/v1/claims/${id}`).json(await out(id));
    },
  );

  ops.add(
    router,
    {
      method: 'patch',
      path: '/api/v1/claims/:id',
      id: 'editClaim',
      tag: 'Claims',
      summary: 'Edit a claim',
      description: 'Send every field, as the claim form does, with the `version` you read: a claim changed since answers 409 with the claim as it is now. Only drafts and claims sent back for changes can be edited.',
      policy: 'claim.edit',
      body: EditClaimForm,
      responses: { 200: { description: 'The claim as saved.', schema: ClaimOut } },
    },
    async (req, res, input) => {
      const claim = await loadClaim(db, req);
      authorize(req.user, 'claim.edit', claim);
      await editClaim(db, req.user!, claim.id, input.body, repeats);
      res.json(await out(claim.id));
    },
  );
}

