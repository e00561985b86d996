import { z } from 'zod';
import { parseTags } from '../claims/fields.ts';
import { CONFIDENCE_LEVELS } from '../claims/fields.ts';
import { choice, intInRange, optionalChoice, optionalId, optionalText } from '../platform/validate.ts';
import { BULK_ACTIONS } from './actions.ts';

/** The most claims one bulk action takes: a batch a desk works, and a preview a person can read. */
export const MAX_BULK = 5000;

/** How far a list counts the claims its filters match for the bulk form ("999+" beyond): the preview counts them all. */
export const MATCHING_COUNT_CAP = 999;

/** "123:4" (claim 123 at version 4), as a list's checkbox sends it. */
const checkedClaim = z.string().regex(/^\d{1,10}:\d{1,10}$/, { error: 'The selection is malformed. Select the claims again.' }).transform((v) => {
  const [id, version] = v.split(':').map(Number) as [number, number];
  return { id, version };
});

const checkedClaims = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z.array(checkedClaim).max(MAX_BULK, { error: `Select at most ${MAX_BULK.toLocaleString('en-GB')} claims at once.` }),
);

/**
 * The bulk form of a list: the action with what it needs, and the claims:
 * those ticked on the page (each with the version the list showed), or all
 * that the list's filters match (the filters travel with the form, parsed
 * by the list's own schema).
 */
export const BulkForm = z
  .object({
    bulkAction: choice(BULK_ACTIONS, 'Choose what to do with the selected claims.'),
    bulkScope: z.preprocess((v) => v ?? 'selected', z.enum(['selected', 'page', 'matching'], { error: 'Choose the claims ticked, the whole page, or all that match.' })),
    ids: checkedClaims,
    /** Every claim of the page, for "all on this page". */
    pageIds: checkedClaims,
    list: z.preprocess((v) => v ?? 'claims', z.enum(['claims', 'review', 'report'], { error: 'The form is incomplete. Open the list again.' })),
    report: optionalId('The form is incomplete. Open the report again.'),
    bulkTag: z.preprocess((v) => (typeof v === 'string' ? (parseTags(v)[0] ?? null) : null), z.string().max(40, 'A tag must be 40 characters or fewer.').nullable()),
    bulkPriority: z.preprocess((v) => (v === '' || v === undefined ? null : v), intInRange('the priority', 0, 3).nullable()),
    bulkAssignee: optionalId('Choose a reviewer.'),
    bulkNote: optionalText('the note', 2000, { multiline: true }),
    bulkConfidence: optionalChoice(CONFIDENCE_LEVELS, 'Choose high, moderate or low confidence.'),
  })
  .superRefine((v, ctx) => {
    const need = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
    if ((v.bulkAction === 'add_tag' || v.bulkAction === 'remove_tag') && !v.bulkTag) need('bulkTag', 'Enter the tag.');
    if (v.bulkAction === 'set_priority' && v.bulkPriority === null) need('bulkPriority', 'Choose the priority.');
    if (v.bulkAction === 'assign' && !v.bulkAssignee) need('bulkAssignee', 'Choose the reviewer to assign the claims to.');
    if (v.bulkAction === 'verify' && !v.bulkConfidence) need('bulkConfidence', 'Choose how confident the desk is in these verdicts.');
    if (v.bulkAction === 'mark_unverifiable' && !v.bulkNote) need('bulkNote', 'Write the rationale: why the claims can be neither verified nor refuted.');
    if (v.bulkScope === 'selected' && v.ids.length === 0) need('ids', 'Tick the claims to act on, or choose all claims that match the filters.');
  });
export type BulkInput = z.output<typeof BulkForm>;
