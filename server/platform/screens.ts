import type { Request, Response } from 'express';
import type { FieldErrors } from './errors.ts';

/** A refused form on a screen: which panel it was, what was typed and the messages beside the fields. */
export interface FormState {
  errors?: FieldErrors;
  values?: Record<string, unknown>;
  /** Which of the screen's forms was refused ('evidence', 'comment', a transition action…). */
  panel?: string;
}

/**
 * Draws a screen about one record (the claim page, the report page), again
 * with a refused form's state. The screens combine features and live in
 * server/pages/; a feature whose form sits on one gets the function from
 * app.ts, so no feature imports pages.
 */
export type RecordScreen<R, S extends FormState = FormState> = (req: Request, res: Response, record: R, state: S) => Promise<void>;
