import { fileTypeFromBuffer } from 'file-type';
import { marked } from 'marked';
import { ValidationError } from '../platform/errors.ts';
import { decodeText } from './encodings.ts';
import { extractPage } from './extract.ts';
import { htmlToPlain } from './html-text.ts';
import { firstLineTitle, markdownTitle, withoutSiteName } from './titles.ts';

/** What an uploaded file gives a new report: its text, and what the file says about itself. */
export interface ImportedText {
  body: string;
  /** The file's own title: an HTML page's (without the site's name), a Markdown file's first heading, a text file's short first line. */
  title: string | null;
  byline: string | null;
  outlet: string | null;
  publishedOn: string | null;
}

const ACCEPTED = /\.(txt|text|md|markdown|html?)$/i;
const refuse = (message: string) => new ValidationError({ file: message });

/**
 * Turns an uploaded .txt, .md or .html file into plain text. The content
 * decides, not only the name: binary files (by their magic numbers), text in
 * an encoding it does not declare, and NUL bytes are refused whatever the
 * file is called. A page in another encoding (windows-1251, KOI8-R,
 * Shift_JIS, ISO-8859-x ...) is decoded as its BOM or <meta charset> says.
 */
export async function importFile(file: { originalname: string; buffer: Buffer }): Promise<ImportedText> {
  const name = file.originalname.normalize('NFC');
  if (!ACCEPTED.test(name)) refuseType(name);
  if (file.buffer.length === 0) throw refuse('The file is empty.');
  const detected = await fileTypeFromBuffer(file.buffer);
  if (detected && !['xml', 'html'].includes(detected.ext)) {
    throw refuse(`This file is really a ${detected.ext.toUpperCase()} file, not text. Upload a .txt, .md or .html file.`);
  }
  const text = decodeText(file.buffer);
  if (text === null) throw refuse('This file is not UTF-8 text and does not say which encoding it is in. Save it as UTF-8 (or, for a web page, keep its <meta charset>), or paste its text instead.');
  if (text.includes('\u0000')) throw refuse('This file holds binary data, not text. Upload a .txt, .md or .html file.');

  if (/\.html?$/i.test(name) || looksLikeHtml(text)) return await fromHtml(text);
  if (/\.(md|markdown)$/i.test(name)) return { ...noMetadata, body: fromMarkdown(text), title: markdownTitle(text) };
  return { ...noMetadata, body: text, title: firstLineTitle(text) };
}

/** The content types an address may give to be imported. */
export const IMPORTABLE_TYPES = ['text/html', 'application/xhtml+xml', 'text/plain'] as const;

/**
 * A page fetched from an address, imported as an uploaded file is: decoded as
 * its BOM, its HTTP charset or its <meta charset> says (in that order), HTML
 * reduced to its article. Refusals are beside the file field, as for uploads;
 * the import form moves them beside the address.
 */
export async function importFetched(page: { contentType: string | null; charset: string | null; body: Buffer }): Promise<ImportedText> {
  if (page.body.length === 0) throw refuse('The page is empty.');
  const text = decodeText(page.body, page.charset);
  if (text === null) throw refuse('The page is not UTF-8 text and does not say which encoding it is in, so it cannot be read. Copy its text and paste it instead.');
  if (text.includes('\u0000')) throw refuse('The address gives binary data, not a web page.');
  if (page.contentType === 'text/plain' && !looksLikeHtml(text)) return { ...noMetadata, body: text, title: firstLineTitle(text) };
  return await fromHtml(text);
}

function refuseType(name: string): never {
  const ext = /\.([^.]+)$/.exec(name)?.[1];
  throw refuse(`${ext ? `A .${ext} file` : 'A file without an extension'} cannot be imported. Upload a .txt, .md or .html file.`);
}

const noMetadata = { title: null, byline: null, outlet: null, publishedOn: null };

function looksLikeHtml(text: string): boolean {
  return /^\s*(<!doctype html|<html[\s>])/i.test(text);
}

/** Below this many characters of text (Readability's own minimum for a paragraph of content), a page that Readability does not take for an article is not one (a sign-in form, an index). */
const ARTICLE_MIN_CHARS = 140;

/** A page that is probably not an article: the form offers its text to import anyway. */
export class NotAnArticleError extends ValidationError {
  constructor(readonly page: { body: string; title: string | null }) {
    super({
      file: 'This page does not look like an article (it may be a sign-in page, an index or a form): little of it is running text. Its text is in the Text box below: import it as it is, or paste the article’s text instead.',
    });
  }
}

/** The readable article of an HTML page, read in a worker thread with a time limit (extract.ts), as text. */
async function fromHtml(html: string): Promise<ImportedText> {
  const page = await extractPage(html);
  const siteName = clean(page.siteName);
  const title = clean(page.title);
  const body = page.body;
  if (!body.trim()) throw refuse('No article text was found on this page. Paste the text instead.');
  if (!page.readerable && body.trim().length < ARTICLE_MIN_CHARS) throw new NotAnArticleError({ body, title });
  return {
    body,
    title: title === null ? null : withoutSiteName(title, siteName),
    byline: clean(page.byline),
    outlet: siteName,
    publishedOn: isoDate(page.publishedTime),
  };
}

function fromMarkdown(markdown: string): string {
  return htmlToPlain(marked.parse(markdown, { async: false, gfm: true }));
}

function clean(value: string | null | undefined): string | null {
  const v = value?.replace(/\s+/g, ' ').trim();
  return v ? v : null;
}

function isoDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString().slice(0, 10);
}
