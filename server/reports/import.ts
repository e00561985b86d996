import { fileTypeFromBuffer } from 'file-type';
import { convert } from 'html-to-text';
import { marked } from 'marked';
import { ValidationError } from '../platform/errors.ts';
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
 * decides, not only the name: binary files (by their magic numbers), text that
 * is not UTF-8, and NUL bytes are refused whatever the file is called.
 */
export async function importFile(file: { originalname: string; buffer: Buffer }): Promise<ImportedText> {
  const name = file.originalname.normalize('NFC');
  if (!ACCEPTED.test(name)) refuseType(name);
  if (file.buffer.length === 0) throw refuse('The file is empty.');
  const detected = await fileTypeFromBuffer(file.buffer);
  if (detected && !['xml', 'html'].includes(detected.ext)) {
    throw refuse(`This file is really a ${detected.ext.toUpperCase()} file, not text. Upload a .txt, .md or .html file.`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(file.buffer);
  } catch {
    throw refuse('This file is not UTF-8 text. Save it as UTF-8 text, or paste its text instead.');
  }
  if (text.includes('\u0000')) throw refuse('This file holds binary data, not text. Upload a .txt, .md or .html file.');

  if (/\.html?$/i.test(name) || looksLikeHtml(text)) return await fromHtml(text);
  if (/\.(md|markdown)$/i.test(name)) return { ...noMetadata, body: fromMarkdown(text), title: markdownTitle(text) };
  return { ...noMetadata, body: text, title: firstLineTitle(text) };
}

function refuseType(name: string): never {
  const ext = /\.([^.]+)$/.exec(name)?.[1];
  throw refuse(`${ext ? `A .${ext} file` : 'A file without an extension'} cannot be imported. Upload a .txt, .md or .html file.`);
}

const noMetadata = { title: null, byline: null, outlet: null, publishedOn: null };

function looksLikeHtml(text: string): boolean {
  return /^\s*(<!doctype html|<html[\s>])/i.test(text);
}

/** The readable article of an HTML page (Mozilla Readability on a scriptless DOM), as text. */
async function fromHtml(html: string): Promise<ImportedText> {
  // Loaded on the first HTML import, not at start-up: JSDOM alone takes seconds to load.
  const [{ JSDOM }, { Readability }] = await Promise.all([import('jsdom'), import('@mozilla/readability')]);
  // No scripts run and nothing is fetched: JSDOM's defaults, kept explicit.
  const dom = new JSDOM(html, { runScripts: undefined, resources: undefined, url: 'https://import.invalid/' });
  const article = new Readability(dom.window.document, { keepClasses: false }).parse();
  const document = dom.window.document;
  const content = article?.content ?? document.body?.innerHTML ?? '';
  const siteName = clean(article?.siteName);
  const title = clean(article?.title) ?? clean(document.querySelector('meta[property="og:title"]')?.getAttribute('content')) ?? clean(document.title);
  dom.window.close();
  const body = htmlToPlain(content);
  if (!body.trim()) throw refuse('No article text was found in this HTML file. Paste the text instead.');
  return {
    body,
    title: title === null ? null : withoutSiteName(title, siteName),
    byline: clean(article?.byline),
    outlet: siteName,
    publishedOn: isoDate(article?.publishedTime),
  };
}

function fromMarkdown(markdown: string): string {
  return htmlToPlain(marked.parse(markdown, { async: false, gfm: true }));
}

/** HTML to paragraphs of plain text: no hard wrapping, no link targets, headings as they are written. */
function htmlToPlain(html: string): string {
  const asIs = { uppercase: false };
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'figure', format: 'skip' },
      { selector: 'h1', options: asIs },
      { selector: 'h2', options: asIs },
      { selector: 'h3', options: asIs },
      { selector: 'h4', options: asIs },
      { selector: 'h5', options: asIs },
      { selector: 'h6', options: asIs },
      { selector: 'table', options: asIs },
    ],
  });
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
