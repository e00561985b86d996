import type { Request } from 'express';
import type { z } from 'zod';
import { ValidationError, type FieldErrors } from '../platform/errors.ts';
import { parseInput } from '../platform/validate.ts';
import { importFile, NotAnArticleError } from './import.ts';
import type { NewReport } from './reports.repo.ts';
import { ReportEditFields, ReportFields } from './schemas.ts';
import { formatBytes, MAX_BODY_BYTES, normaliseBody } from './text.ts';

/** Which form the fields came from: the import form (paste or upload) or the correction form (text only). */
export type ReportFormKind = 'import' | 'correct';

/** The longest title the report takes (the database's limit too). */
const MAX_TITLE = 300;

/** What a file that was read gives the form when another field is refused: its name, its text and the title it proposes. */
export interface FileRead {
  name: string;
  body: string;
  title: string | null;
}

/** A refused import form whose file was read: the form is shown with the file's text in the Text box, so it need not be chosen again. */
export class FileKeptError extends ValidationError {
  constructor(
    fields: FieldErrors,
    readonly file: FileRead,
  ) {
    super(fields);
  }
}

/** A new report from the import form, and the title the file proposed when that was used. */
export interface ImportedReport {
  report: NewReport;
  titleFromFile: string | null;
}

/**
 * The new report from the import form: pasted text or an uploaded file (not
 * both; the file's own text pasted back, as the form offers after an error,
 * counts as the file). With the title left empty, the file's own is taken.
 */
export async function reportFromImportForm(req: Request): Promise<ImportedReport> {
  if (!req.file) return { report: checkedReport(parseReportFields(ReportFields, req.body, 'import'), null, 'import'), titleFromFile: null };
  const raw = (req.body ?? {}) as Record<string, unknown>;
  const imported = await importFile(req.file).catch((err: unknown) => {
    // Not an article: its text goes into the Text box, to import as it is or to replace.
    if (err instanceof NotAnArticleError) throw new FileKeptError(err.fields, { name: req.file!.originalname.normalize('NFC'), body: err.page.body, title: err.page.title });
    throw err;
  });
  const pasted = typeof raw.body === 'string' ? normaliseBody(raw.body) : '';
  if (pasted && pasted !== normaliseBody(imported.body)) throw new ValidationError({ file: 'Either paste the text or upload a file, not both. Your pasted text is kept below: import it as it is, or empty the Text box and choose the file again.' });
  const proposed = imported.title === null ? null : shortened(imported.title, MAX_TITLE);
  const typedTitle = typeof raw.title === 'string' && raw.title.trim() !== '';
  const file: FileRead = { name: req.file.originalname.normalize('NFC'), body: imported.body, title: typedTitle ? null : proposed };
  try {
    const input = parseReportFields(ReportFields, { ...raw, title: typedTitle ? raw.title : (proposed ?? ''), body: imported.body }, 'import');
    const report = checkedReport(
      { ...input, outlet: input.outlet ?? imported.outlet, byline: input.byline ?? imported.byline, publishedOn: input.publishedOn ?? imported.publishedOn },
      file.name,
      'import',
    );
    return { report, titleFromFile: file.title };
  } catch (err) {
    // The file itself is refused (no text, too long): nothing of it is worth keeping.
    if (!(err instanceof ValidationError) || err.fields.file) throw err;
    throw new FileKeptError(err.fields, file);
  }
}

/**
 * Parses a report form; when some fields are refused, the title and text are
 * checked too, so every problem is listed at once.
 */
export function parseReportFields<S extends typeof ReportFields | typeof ReportEditFields>(schema: S, body: unknown, kind: ReportFormKind): z.output<S> {
  try {
    return parseInput(schema, body) as z.output<S>;
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    const raw = (body ?? {}) as Record<string, unknown>;
    const more: FieldErrors = {};
    if (typeof raw.title !== 'string' || !raw.title.trim()) more.title = TITLE_MISSING;
    if (typeof raw.body !== 'string' || !raw.body.trim()) more.body = bodyMissing(kind);
    throw new ValidationError({ ...more, ...err.fields });
  }
}

/** The title and body rules that apply however the text arrived. */
export function checkedReport(input: z.output<typeof ReportFields>, fileName: string | null, kind: ReportFormKind): NewReport {
  const errors: FieldErrors = {};
  const body = normaliseBody(input.body);
  const where = fileName ? 'file' : 'body';
  if (!input.title) errors.title = TITLE_MISSING;
  if (!body) errors[where] = fileName ? 'The file has no text in it.' : bodyMissing(kind);
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > MAX_BODY_BYTES) errors[where] = `The text is ${formatBytes(bytes)}; a report can hold at most 1 MB of text. Split it into parts.`;
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return { title: input.title!, outlet: input.outlet, byline: input.byline, url: input.url, publishedOn: input.publishedOn, body };
}

const TITLE_MISSING = 'Enter the report’s title.';

function bodyMissing(kind: ReportFormKind): string {
  // The correction form has no upload: it only takes the text itself.
  return kind === 'import' ? 'Paste the report’s text, or upload a file.' : 'Enter the report’s text: a correction cannot leave the report empty.';
}

/** A report form's fields as the user sent them, to show the form again. */
export function formValues(req: Request): Record<string, unknown> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    title: text(body.title),
    outlet: text(body.outlet),
    byline: text(body.byline),
    url: text(body.url),
    publishedOn: text(body.publishedOn),
    body: text(body.body),
    note: text(body.note),
    version: text(body.version),
    baseRevision: text(body.baseRevision),
  };
}

/** At most `max` characters, cut at a space, with an ellipsis when cut. */
function shortened(text: string, max: number): string {
  if ([...text].length <= max) return text;
  const cut = [...text].slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
