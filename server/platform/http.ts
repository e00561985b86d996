import type { Request, Response } from 'express';
import type { AppError } from './errors.ts';

/** True when the client asked for JSON rather than a page (Accept header or /api path). */
export function wantsJson(req: Request): boolean {
  if (req.path.startsWith('/api/')) return true;
  return req.accepts(['html', 'json']) === 'json';
}

/** Re-renders the form a request came from, with the user's input and the error's messages. */
export type FormRerender = (err: AppError) => Promise<void> | void;

/**
 * Tells the error handler how to show this route's form again when its input
 * is refused: a route registers the re-render first, then parses and runs its
 * command; any ValidationError or ConflictError thrown after that comes back
 * as the same page, with the user's input kept and the messages beside the
 * fields (400/409), instead of a bare error page. JSON clients get the field
 * messages as JSON.
 */
export function onInvalid(res: Response, rerender: FormRerender): void {
  res.locals.rerender = rerender;
}

/** Responds with a page or JSON, whichever the client asked for. */
export async function respond(req: Request, res: Response, page: () => void | Promise<void>, json: () => unknown): Promise<void> {
  if (wantsJson(req)) {
    res.json(await json());
    return;
  }
  await page();
}

/** A same-site path safe to redirect to after sign-in; anything else falls back to the home page. */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string') return '/';
  // One leading slash, no scheme-relative //host, no backslash tricks, no control characters.
  // eslint-disable-next-line no-control-regex
  if (!/^\/(?![/\\])[^\u0000-\u001f\\]*$/.test(value)) return '/';
  if (value.length > 2000) return '/';
  return value;
}
