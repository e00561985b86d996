import { z } from 'zod';
import { CONFIDENCE_LEVELS } from '../claims/fields.ts';
import { RECHECK_PERIODS } from '../claims/recheck-dates.ts';
import { intInRange, optionalChoice, optionalDate, optionalId, optionalText, recordId, requiredText } from '../platform/validate.ts';

/** A decision's or a re-check's days: true as of, and check again by a day or after a period. */
const RecheckFields = {
  trueAsOf: optionalDate('the day it was true as of'),
  recheckBy: optionalDate('the day to check it again'),
  recheckIn: optionalChoice(RECHECK_PERIODS, 'Choose when to check it again.'),
};

export const RecheckForm = z.object({
  version: intInRange('the version', 1, 2_147_483_647),
  note: optionalText('the note', 5000, { multiline: true }),
  ...RecheckFields,
});

export const TransitionForm = z.object({
  version: intInRange('the version', 1, 2_147_483_647),
  comment: optionalText('the comment', 5000, { multiline: true }),
  confidence: optionalChoice(CONFIDENCE_LEVELS, 'Choose high, moderate or low confidence.'),
  label: optionalId('Choose one of the desk’s verdict labels.'),
  ...RecheckFields,
});

export const CommentForm = z.object({ body: requiredText('a comment', 5000, { multiline: true }) });

const assigneeValue = z.preprocess(
  (v) => (v === '' || v === undefined ? 'none' : v),
  z.union([z.literal('me'), z.literal('none'), recordId], { error: 'Choose a reviewer, or nobody.' }),
);

export const AssignForm = z.object({
  assignee: assigneeValue,
  // The assignee the user saw when they chose: a change meanwhile is a 409.
  expected: optionalId('The assignment you saw is not valid. Reload the page and try again.'),
});
