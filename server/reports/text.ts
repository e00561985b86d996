import { cleanText } from '../platform/validate.ts';

/** The most text a report body may hold, in UTF-8 bytes. */
export const MAX_BODY_BYTES = 1_000_000;

/**
 * The one form a report body is stored in: Unicode NFC, \n line breaks, no
 * control characters, no trailing spaces on lines, at most one blank line
 * between paragraphs, no blank lines at either end. Claims' offsets count
 * UTF-16 code units of exactly this text, as the browser does.
 */
export function normaliseBody(raw: string): string {
  return cleanText(raw, { multiline: true })
    .replace(/[ \t\u00a0]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\n+|\n+$/g, '');
}

/** A paragraph of a body: its text and where it starts and ends in the body. */
export interface Paragraph {
  start: number;
  end: number;
  text: string;
}

/** Splits a normalised body at blank lines, keeping each paragraph's offsets. */
export function paragraphsOf(body: string): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  const separator = /\n\s*\n/g;
  let start = 0;
  for (const match of body.matchAll(separator)) {
    const end = match.index;
    if (end > start) paragraphs.push({ start, end, text: body.slice(start, end) });
    start = end + match[0].length;
  }
  if (start < body.length) paragraphs.push({ start, end: body.length, text: body.slice(start) });
  return paragraphs;
}

/** A human size: "1.2 MB", "830 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1000))} KB`;
}
