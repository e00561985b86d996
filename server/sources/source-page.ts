import type { Request, Response } from 'express';
import type { Db } from '../platform/database.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { respond } from '../platform/http.ts';
import { z } from 'zod';
import { parseInput } from '../platform/validate.ts';
import { citationGraphFrom, sourcesCiting } from './citations.repo.ts';
import { claimsUsingSource, statusCountsOfSource } from './evidence.repo.ts';
import { outletOf } from './outlets.ts';
import { chainOf, CITATION_KIND_LABELS, CITATION_KINDS, describeLoop, loopsOf, originsOf } from './provenance.ts';
import { duplicateOfSource } from './source-urls.ts';
import { sourceUsage } from './source-usage.ts';
import { findSource, SOURCE_KIND_LABELS, type Source } from './sources.repo.ts';

const PageQuery = z.object({ after: z.string().max(2000).optional() });

/** A refused form on the source page (naming a source it repeats): its input and messages. */
export interface SourcePageForm {
  values?: Record<string, unknown>;
  errors?: FieldErrors;
}

/**
 * The source page: details, where it comes from (the chain of sources it
 * repeats, a loop, the sources that repeat it) and every claim that uses it.
 */
export async function renderSourcePage(db: Db, req: Request, res: Response, source: Source, form: SourcePageForm = {}): Promise<void> {
  const { after } = parseInput(PageQuery, req.query);
  const samePageId = duplicateOfSource(source.urlNormalized);
  const [page, counts, samePageAs, graph, citedBy] = await Promise.all([
    claimsUsingSource(db, source.id, { after: after ?? null }),
    statusCountsOfSource(db, source.id),
    samePageId === null ? null : findSource(db, samePageId),
    citationGraphFrom(db, [source.id]),
    sourcesCiting(db, source.id),
  ]);
  const usage = sourceUsage(counts);
  const chain = chainOf(graph, source.id);
  const origins = chain.length ? originsOf(graph, source.id).flatMap((id) => graph.sources.get(id) ?? []) : [];
  const loops = loopsOf(graph).map((loop) => ({ words: describeLoop(graph, loop), on: loop.includes(source.id) }));
  const provenance = { chain, origins, loops, citedBy, kinds: CITATION_KINDS, kindLabels: CITATION_KIND_LABELS, values: form.values ?? {}, errors: form.errors ?? {} };
  if (form.errors) res.status(400);
  await respond(
    req,
    res,
    () => res.render('sources/show', { title: source.title, source, page, usage, firstPage: !after, kindLabels: SOURCE_KIND_LABELS, samePageAs, outlet: outletOf(source), provenance }),
    () => ({ source, claimCounts: counts, claims: page.claims, next: page.next, provenance: { chain, origins, loops, citedBy } }),
  );
}
