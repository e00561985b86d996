import type { Request, RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  // Forms send the token as a hidden field, JSON clients as a header.
  getTokenFromRequest: (req: Request) => {
    const body = req.body as Record<string, unknown> | undefined;
    const fromBody = body && typeof body._csrf === 'string' ? body._csrf : undefined;
    const fromHeader = req.headers['x-csrf-token'];
    return fromBody ?? (typeof fromHeader === 'string' ? fromHeader : undefined);
  },
});

/** Refuses every state-changing request (not GET/HEAD/OPTIONS) without this session's token. */
export const csrfProtection: RequestHandler = csrfSynchronisedProtection;

/** Puts the session's token where views find it (`csrfToken`), creating it on first use. */
export const exposeCsrfToken: RequestHandler = (req, res, next) => {
  res.locals.csrfToken = () => generateToken(req);
  next();
};
