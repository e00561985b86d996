import { z } from 'zod';
import { CONFIDENCE_LEVELS, KINDS } from '../claims/fields.ts';
import { claimFields } from '../claims/claim-json.ts';
import type { Claim } from '../claims/claims.repo.ts';
import { STATUSES } from '../claims/statuses.ts';
import type { Report, ReportSummary } from '../reports/reports.repo.ts';
import { RELATIONS, RELIABILITY } from '../sources/ratings.ts';
import type { EvidenceRow } from '../sources/evidence.repo.ts';
import type { Source, SourceSummary } from '../sources/sources.repo.ts';
import { SOURCE_KINDS } from '../sources/sources.repo.ts';

/**
 * What the API answers, as zod schemas: the OpenAPI document is generated from
 * them, the presenters below are typed by them, and a test checks every
 * operation's real answers against the document.
 */
const id = z.int().min(1);
const when = z.iso.datetime({ offset: true });
const day = z.iso.date();
const text = z.string();
const maybe = <T extends z.ZodType>(schema: T) => schema.nullable();
const iso = (d: Date | string) => new Date(d).toISOString();
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));

export const ClaimOut = z.object({
  id,
  /** The claim's page on the desk. */
  url: text,
  reportId: id,
  reportTitle: text,
  statement: text,
  quote: text,
  quoteStart: z.int(),
  quoteEnd: z.int(),
  quoteMissing: z.boolean(),
  claimant: maybe(text),
  kind: z.enum(KINDS),
  tags: z.array(text),
  priority: z.int().min(0).max(3),
  confidence: maybe(z.enum(CONFIDENCE_LEVELS)),
  status: z.enum(STATUSES),
  verdict: maybe(text),
  rationale: maybe(text),
  assigneeId: maybe(id),
  createdAt: when,
  decidedAt: maybe(when),
  trueAsOf: maybe(day),
  recheckBy: maybe(day),
  version: z.int().min(1),
});

export function claimOut(c: Claim, baseUrl: string): z.input<typeof ClaimOut> {
  return {
    ...claimFields(c),
    url: `${baseUrl}/claims/${c.id}`,
    verdict: c.verdictLabel,
    rationale: c.rationale,
    createdAt: iso(c.createdAt),
    decidedAt: isoOrNull(c.decidedAt),
    trueAsOf: c.trueAsOf,
    recheckBy: c.recheckBy,
  };
}

export const ReportSummaryOut = z.object({
  id,
  url: text,
  title: text,
  outlet: maybe(text),
  byline: maybe(text),
  /** Where the report was published. */
  address: maybe(text),
  publishedOn: maybe(day),
  revision: z.int().min(1),
  importedByName: text,
  createdAt: when,
  version: z.int().min(1),
});

export const ReportOut = ReportSummaryOut.extend({ body: text, claims: z.array(ClaimOut) });

export function reportSummaryOut(r: ReportSummary, baseUrl: string): z.input<typeof ReportSummaryOut> {
  return {
    id: r.id,
    url: `${baseUrl}/reports/${r.id}`,
    title: r.title,
    outlet: r.outlet,
    byline: r.byline,
    address: r.url,
    publishedOn: r.publishedOn,
    revision: r.revision,
    importedByName: r.importedByName,
    createdAt: iso(r.createdAt),
    version: r.version,
  };
}

export function reportOut(r: Report, claims: Claim[], baseUrl: string): z.input<typeof ReportOut> {
  return { ...reportSummaryOut(r, baseUrl), body: r.body, claims: claims.map((c) => claimOut(c, baseUrl)) };
}

export const SourceSummaryOut = z.object({
  id,
  url: text,
  kind: z.enum(SOURCE_KINDS),
  title: text,
  address: maybe(text),
  publisher: maybe(text),
  reliability: z.enum(RELIABILITY),
  claimCount: z.int().min(0),
});

export const SourceOut = SourceSummaryOut.omit({ claimCount: true }).extend({
  outlet: maybe(text),
  author: maybe(text),
  publishedOn: maybe(day),
  accessedOn: maybe(day),
  archiveAddress: maybe(text),
  notes: maybe(text),
  createdAt: when,
  version: z.int().min(1),
});

export function sourceSummaryOut(s: SourceSummary, baseUrl: string): z.input<typeof SourceSummaryOut> {
  return { id: s.id, url: `${baseUrl}/sources/${s.id}`, kind: s.kind, title: s.title, address: s.url, publisher: s.publisher, reliability: s.reliability, claimCount: s.claimCount };
}

export function sourceOut(s: Source, baseUrl: string): z.input<typeof SourceOut> {
  return {
    id: s.id,
    url: `${baseUrl}/sources/${s.id}`,
    kind: s.kind,
    title: s.title,
    address: s.url,
    publisher: s.publisher,
    reliability: s.reliability,
    outlet: s.outlet,
    author: s.author,
    publishedOn: s.publishedOn,
    accessedOn: s.accessedOn,
    archiveAddress: s.archiveUrl,
    notes: s.notes,
    createdAt: iso(s.createdAt),
    version: s.version,
  };
}

export const EvidenceOut = z.object({
  id,
  claimId: id,
  sourceId: id,
  sourceTitle: text,
  sourceAddress: maybe(text),
  publisher: maybe(text),
  reliability: z.enum(RELIABILITY),
  relation: z.enum(RELATIONS),
  excerpt: maybe(text),
  locator: maybe(text),
  credibility: z.int().min(1).max(6),
  note: maybe(text),
  createdByName: text,
  createdAt: when,
  version: z.int().min(1),
});

export function evidenceOut(l: EvidenceRow): z.input<typeof EvidenceOut> {
  return {
    id: l.id,
    claimId: l.claimId,
    sourceId: l.sourceId,
    sourceTitle: l.sourceTitle,
    sourceAddress: l.sourceUrl,
    publisher: l.publisher,
    reliability: l.reliability,
    relation: l.relation,
    excerpt: l.excerpt,
    locator: l.locator,
    credibility: l.credibility,
    note: l.note,
    createdByName: l.createdByName,
    createdAt: iso(l.createdAt),
    version: l.version,
  };
}

export const CommentOut = z.object({ id, claimId: id, authorName: text, body: text, createdAt: when });

/** A page of a list: its items and the cursor of the next page (null on the last). */
export const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), next: maybe(text) });

/** The answer to a creation: the new record's id and its page on the desk. */
export const Created = z.object({ id, url: text });

/** RFC 9457 problem details (problems.ts). */
export const ProblemOut = z.object({
  type: text,
  title: text,
  status: z.int(),
  detail: text,
  code: text,
  errors: z.array(z.object({ pointer: text, detail: text })).optional(),
  current: z.unknown().optional(),
  requestId: text.optional(),
});
