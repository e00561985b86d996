import { z } from 'zod';
import { choice, cleanText, intInRange, optionalChoice, optionalText, requiredText } from '../platform/validate.ts';
import { CONFIDENCE_LEVELS, KINDS, parseTags } from './fields.ts';

// Offsets are only hints (the server checks the text is there, or searches
// for it), so a malformed one is dropped rather than refused.
const offset = z.preprocess(
  (v) => (v === '' || v === undefined || v === null ? null : typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : v),
  z.number().int().min(0).max(2_000_000).nullable().catch(null),
);

const contextText = z.preprocess(
  (v) => (typeof v === 'string' ? cleanText(v, { multiline: true }).slice(-64) : ''),
  z.string(),
);

/** The quote as the browser sends it (exact text, context, offsets) or as pasted (text only). */
const quoteFields = {
  quote: requiredText('the quote from the report', 5000, { multiline: true }),
  // Context is kept exactly as sent (spaces matter when telling repeats apart).
  quotePrefix: contextText,
  quoteSuffix: contextText,
  quoteStart: offset,
  quoteEnd: offset,
};

const tags = z.preprocess(
  parseTags,
  z
    .array(z.string().max(40, 'Each tag must be 40 characters or fewer.'))
    .max(20, 'Use at most 20 tags.'),
);

const claimFields = {
  statement: requiredText('the checkable statement', 1000, { multiline: true }),
  claimant: optionalText('the claimant', 200),
  kind: choice(KINDS, 'Choose what kind of claim this is.'),
  tags,
  priority: intInRange('the priority', 0, 3).default(1),
};

export const LogClaimForm = z.object({ ...quoteFields, ...claimFields });
export type LogClaimInput = z.output<typeof LogClaimForm>;

export const EditClaimForm = z.object({
  ...quoteFields,
  ...claimFields,
  confidence: optionalChoice(CONFIDENCE_LEVELS, 'Choose high, moderate or low confidence.'),
  version: intInRange('the version', 1, 2_147_483_647),
});
export type EditClaimInput = z.output<typeof EditClaimForm>;
