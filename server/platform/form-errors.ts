import type { FieldErrors } from '../platform/errors.ts';

/**
 * A form's field messages with every key one of the form's visible fields:
 * the error summary links each message to `#field-<key>`, so a message about
 * a hidden or unknown field (the version a form carries, a stray parameter)
 * would link nowhere. Those become problems of the form as a whole, told with
 * `hidden[key]` where the field has its own wording.
 */
export function onFormFields(errors: FieldErrors, fields: readonly string[], hidden: Record<string, string> = {}): FieldErrors {
  const kept: FieldErrors = {};
  const general: string[] = [];
  for (const [key, message] of Object.entries(errors)) {
    if (key === 'form') general.unshift(message);
    else if (fields.includes(key)) kept[key] = message;
    else general.push(hidden[key] ?? message);
  }
  const unique = [...new Set(general)];
  return unique.length > 0 ? { form: unique.join(' '), ...kept } : kept;
}

/** What a form says when the version it carries is missing or malformed. */
export const STALE_FORM_MESSAGE = 'This form is out of date or incomplete. Reload the page and make your changes again.';
