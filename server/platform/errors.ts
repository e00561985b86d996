/** Field name -> message shown beside that field. */
export type FieldErrors = Record<string, string>;

/** An error the user can act on: an HTTP status, a stable code and a plain message. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'We could not find that page. It may have been moved, or the address may be mistyped.') {
    super(404, 'not_found', message);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Sign in to continue.') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Your account is not allowed to do that.') {
    super(403, 'forbidden', message);
  }
}

/** Bad input: the form is shown again with a message beside each field. */
export class ValidationError extends AppError {
  constructor(
    readonly fields: FieldErrors,
    message = 'There is a problem with what was entered. Check the fields marked below.',
    status: 400 | 403 = 400,
  ) {
    super(status, status === 403 ? 'forbidden' : 'invalid_input', message);
  }
}

/**
 * A choice in a form that a policy refuses (a claim assigned to one of its
 * authors): 403, as every policy refusal, and the form shown again with the
 * message beside the field that made the choice.
 */
export class ForbiddenChoiceError extends ValidationError {
  constructor(fields: FieldErrors, message = 'Your account is not allowed to do that.') {
    super(fields, message, 403);
  }
}

/** The record changed since the user loaded it, or the change collides with another record. */
export class ConflictError extends AppError {
  constructor(
    message: string,
    readonly current?: unknown,
    code = 'conflict',
  ) {
    super(409, code, message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message = 'What was sent is too large.') {
    super(413, 'payload_too_large', message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'too_many_requests', message);
  }
}

/** The field messages of a refused form: a ValidationError's own, or its message as a form-level problem. */
export function fieldErrorsOf(err: Error): FieldErrors {
  return err instanceof ValidationError ? { ...err.fields } : { form: err.message };
}
