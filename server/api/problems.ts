import type { ErrorRequestHandler, RequestHandler } from 'express';
import { toAppError } from '../platform/error-handler.ts';
import { AppError, ConflictError, NotFoundError, TooManyRequestsError, UnauthorizedError, ValidationError } from '../platform/errors.ts';
import type { Logger } from '../platform/logging.ts';

/** The problem+json body of RFC 9457: type, title, status, detail, and our own code, field problems and current record. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  /** Each field refused, as a JSON pointer into the request and a sentence. */
  errors?: { pointer: string; detail: string }[];
  /** The record as it is now, for a 409 on a stale version. */
  current?: unknown;
  requestId?: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Not authenticated',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
  500: 'Internal server error',
};

/** The problem document for an error (problem types are documented at /api/v1/docs#problems). */
export function problemOf(error: AppError, requestId: string): Problem {
  return {
    type: `/api/v1/docs#problem-${error.code}`,
    title: TITLES[error.status] ?? 'Error',
    status: error.status,
    detail: error.message,
    code: error.code,
    ...(error instanceof ValidationError ? { errors: Object.entries(error.fields).map(([field, detail]) => ({ pointer: field === 'form' ? '#' : `#/${field}`, detail })) } : {}),
    ...(error instanceof ConflictError && error.current !== undefined ? { current: error.current } : {}),
    ...(error.status >= 500 ? { requestId } : {}),
  };
}

/** Every error under /api/v1 as application/problem+json; an unknown one is logged and told as a bare 500. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const known = toAppError(err);
    if (!known || known.status >= 500) logger.error({ err, reqId: req.id }, 'API error');
    let error = known ?? new AppError(500, 'internal_error', 'Something went wrong on our side. Try again; if it keeps happening, tell the desk’s admin.');
    // The policies' guard speaks to people at a browser ("Sign in to continue"); a program without a token is told what to send.
    if (error.status === 401 && req.get('authorization') === undefined) error = new UnauthorizedError(NO_TOKEN);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof TooManyRequestsError) res.setHeader('Retry-After', String(error.retryAfterSeconds));
    if (error.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="factdesk"');
    res.status(error.status).type('application/problem+json').send(JSON.stringify(problemOf(error, String(req.id ?? ''))));
  };
}

const NO_TOKEN = 'This operation needs a personal access token (made under Your account → API tokens), sent as “Authorization: Bearer <token>”.';

/** Any /api/v1 path no operation answers. */
export const apiNotFound: RequestHandler = () => {
  throw new NotFoundError('There is no such API address. See /api/v1/docs for the operations.');
};
