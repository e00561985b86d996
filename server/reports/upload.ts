import { Router, type Response } from 'express';
import multer from 'multer';
import { ValidationError, type FieldErrors } from '../platform/errors.ts';
import { allow } from '../platform/policies.ts';

/** The largest file the import form takes. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
/** The largest single field of the import form (the pasted text): more than a report can hold, so the text's own 1 MB message is shown below it. */
const MAX_FIELD_BYTES = 4 * 1024 * 1024;

/** The fields of the import form, in the order a browser sends them (the file last). */
const FORM_FIELDS = ['title', 'outlet', 'byline', 'url', 'publishedOn', 'body', 'address', 'file'];

/** A field that was too large to read: the form is shown again with it marked, status 413. */
export class UploadTooLargeError extends ValidationError {
  override readonly status = 413;
}

const upload = multer({
  storage: multer.memoryStorage(),
  // File names are UTF-8 (multer's default reads them as latin1).
  defParamCharset: 'utf8',
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 50, parts: 60, fieldSize: MAX_FIELD_BYTES },
} as multer.Options).single('file');

/**
 * Reads the import form's multipart body (fields and the one file), and only
 * that: for anyone else, on any other path, a multipart body is never read
 * into memory. Mounted after the session and before the CSRF check, which
 * then finds the form's token among the parsed fields; the policy is checked
 * first, so a visitor who is not signed in is sent away before a byte is
 * buffered. A field over its limit does not end the request: the import route
 * shows the form again with the message beside it and the other fields kept.
 */
export function importUploads(): Router {
  const router = Router();
  router.post('/reports', allow('report.create'), (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (err) res.locals.uploadRefused = refusalOf(err);
      next();
    });
  });
  return router;
}

/** The refusal the upload parser left for the import route, if it stopped reading the form. */
export function uploadRefusal(res: Response): UploadTooLargeError | ValidationError | null {
  const refused: unknown = res.locals.uploadRefused;
  return refused instanceof ValidationError ? refused : null;
}

/** What stopped the parser, as messages beside the field concerned. */
function refusalOf(err: unknown): ValidationError {
  // A body that is not well-formed multipart (cut off, a broken part header).
  if (!(err instanceof multer.MulterError)) return new ValidationError({ form: 'The form could not be read; it may have been cut off. Try again.' });
  const field = err.field && FORM_FIELDS.includes(err.field) ? err.field : null;
  switch (err.code) {
    case 'LIMIT_FILE_SIZE':
      return new UploadTooLargeError({
        file: 'The file is larger than 5 MB, the most Factdesk takes. Upload a smaller file, or split the report into parts (a report holds at most 1 MB of text).',
      });
    case 'LIMIT_FIELD_VALUE':
      return new UploadTooLargeError(
        field === 'body'
          ? { body: 'The pasted text is larger than 4 MB; a report can hold at most 1 MB of text. Split it into parts and import each one.' }
          : field
            ? ({ [field]: 'This is far more text than the field takes. Shorten it.' } as FieldErrors)
            : { form: 'A field of the form was far larger than Factdesk takes. Shorten what you entered and try again.' },
      );
    case 'LIMIT_FILE_COUNT':
    case 'LIMIT_UNEXPECTED_FILE':
      return new ValidationError({ file: 'Upload one file, in the “Or upload a file” field.' });
    default:
      // Too many fields or parts, or odd field names: not something the import form sends.
      return new UploadTooLargeError({ form: 'The form could not be read: it sent more, or other, fields than the import form has. Reload the page and try again.' });
  }
}
