import { escapeLike } from '../platform/pagination.ts';
import { normaliseSourceUrl } from './source-urls.ts';

/**
 * What a search of the source library looks for, read from what was typed:
 * - a web address (https://…): that URL in its normal form, and the pages
 *   under it, on either scheme, with or without "www.";
 * - a host or host and path (example.org/sample): URLs that contain it;
 * - a path without a host (sample/budapest): URLs that contain it, or
 *   titles and publishers with those words;
 * - anything else: titles, publishers, authors and URLs with words that
 *   start with the words typed ("reut agen" finds "Reuters news agency").
 * A URL fragment matches at word boundaries: "example.org" finds
 * news.example.org but not myexample.org, and "ample.org" finds nothing.
 */
export interface SourceSearch {
  /** The normal form of a typed web address, matched exactly. */
  exactUrl: string | null;
  /** A URL fragment: its words as adjacent words of the URL (tsquery), and the fragment itself (an escaped ILIKE pattern). */
  urlFragment: { phrase: string; contains: string } | null;
  /** A prefix tsquery over titles, publishers, authors and URLs. */
  words: string | null;
}

const MAX_WORDS = 8;
const MAX_URL_WORDS = 32;
const SCHEME = /^https?:\/\//i;
// A host name (labels and a top-level domain of two letters or more), optionally a port and a path.
const HOST = /^(?:[\p{L}\p{N}-]+\.)+\p{L}[\p{L}\p{N}-]+(?::\d{1,5})?(?:[/?#]\S*)?$/u;

/**
 * Words typed in a search box as a prefix query: only letters and digits
 * reach to_tsquery, so no input can break its syntax.
 */
export function prefixQuery(q: string): string | null {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.slice(0, MAX_WORDS) ?? [];
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

/** Reads a search box's text as a library search (see SourceSearch). */
export function readSourceSearch(input: string): SourceSearch {
  const q = input.trim();
  if (SCHEME.test(q)) {
    const normal = normaliseSourceUrl(q);
    if (typeof normal === 'string') return { exactUrl: normal, urlFragment: fragmentMatch(withoutScheme(normal), false), words: null };
  }
  if (/\s/.test(q)) return { exactUrl: null, urlFragment: null, words: prefixQuery(q) };
  if (HOST.test(q)) {
    const normal = normaliseSourceUrl(`https://${q}`);
    const fragment = typeof normal === 'string' ? withoutScheme(normal) : q.toLowerCase();
    return { exactUrl: null, urlFragment: fragmentMatch(fragment, endsOpen(q)), words: null };
  }
  if (q.includes('/')) return { exactUrl: null, urlFragment: fragmentMatch(percentEncoded(q), endsOpen(q)), words: prefixQuery(q) };
  return { exactUrl: null, urlFragment: null, words: prefixQuery(q) };
}

/** Whether the last word may still be being typed: the text ends in a letter or digit, and is not a pasted address with a query string. */
const endsOpen = (q: string): boolean => /[\p{L}\p{N}]$/u.test(q) && !q.includes('?');

/** Non-ASCII characters as a stored URL has them (percent-encoded UTF-8); characters that cannot be encoded are dropped. */
function percentEncoded(q: string): string {
  return q.replace(/[^\x20-\x7e]/gu, (c) => {
    try {
      return encodeURIComponent(c);
    } catch {
      return '';
    }
  });
}

/** The normal form without its scheme, "www." and the bare host's slash: what the page's URL contains. */
function withoutScheme(url: string): string {
  return url.replace(SCHEME, '').replace(/^www\./, '').replace(/^([^/?]*)\/$/, '$1');
}

/**
 * The index query and the check for a URL fragment. The fragment's words must
 * be adjacent words of the URL; the last may be the start of one while it is
 * still being typed (`open`). Null when the fragment has no word to look up.
 */
function fragmentMatch(fragment: string, open: boolean): SourceSearch['urlFragment'] {
  const words = fragment.toLowerCase().match(/[a-z0-9]+/g)?.slice(0, MAX_URL_WORDS) ?? [];
  if (words.length === 0) return null;
  const phrase = words.map((w, i) => (open && i === words.length - 1 ? `${w}:*` : w)).join(' <-> ');
  return { phrase, contains: `%${escapeLike(fragment)}%` };
}
