import { z } from 'zod';
import { cleanText, requiredText } from '../platform/validate.ts';
import { WEBHOOK_EVENTS } from './events.ts';

export const SECRET_MIN = 16;
export const SECRET_MAX = 200;

const webAddress = requiredText('the address that receives the events', 2000).pipe(
  z
    .string()
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), 'Enter a web address starting with https:// (or http://), like https://cms.example.org/hooks/factdesk.')
    .transform((v) => new URL(v).href),
);

const events = z.preprocess(
  (v) => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]),
  z
    .array(z.enum(WEBHOOK_EVENTS, { error: 'Choose events from the list.' }), { error: 'Choose events from the list.' })
    .min(1, 'Choose at least one event to send.')
    .transform((list) => WEBHOOK_EVENTS.filter((e) => list.includes(e))),
);

const secret = z.preprocess(
  (v) => (typeof v === 'string' ? cleanText(v, { multiline: false }).trim() || null : (v ?? null)),
  z
    .string({ error: 'The secret must be text.' })
    .min(SECRET_MIN, `The secret must be at least ${SECRET_MIN} characters long, or leave it empty to have one made.`)
    .max(SECRET_MAX, `The secret must be ${SECRET_MAX} characters or fewer.`)
    .nullable(),
);

/** The form that registers an endpoint: where, which events, and the secret (empty: one is made). */
export const NewEndpointForm = z.object({ url: webAddress, events, secret });

/** The fields of the form, in its order (the error summary follows it). */
export const ENDPOINT_FIELDS = ['url', 'events', 'secret'] as const;

/** A page of the delivery log: deliveries before this one (keyset). */
export const LogQuery = z.object({
  before: z.preprocess((v) => (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : null), z.number().int().positive().nullable()),
});
