import { z } from 'zod';
import { ValidationError, type FieldErrors } from './errors.ts';

/**
 * Cleans text as it arrives: Unicode NFC, \n line breaks, no NUL or other
 * control characters (PostgreSQL cannot store NUL; the others only hide
 * things), and lone surrogates replaced so the text is valid UTF-8.
 */
export function cleanText(value: string, { multiline }: { multiline: boolean }): string {
  let text = value.toWellFormed().normalize('NFC').replace(/\r\n?/g, '\n');
  // eslint-disable-next-line no-control-regex
  text = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
  if (!multiline) text = text.replace(/[\n\t]+/g, ' ');
  return text;
}

const asString = (value: unknown): unknown => (typeof value === 'string' ? value : value ?? undefined);

/** A required single-line text field, trimmed, at most `max` characters. */
export function requiredText(label: string, max: number, { multiline = false } = {}) {
  return z.preprocess(
    (v) => {
      const s = asString(v);
      return typeof s === 'string' ? cleanText(s, { multiline }).trim() : s;
    },
    z
      .string({ error: `Enter ${label}.` })
      .min(1, `Enter ${label}.`)
      .max(max, `${capitalise(label)} must be ${max.toLocaleString('en-GB')} characters or fewer.`),
  );
}

/** An optional text field: empty input becomes null. */
export function optionalText(label: string, max: number, { multiline = false } = {}) {
  return z.preprocess(
    (v) => {
      const s = asString(v);
      if (typeof s !== 'string') return s === undefined ? null : s;
      const cleaned = cleanText(s, { multiline }).trim();
      return cleaned === '' ? null : cleaned;
    },
    z
      .string({ error: `${capitalise(label)} must be text.` })
      .max(max, `${capitalise(label)} must be ${max.toLocaleString('en-GB')} characters or fewer.`)
      .nullable(),
  );
}

/** One value of a fixed list, with a message naming what to choose. */
export function choice<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z.preprocess(asString, z.enum(values, { error: message }));
}

/** An optional choice: empty input becomes null. */
export function optionalChoice<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z.preprocess((v) => (v === '' || v === undefined || v === null ? null : asString(v)), z.enum(values, { error: message }).nullable());
}

/** A calendar date typed as YYYY-MM-DD (what <input type="date"> sends); empty is null. */
export function optionalDate(label: string) {
  return z.preprocess(
    (v) => (v === '' || v === undefined || v === null ? null : asString(v)),
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, `${capitalise(label)} must be a real date, like 2025-11-21.`)
      .refine((s) => isRealDate(s), `${capitalise(label)} must be a real date, like 2025-11-21.`)
      .nullable(),
  );
}

/** A whole number in a range, from a form field or JSON. */
export function intInRange(label: string, min: number, max: number) {
  return z.preprocess(
    (v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : v),
    z
      .number({ error: `${capitalise(label)} must be a whole number.` })
      .int(`${capitalise(label)} must be a whole number.`)
      .min(min, `${capitalise(label)} must be between ${min} and ${max}.`)
      .max(max, `${capitalise(label)} must be between ${min} and ${max}.`),
  );
}

/** A record id in a path or form: a positive 32-bit integer. */
export const recordId = z.preprocess(
  (v) => (typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : v),
  z.number().int().min(1).max(2_147_483_647),
);

/** An optional record id from a form or query: empty is null, anything but a positive integer is refused. */
export function optionalId(message: string) {
  return z.preprocess(
    (v) => (v === '' || v === undefined || v === null ? null : typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : v),
    z.number({ error: message }).int(message).min(1, message).max(2_147_483_647, message).nullable(),
  );
}

/** Parses a record id from a path parameter; anything else is "not found". */
export function parseId(value: unknown): number | null {
  const parsed = recordId.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Checks input against a schema; throws ValidationError with a message per field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  throw new ValidationError(fieldErrors(parsed.error));
}

/** The first message for each field of a zod error, keyed by the field's name. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    // Forms are flat: a problem inside a list (status[1]) belongs to the list's field.
    const key = issue.path.length > 0 ? String(issue.path[0]) : 'form';
    if (!(key in fields)) fields[key] = issue.message;
  }
  return fields;
}

function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s) && d.getUTCFullYear() >= 1800 && d.getUTCFullYear() <= 2200;
}

function capitalise(s: string): string {
  const bare = s.replace(/^(a|an|the) /, '');
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}
