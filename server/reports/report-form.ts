import type { Request } from 'express';
import type { z } from 'zod';
import { ValidationError, type FieldErrors } from '../platform/errors.ts';
import { parseInput } from '../platform/validate.ts';
import type { Config } from '../platform/config.ts';
import { OutboundRefusal, type OutboundRules } from '../platform/outbound-address.ts';
import { fetchOutbound, type OutboundLimits } from '../platform/outbound-fetch.ts';
import { IMPORTABLE_TYPES, importFetched, importFile, NotAnArticleError, type ImportedText } from './import.ts';
import { MAX_UPLOAD_BYTES } from './upload.ts';
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
  /** The field it came through: an uploaded file, or a web address. */
  field: 'file' | 'address';
}

/** The desk's outbound settings as the import takes them (a test may resolve names itself). */
export type OutboundSettings = Config['outbound'] & Pick<OutboundRules, 'resolve'>;

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
 * The new report from the import form: pasted text, an uploaded file, or a
 * web address fetched on the editor's behalf (one of the three; the file's or
 * page's own text pasted back, as the form offers after an error, counts as
 * that file or page). With the title left empty, the file's own is taken; an
 * address is kept as the report's URL unless another was typed.
 */
export async function reportFromImportForm(req: Request, outbound: OutboundSettings): Promise<ImportedReport> {
  const raw = (req.body ?? {}) as Record<string, unknown>;
  const address = typeof raw.address === 'string' ? raw.address.trim() : '';
  if (req.file && address) throw new ValidationError({ address: 'Either upload a file or give a web address, not both. Empty one of the two.' });
  const source = req.file ? await readUpload(req.file) : address ? await readAddress(address, outbound) : null;
  if (!source) return { report: checkedReport(parseReportFields(ReportFields, raw, 'import'), null, 'import'), titleFromFile: null };
  const { imported, field } = source;
  const pasted = typeof raw.body === 'string' ? normaliseBody(raw.body) : '';
  if (pasted && pasted !== normaliseBody(imported.body)) {
    throw new ValidationError({ [field]: `Either paste the text or ${field === 'file' ? 'upload a file' : 'give a web address'}, not both. Your pasted text is kept below: import it as it is, or empty the Text box and try again.` });
  }
  const proposed = imported.title === null ? null : shortened(imported.title, MAX_TITLE);
  const typedTitle = typeof raw.title === 'string' && raw.title.trim() !== '';
  const file: FileRead = { name: source.name, body: imported.body, title: typedTitle ? null : proposed, field };
  try {
    const typedUrl = typeof raw.url === 'string' && raw.url.trim() !== '';
    const input = parseReportFields(ReportFields, { ...raw, title: typedTitle ? raw.title : (proposed ?? ''), body: imported.body, url: typedUrl ? raw.url : (source.url ?? '') }, 'import');
    const report = checkedReport(
      { ...input, outlet: input.outlet ?? imported.outlet, byline: input.byline ?? imported.byline, publishedOn: input.publishedOn ?? imported.publishedOn },
      file.name,
      'import',
      field,
    );
    return { report, titleFromFile: file.title };
  } catch (err) {
    // The file itself is refused (no text, too long): nothing of it is worth keeping.
    if (!(err instanceof ValidationError) || err.fields[field]) throw err;
    throw new FileKeptError(err.fields, file);
  }
}

/** What the file or page gave, where its problems are shown, and the address it came from. */
interface ReadSource {
  name: string;
  field: 'file' | 'address';
  imported: ImportedText;
  url: string | null;
}

async function readUpload(upload: { originalname: string; buffer: Buffer }): Promise<ReadSource> {
  const name = upload.originalname.normalize('NFC');
  const imported = await importFile(upload).catch((err: unknown) => {
    // Not an article: its text goes into the Text box, to import as it is or to replace.
    if (err instanceof NotAnArticleError) throw new FileKeptError(err.fields, { name, body: err.page.body, title: err.page.title, field: 'file' });
    throw err;
  });
  return { name, field: 'file', imported, url: null };
}

/** Fetches the page through the outbound guard and imports it; every refusal is shown beside the address, which stays in the form. */
async function readAddress(address: string, outbound: OutboundSettings): Promise<ReadSource> {
  if (!/^https?:\/\//i.test(address)) throw new ValidationError({ address: 'Enter a web address starting with https:// or http://' });
  if (address.length > 2000) throw new ValidationError({ address: 'This address is too long (more than 2,000 characters).' });
  const url = new URL(address).href;
  try {
    const page = await fetchOutbound(url, { allowHosts: outbound.allowHosts, ...(outbound.resolve ? { resolve: outbound.resolve } : {}) }, importFetchLimits(outbound), {
      accept: IMPORTABLE_TYPES,
      refuseErrors: true,
      headers: { accept: 'text/html,application/xhtml+xml,text/plain;q=0.9' },
    });
    return { name: url, field: 'address', imported: await importFetched(page), url };
  } catch (err) {
    if (err instanceof OutboundRefusal) throw new ValidationError({ address: err.message });
    if (err instanceof NotAnArticleError) throw new FileKeptError({ address: err.fields.file! }, { name: url, body: err.page.body, title: err.page.title, field: 'address' });
    // The page's own problems (its encoding, the time it took to read) are reported beside the address it came from.
    if (err instanceof ValidationError && err.fields.file) throw new ValidationError({ address: err.fields.file });
    throw err;
  }
}

/** What an import by address may take: the upload's size, and the desk's fetch timeout. */
function importFetchLimits(outbound: OutboundSettings): OutboundLimits {
  return { maxBytes: MAX_UPLOAD_BYTES, connectTimeoutMs: Math.min(5000, outbound.timeoutMs), totalTimeoutMs: outbound.timeoutMs, maxRedirects: 5 };
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
export function checkedReport(input: z.output<typeof ReportFields>, fileName: string | null, kind: ReportFormKind, fileField: 'file' | 'address' = 'file'): NewReport {
  const errors: FieldErrors = {};
  const body = normaliseBody(input.body);
  const where = fileName ? fileField : 'body';
  if (!input.title) errors.title = TITLE_MISSING;
  if (!body) errors[where] = fileName ? `The ${fileField === 'file' ? 'file' : 'page'} has no text in it.` : bodyMissing(kind);
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
    address: text(body.address),
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
