import { z } from 'zod';
import type { FieldErrors } from '../platform/errors.ts';
import { optionalWebUrl } from '../platform/urls.ts';
import { choice, intInRange, optionalDate, optionalId, optionalText, requiredText } from '../platform/validate.ts';
import { CREDIBILITY, RELATIONS, RELIABILITY } from './ratings.ts';
import { CITATION_KINDS } from './provenance.ts';
import { SOURCE_KINDS } from './sources.repo.ts';

/** The URL as typed; normalised and checked for duplicates by the command. */
const url = optionalWebUrl('The URL');

export const SourceForm = z.object({
  kind: choice(SOURCE_KINDS, 'Choose what kind of source this is.'),
  title: requiredText('the source’s title', 500),
  url,
  publisher: optionalText('the publisher', 200),
  outlet: optionalText('the outlet', 200),
  author: optionalText('the author', 200),
  publishedOn: optionalDate('the published date'),
  accessedOn: optionalDate('the date accessed'),
  archiveUrl: optionalWebUrl('The archive URL'),
  reliability: choice(RELIABILITY, 'Choose how reliable the source is, from A to F.'),
  notes: optionalText('the notes', 5000, { multiline: true }),
});
export type SourceInput = z.output<typeof SourceForm>;

export const SourceEditForm = SourceForm.extend({ version: intInRange('the version', 1, 2_147_483_647) });

const credibility = z.preprocess(
  (v) => (typeof v === 'string' && /^\d$/.test(v) ? Number(v) : v),
  z.union(CREDIBILITY.map((n) => z.literal(n)) as [z.ZodLiteral<1>, ...z.ZodLiteral<2 | 3 | 4 | 5 | 6>[]], {
    error: 'Choose how credible this information is, from 1 to 6.',
  }),
);

/** How a source bears on a claim. */
export const EvidenceFields = z.object({
  relation: choice(RELATIONS, 'Choose how the source relates to the claim.'),
  excerpt: optionalText('the excerpt', 5000, { multiline: true }),
  locator: optionalText('the locator', 200),
  credibility,
  note: optionalText('the note', 2000, { multiline: true }),
});

/**
 * Adding evidence: a source from the library (sourceId), or a new one typed
 * inline (newTitle and friends), plus how it bears on the claim. The keys are
 * in the order of the form's fields, so the messages are too.
 */
export const AddEvidenceForm = z
  .object({
    sourceId: optionalId('Choose a source from the search results, or a new source.'),
    newTitle: optionalText('the source’s title', 500),
    newUrl: url,
    newPublisher: optionalText('the publisher', 200),
    newKind: z.preprocess((v) => (v === '' || v === undefined || v === null ? 'web_page' : v), choice(SOURCE_KINDS, 'Choose what kind of source this is.')),
    newReliability: z.preprocess((v) => (v === '' || v === undefined || v === null ? 'F' : v), choice(RELIABILITY, 'Choose how reliable the source is, from A to F.')),
    repeatsSource: optionalText('the source it repeats', 2000),
    repeatsKind: z.preprocess((v) => (v === '' || v === undefined || v === null ? 'based_on' : v), choice(CITATION_KINDS, 'Choose how this source uses the other: based on, quotes or republishes.')),
    ...EvidenceFields.shape,
    claimVersion: intInRange('the version', 1, 2_147_483_647).optional(),
  })
  .refine((v) => v.sourceId !== null || v.newTitle !== null, {
    path: ['newTitle'],
    message: 'Enter the new source’s title, or choose a source from the library.',
    // Checked with the other fields' problems, not after them, so one submit shows every message.
    when: (payload) => !payload.issues.some((i) => i.path?.[0] === 'sourceId' || i.path?.[0] === 'newTitle'),
  });
export type AddEvidenceInput = z.output<typeof AddEvidenceForm>;

/** The add-evidence form's fields, top to bottom. */
const ADD_EVIDENCE_ORDER = ['form', 'sourceId', 'newTitle', 'newUrl', 'newPublisher', 'newKind', 'newReliability', 'repeatsSource', 'repeatsKind', 'relation', 'excerpt', 'locator', 'credibility', 'note'];

/** An add-evidence form's messages in the order its fields appear, as the error summary lists them. */
export function inFormOrder(errors: FieldErrors): FieldErrors {
  const rank = (field: string) => {
    const i = ADD_EVIDENCE_ORDER.indexOf(field);
    return i === -1 ? ADD_EVIDENCE_ORDER.length : i;
  };
  return Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b)));
}

export const EditEvidenceForm = EvidenceFields.extend({ version: intInRange('the version', 1, 2_147_483_647) });
export type EditEvidenceInput = z.output<typeof EditEvidenceForm>;

/** A source this one repeats: by its number in the library or its address. */
export const CiteForm = z.object({
  cited: requiredText('the source it repeats (its number, such as #12, or its address)', 2000),
  kind: choice(CITATION_KINDS, 'Choose how this source uses the other: based on, quotes or republishes.'),
});
export type CiteInput = z.output<typeof CiteForm>;

/** An editor's judgement of two sources whose excerpts read alike. */
export const OriginJudgementForm = z.object({
  judgement: choice(['same', 'independent'] as const, 'Choose whether the two sources share an origin.'),
  /** The pair's state when the page was opened: a judgement made meanwhile is not overwritten. */
  from: choice(['suggested', 'same', 'independent'] as const, 'The form is incomplete. Open the claim again.'),
});
