import type { z } from 'zod';
import { ValidationError, type FieldErrors } from '../platform/errors.ts';
import { fieldErrors } from '../platform/validate.ts';

/** A form's fields as sent, text only (anything else reads as empty). */
export type RawForm = Record<string, string>;

/**
 * Parses a form with its schema. When the schema refuses some fields, the
 * form's other checks (those that need the database: a wrong current
 * password, an email already taken) still run on the fields it accepted, so
 * the person sees every problem at once, in the form's order. When the
 * schema accepts the form, those checks are left to the command, which makes
 * them anyway.
 */
export async function parseAllAtOnce<S extends z.ZodObject>(
  schema: S,
  body: unknown,
  moreChecks: (raw: RawForm, refused: FieldErrors) => Promise<FieldErrors>,
): Promise<z.output<S>> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const refused = fieldErrors(parsed.error);
  const more = await moreChecks(rawForm(body), refused);
  throw new ValidationError(inFormOrder({ ...more, ...refused }, Object.keys(schema.shape)));
}

/** The messages ordered as the fields are on the form; anything else (a form-level problem) last. */
export function inFormOrder(errors: FieldErrors, order: readonly string[]): FieldErrors {
  const rank = (field: string) => (order.includes(field) ? order.indexOf(field) : order.length);
  return Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b)));
}

function rawForm(body: unknown): RawForm {
  const raw: RawForm = {};
  if (typeof body !== 'object' || body === null) return raw;
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') raw[key] = value;
  return raw;
}
