import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { AppError, ConflictError, NotFoundError, PayloadTooLargeError, TooManyRequestsError, ValidationError } from './errors.ts';
import { wantsJson, type FormRerender } from './http.ts';
import type { Logger } from './logging.ts';

/** The 404 for any path no route answered. */
export const notFound: RequestHandler = () => {
  throw new NotFoundError();
};

/**
 * Turns every error into a page or a JSON body with the right status. Known
 * errors keep their message; anything else is logged with the request id
 * and shown as a generic 500 without internals.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return async (err: unknown, req, res, next) => {
    if (res.headersSent) {
      // A streamed response broke half-way: all we can do is end it and log.
      logger.error({ err, reqId: req.id }, 'error after the response started');
      res.destroy();
      return;
    }
    const appError = toAppError(err);
    if (!appError) {
      logger.error({ err, reqId: req.id }, 'unhandled error');
    } else if (appError.status >= 500) {
      logger.error({ err, reqId: req.id }, appError.message);
    }
    const error = appError ?? new AppError(500, 'internal_error', 'Something went wrong on our side. Try again; if it keeps happening, tell your admin.');
    try {
      await send(req, res, error);
    } catch (renderErr) {
      logger.error({ err: renderErr, reqId: req.id }, 'error page failed to render');
      if (!res.headersSent) res.status(500).type('text/plain').send('Something went wrong on our side.');
      else next(renderErr);
    }
  };
}

async function send(req: Request, res: Response, error: AppError): Promise<void> {
  res.status(error.status);
  if (error instanceof TooManyRequestsError) res.setHeader('Retry-After', String(error.retryAfterSeconds));
  if (error.status === 401 && !wantsJson(req) && req.method === 'GET') {
    // A signed-out visitor to a page goes to sign-in and comes back after.
    if (req.session) req.session.returnTo = req.originalUrl;
    res.redirect(302, '/login');
    return;
  }
  if (error.status === 401 && !wantsJson(req)) {
    res.redirect(303, '/login');
    return;
  }
  if (wantsJson(req)) {
    res.json({
      error: {
        code: error.code,
        message: error.message,
        ...(error instanceof ValidationError ? { fields: error.fields } : {}),
        ...(error instanceof ConflictError && error.current !== undefined ? { current: error.current } : {}),
        ...(error.status >= 500 ? { requestId: String(req.id ?? '') } : {}),
      },
    });
    return;
  }
  const rerender = res.locals.rerender as FormRerender | undefined;
  if (rerender && (error instanceof ValidationError || error instanceof ConflictError)) {
    await rerender(error);
    return;
  }
  res.render('error', {
    title: titleFor(error),
    error,
    fields: error instanceof ValidationError ? error.fields : {},
    requestId: error.status >= 500 ? String(req.id ?? '') : null,
  });
}

function titleFor(error: AppError): string {
  switch (error.status) {
    case 400: return 'There is a problem';
    case 403: return error.code === 'csrf_failed' ? 'This form has expired' : 'You cannot do that';
    case 404: return 'Page not found';
    case 409: return 'Someone else changed this';
    case 413: return 'Too large';
    case 429: return 'Too many attempts';
    default: return 'Sorry, something went wrong';
  }
}

interface PgLikeError { code?: unknown; constraint?: unknown; type?: unknown; status?: unknown; field?: unknown }

/** Maps the errors that libraries and PostgreSQL throw to the app's own; null for the unknown. */
export function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (typeof err !== 'object' || err === null) return null;
  const e = err as PgLikeError;
  // csrf-sync
  if (e.code === 'EBADCSRFTOKEN') {
    return new AppError(403, 'csrf_failed', 'This form has expired or was sent from somewhere else. Go back, reload the page and try again.');
  }
  // body-parser
  if (e.type === 'entity.too.large') return new PayloadTooLargeError('What was sent is larger than Factdesk accepts.');
  if (e.type === 'parameters.too.many') return new PayloadTooLargeError('The form sent too many fields.');
  if (e.type === 'entity.parse.failed') return new ValidationError({ form: 'The request body could not be read.' }, 'The request body is not valid JSON or form data.');
  if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') return new AppError(415, 'unsupported_media_type', 'Send the form as UTF-8.');
  if (e.type === 'request.aborted') return new AppError(400, 'aborted', 'The request was interrupted.');
  // multer
  if (e.code === 'LIMIT_FILE_SIZE') return new PayloadTooLargeError('The file is larger than 5 MB. Upload a smaller file, or paste the text instead.');
  if (typeof e.code === 'string' && e.code.startsWith('LIMIT_')) {
    return e.code === 'LIMIT_FIELD_COUNT' || e.code === 'LIMIT_PART_COUNT' || e.code === 'LIMIT_FIELD_VALUE'
      ? new PayloadTooLargeError('The form sent too many or too large fields.')
      : new ValidationError({ file: 'Upload one file in the file field.' });
  }
  if (e.code === 'ECONNRESET' || e.code === 'ECONNABORTED') return new AppError(400, 'aborted', 'The request was interrupted.');
  // PostgreSQL
  switch (e.code) {
    case '23505': return new ConflictError('That record already exists.', undefined, 'already_exists');
    case '23503': return new ConflictError('That record refers to something that does not exist or is still in use.', undefined, 'reference_conflict');
    case '22P02': return new ValidationError({ form: 'A value has the wrong format.' });
    case '22001': return new ValidationError({ form: 'A value is longer than allowed.' });
    case '22021': return new ValidationError({ form: 'A value contains characters that cannot be stored.' });
    case '22007': case '22008': return new ValidationError({ form: 'A date is not valid.' });
    case '23514': return new ValidationError({ form: 'A value is outside what is allowed.' });
    case '42501': return new AppError(403, 'forbidden', 'The database refused this change: it would break one of the desk\'s rules.');
    case '40001': case '40P01': return new ConflictError('Someone else was changing the same record at the same moment. Try again.');
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new AppError(e.status, 'bad_request', 'The request could not be understood.');
  }
  return null;
}
