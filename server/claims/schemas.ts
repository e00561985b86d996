import { z } from 'zod';
import { choice, cleanText, intInRange, optionalChoice, optionalText } from '../platform/validate.ts';
import { firstUnits, lastUnits } from './anchor.ts';
import { CONFIDENCE_LEVELS, KINDS, parseTags } from './fields.ts';

// Offsets are only hints (the server checks the text is there, or searches
// for it), so a malformed one is dropped rather than refused.
const offset = z.preprocess(
  (v) => (v === '' || v === undefined || v === null ? null : typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : v),
  z.number().int().min(0).max(2_000_000).nullable().catch(null),
);

/** How long a text is as people count it: in characters (code points, as PostgreSQL's char_length), not UTF-16 units. */
export function characterCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** A required text of at most `max` characters, an emoji or an accented letter counting as one. */
function longText(label: string, max: number) {
  const Label = label.charAt(0).toUpperCase() + label.slice(1);
  return z.preprocess(
    (v) => (typeof v === 'string' ? cleanText(v, { multiline: true }).trim() : (v ?? undefined)),
    z
      .string({ error: `Enter ${label}.` })
      .min(1, `Enter ${label}.`)
      .superRefine((text, ctx) => {
        const n = characterCount(text);
        if (n <= max) return;
        ctx.addIssue({
          code: 'custom',
          message: `${Label} must be ${max.toLocaleString('en-GB')} characters or fewer; it has ${n.toLocaleString('en-GB')} (each letter, space or emoji counts as one). Shorten it.`,
        });
      }),
  );
}

// The browser cuts its 32 units of context without looking at emoji, so a
// half of a surrogate pair at the far edge is dropped rather than turned into
// U+FFFD; what is kept is the part next to the quote: the end of the prefix,
// the start of the suffix.
const LONE_LOW_AT_START = /^[\uDC00-\uDFFF]/;
const LONE_HIGH_AT_END = /[\uD800-\uDBFF]$/;
const quotePrefix = z.preprocess(
  (v) => (typeof v === 'string' ? lastUnits(cleanText(v.replace(LONE_LOW_AT_START, ''), { multiline: true }), 64) : ''),
  z.string(),
);
const quoteSuffix = z.preprocess(
  (v) => (typeof v === 'string' ? firstUnits(cleanText(v.replace(LONE_HIGH_AT_END, ''), { multiline: true }), 64) : ''),
  z.string(),
);

/** The quote as the browser sends it (exact text, context, offsets) or as pasted (text only). */
const quoteFields = {
  quote: longText('the quote from the report', 5000),
  // Context is kept exactly as sent (spaces matter when telling repeats apart).
  quotePrefix,
  quoteSuffix,
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
  statement: longText('the checkable statement', 1000),
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
