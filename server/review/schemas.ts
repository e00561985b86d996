import { z } from 'zod';
import { CONFIDENCE_LEVELS } from '../claims/fields.ts';
import { intInRange, optionalChoice, optionalId, optionalText, recordId, requiredText } from '../platform/validate.ts';

export const TransitionForm = z.object({
  version: intInRange('the version', 1, 2_147_483_647),
  comment: optionalText('the comment', 5000, { multiline: true }),
  confidence: optionalChoice(CONFIDENCE_LEVELS, 'Choose high, moderate or low confidence.'),
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
