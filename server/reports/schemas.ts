import { z } from 'zod';
import { optionalWebUrl } from '../platform/urls.ts';
import { intInRange, optionalDate, optionalId, optionalText } from '../platform/validate.ts';

/** A report's details as typed in the import or edit form (the body is checked on its own, after files). */
export const ReportFields = z.object({
  title: optionalText('the title', 300),
  outlet: optionalText('the outlet', 200),
  byline: optionalText('the byline', 300),
  url: optionalWebUrl('The URL'),
  publishedOn: optionalDate('the published date'),
  body: z.preprocess((v) => (typeof v === 'string' ? v : v ?? ''), z.string({ error: 'The text must be text.' })),
});

/** The correction form: also the version it was opened on, and the revision of the text it started from (for the stale-form diff). */
export const ReportEditFields = ReportFields.extend({
  version: intInRange('the version', 1, 2_147_483_647),
  baseRevision: optionalId('The revision the form was opened on must be a revision number.'),
  note: optionalText('the note', 500),
});
