import { diffWordsWithSpace } from 'diff';

/** A stretch of a word diff: kept, removed, added, or an unchanged stretch left out between two changes. */
export type DiffPart = { kind: 'same' | 'del' | 'ins'; text: string } | { kind: 'gap' };

/** How much unchanged text is kept on each side of a change. */
const CONTEXT = 120;
/**
 * A word diff runs on the request's thread: past these (texts rewritten from
 * end to end) it gives up, and the page says the texts differ throughout.
 */
const LIMITS = { timeout: 400, maxEditLength: 20_000 };

/**
 * What changed from `before` to `after`, word by word: the changes, with a
 * little unchanged text around each and the long unchanged stretches between
 * them left out. Empty when nothing changed; null when the texts differ too
 * much to compare word by word in reasonable time.
 */
export function wordDiff(before: string, after: string): DiffPart[] | null {
  if (before === after) return [];
  // The common start and end are compared once, not word by word: a
  // correction of a few words in a long report stays quick to diff.
  const head = wordBoundaryBefore(before, commonPrefix(before, after));
  const tail = commonSuffixAfter(before, after, head);
  const changes = diffWordsWithSpace(before.slice(head, before.length - tail), after.slice(head, after.length - tail), LIMITS);
  if (!changes) return null;
  const parts: DiffPart[] = [];
  const push = (kind: 'same' | 'del' | 'ins', text: string) => {
    if (!text) return;
    const last = parts[parts.length - 1];
    if (last && last.kind === kind) last.text += text;
    else parts.push({ kind, text });
  };
  push('same', before.slice(0, head));
  for (const c of changes) push(c.added ? 'ins' : c.removed ? 'del' : 'same', c.value);
  push('same', before.slice(before.length - tail));
  return shortened(parts);
}

/** Long unchanged stretches cut to their ends next to a change, on spaces, with a gap between. */
function shortened(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  parts.forEach((part, i) => {
    if (part.kind !== 'same' || part.text.length <= CONTEXT * 2 + 40) {
      out.push(part);
      return;
    }
    const first = i === 0;
    const last = i === parts.length - 1;
    if (!first) out.push({ kind: 'same', text: part.text.slice(0, wordBoundaryBefore(part.text, CONTEXT)) });
    out.push({ kind: 'gap' });
    if (!last) out.push({ kind: 'same', text: part.text.slice(wordBoundaryAfter(part.text, part.text.length - CONTEXT)) });
  });
  return out.filter((p) => p.kind === 'gap' || p.text.length > 0);
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The length of the common end of `a` and `b`, not reaching into their first `head` units, cut back to a word boundary. */
function commonSuffixAfter(a: string, b: string, head: number): number {
  const n = Math.min(a.length, b.length) - head;
  let i = 0;
  while (i < n && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  // Move the cut forward to just after a space, so no word is split.
  while (i > 0 && !/\s/.test(a.charAt(a.length - i))) i--;
  return i;
}

/** The last offset at or before `i` that starts a word (just after a space), or 0. */
function wordBoundaryBefore(text: string, i: number): number {
  let at = Math.min(i, text.length);
  while (at > 0 && !/\s/.test(text.charAt(at - 1))) at--;
  return at;
}

/** The first offset at or after `i` that starts a word, or the end. */
function wordBoundaryAfter(text: string, i: number): number {
  let at = Math.max(0, i);
  while (at < text.length && !/\s/.test(text.charAt(at - 1))) at++;
  return at;
}
