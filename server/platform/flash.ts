import type { RequestHandler } from 'express';

/**
 * The one-time notice of the last action ("Claim submitted for review"),
 * handed to the page that shows it. It is taken out of the session only when a
 * page is rendered: a request that renders nothing (an autocomplete's JSON, the
 * queue's event stream) fired from the old page while the next one loads must
 * not swallow it.
 */
export const exposeFlash: RequestHandler = (req, res, next) => {
  let local: unknown;
  let taken = false;
  Object.defineProperty(res.locals, 'flash', {
    configurable: true,
    enumerable: true,
    get() {
      if (!taken) {
        taken = true;
        local ??= req.session?.flash ?? null;
        if (req.session?.flash) delete req.session.flash;
      }
      return local;
    },
    set(value: unknown) {
      // A route's own notice for this response (a warning on a re-rendered form).
      taken = true;
      local = value;
    },
  });
  next();
};
