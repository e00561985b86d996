import { marked } from 'marked';

/** The longest first line of a text file that is taken as its title. */
const MAX_LINE_TITLE = 120;
/** A trailing part after a separator counts as a site name up to this many words (and characters). */
const SITE_WORDS = 3;
const SITE_CHARS = 40;

// " | Example", " – Example", " — Example", " - Example".
const SEPARATOR = /\s+(?:\||–|—|-)\s+/g;

/**
 * A page title without the site's name tacked on: "Budapest summit on hold |
 * Example" is "Budapest summit on hold". The end after the last separator
 * goes when it is the site's name (og:site_name), or when it is short enough
 * to be one and enough title is left before it; a leading site name
 * ("Example | Budapest summit on hold") goes too.
 */
export function withoutSiteName(title: string, siteName: string | null): string {
  const separators = [...title.matchAll(SEPARATOR)];
  const first = separators[0];
  const last = separators[separators.length - 1];
  if (!first || !last) return title;
  const site = siteName === null ? '' : squash(siteName);
  const same = (text: string) => site !== '' && squash(text) === site;
  const before = title.slice(0, last.index).trim();
  const after = title.slice(last.index + last[0].length).trim();
  if (before && same(after)) return before;
  const rest = title.slice(first.index + first[0].length).trim();
  if (rest && same(title.slice(0, first.index))) return rest;
  if (words(after) <= SITE_WORDS && after.length <= SITE_CHARS && words(before) >= 2) return before;
  return title;
}

/** The title a Markdown file gives itself: its first level-1 heading, or a heading that opens it. */
export function markdownTitle(markdown: string): string | null {
  const tokens = marked.lexer(markdown, { gfm: true }).filter((t) => t.type !== 'space');
  const heading = (tokens.find((t) => t.type === 'heading' && (t as { depth: number }).depth === 1) ?? (tokens[0]?.type === 'heading' ? tokens[0] : null)) as {
    text: string;
  } | null;
  if (!heading) return null;
  // Inline formatting (**bold**, `code`, [links](…)) reduced to its words.
  const plain = heading.text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return plain || null;
}

/**
 * The first line of a plain-text file, when it reads as a headline: short,
 * on its own line with more text after it, not a byline, and not a sentence
 * ending in a full stop (headlines do not; a report's opening line does).
 */
export function firstLineTitle(text: string): string | null {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').replace(/^\s+/, '').split('\n');
  const first = lines[0]?.replace(/\s+/g, ' ').trim() ?? '';
  const rest = lines.slice(1).join('\n').trim();
  if (!first || !rest || first.length > MAX_LINE_TITLE) return null;
  if (/^by\s/i.test(first) || /[.:;,]$/.test(first)) return null;
  return first;
}

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function squash(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}
