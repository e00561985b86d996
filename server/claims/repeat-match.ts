import { plain, statementFacts, type StatementFacts } from './statement-facts.ts';

/**
 * Whether an earlier claim is the same claim as a new statement, and why: the
 * pure half of the repeat matcher (the database finds the candidates and their
 * trigram similarity, claim-repeats.repo.ts). A score from two plain measures,
 * and the differences that make near-identical statements different claims.
 */

export type MatchLevel = 'confident' | 'suggestion';

export interface MatchSettings {
  /** The score from which an earlier claim is suggested. */
  suggestAt: number;
  /** The score from which it is a confident match (never with a difference, nor under MIN_CONFIDENT_WORDS). */
  confidentAt: number;
  /** Only claims decided in the last so many months, when set. */
  windowMonths: number | null;
}

export const DEFAULT_MATCH_SETTINGS: MatchSettings = { suggestAt: 0.3, confidentAt: 0.6, windowMonths: null };

/** Statements shorter than this are only ever suggested: a few words are too easily alike. */
export const MIN_CONFIDENT_WORDS = 8;

export type DifferenceKind = 'numbers' | 'dates' | 'negation' | 'names';

export interface Difference {
  kind: DifferenceKind;
  /** What the new statement says, and what the earlier one says. */
  ours: string[];
  theirs: string[];
  /** It may be no difference at all (a sentence's first word that may or may not be a name). */
  uncertain?: boolean;
}

export interface MatchReasons {
  /** Trigram similarity of the two statements (0-1), accents and case ignored. */
  similarity: number;
  /** Words both use, after stemming in the statement's language. */
  sharedWords: string[];
  /** How much of the shorter statement's wording the other shares (0-1). */
  wordOverlap: number;
  differences: Difference[];
  /** The shorter statement has fewer than MIN_CONFIDENT_WORDS words. */
  short: boolean;
}

export interface Judgement {
  score: number;
  level: MatchLevel | null;
  reasons: MatchReasons;
}

export interface Compared {
  statement: string;
  /** Its words as the database stems them (factdesk_words). */
  words: string[];
}

export const DIFFERENCE_LABELS: Record<DifferenceKind, string> = {
  numbers: 'numbers differ',
  dates: 'dates differ',
  negation: 'one says no',
  names: 'names differ',
};

/**
 * A statement whose numbers, dates or negation differ is another claim: it is
 * suggested (labelled with what differs) only when the rest is nearly word for
 * word, so that a desk sees "checked before, with other figures", and never
 * as a confident match. Names that differ only keep a match from being confident:
 * a paraphrase often names the same person or country in other words.
 */
const CLAIM_CHANGING: readonly DifferenceKind[] = ['numbers', 'dates', 'negation', 'names'];
export const NEAR_IDENTICAL = 0.94;

/** Judges one candidate: its score, level and reasons. */
export function judgeMatch(ours: Compared, theirs: Compared & { similarity: number }, settings: MatchSettings): Judgement {
  const a = statementFacts(ours.statement);
  const b = statementFacts(theirs.statement);
  const mine = new Set(ours.words);
  const shared = [...new Set(theirs.words)].filter((w) => mine.has(w)).sort();
  const smaller = Math.min(mine.size, new Set(theirs.words).size);
  const wordOverlap = smaller === 0 ? 0 : shared.length / smaller;
  const differences = differencesOf(a, b);
  const score = round((theirs.similarity + wordOverlap) / 2);
  const short = Math.min(a.wordCount, b.wordCount) < MIN_CONFIDENT_WORDS;
  const anotherClaim = differences.some((d) => CLAIM_CHANGING.includes(d.kind) && !d.uncertain);
  const confident = score >= settings.confidentAt && differences.length === 0 && !short;
  const suggested = anotherClaim ? score >= Math.max(NEAR_IDENTICAL, settings.suggestAt) : score >= settings.suggestAt;
  const level: MatchLevel | null = confident ? 'confident' : suggested ? 'suggestion' : null;
  return { score, level, reasons: { similarity: round(theirs.similarity), sharedWords: shared, wordOverlap: round(wordOverlap), differences, short } };
}

/** What differs between two statements' facts. */
export function differencesOf(a: StatementFacts, b: StatementFacts): Difference[] {
  const out: Difference[] = [];
  if (!sameList(a.numbers, b.numbers)) out.push({ kind: 'numbers', ours: a.numbers, theirs: b.numbers });
  if (!sameList(a.dates, b.dates)) out.push({ kind: 'dates', ours: a.dates, theirs: b.dates });
  const opposite = oppositeWord(a.words, b.words) ?? oppositeWord(b.words, a.words);
  if (a.negated !== b.negated) out.push({ kind: 'negation', ours: a.negated ? ['no'] : [], theirs: b.negated ? ['no'] : [] });
  else if (opposite) out.push({ kind: 'negation', ours: [opposite[0]], theirs: [opposite[1]] });
  const names = namesDiffer(a.names, b.names, a, b);
  const leadNames = names ? null : namesDiffer([...a.names, ...(a.leadWord ? [a.leadWord] : [])], [...b.names, ...(b.leadWord ? [b.leadWord] : [])], a, b);
  if (names) out.push({ kind: 'names', ours: names[0], theirs: names[1] });
  // Two first words that may be names ("Obama said …", "Bush said …"): not sure enough to call it another claim, enough to stop a confident match.
  else if (leadNames) out.push({ kind: 'names', ours: leadNames[0], theirs: leadNames[1], uncertain: true });
  return out;
}

/** The names each statement has that the other does not mention, when both have some. */
function namesDiffer(ours: string[], theirs: string[], a: StatementFacts, b: StatementFacts): [string[], string[]] | null {
  const mine = ours.filter((n) => !mentions(b.words, n));
  const other = theirs.filter((n) => !mentions(a.words, n));
  return mine.length > 0 && other.length > 0 ? [mine, other] : null;
}

/** Whether a statement's words mention a name, with or without a possessive ("Raimondo's", "Raimondos") or a longer form of it ("Gov." for "Governor"). */
function mentions(words: string[], name: string): boolean {
  // "Mueller" is how "Müller" is written without the umlaut.
  const digraphs = (w: string) => w.replace(/([aou])e/g, '$1');
  if (words.some((w) => digraphs(w) === digraphs(name))) return true;
  const bare = name.replace(/s$/, '');
  return words.some((w) => w === name || w === bare || w.replace(/s$/, '') === bare || (name.length >= 3 && w.startsWith(name)) || (w.length >= 3 && name.startsWith(w)));
}

const NEGATING_PREFIXES = ['un', 'in', 'il', 'im', 'ir', 'non', 'dis', 'не'];

/** A word of one statement that is a word of the other with a negating prefix ("legal", "illegal"). */
function oppositeWord(ours: string[], theirs: string[]): [string, string] | null {
  const mine = new Set(ours);
  for (const word of theirs) {
    for (const prefix of NEGATING_PREFIXES) {
      const root = word.startsWith(prefix) ? word.slice(prefix.length).replace(/^-/, '') : '';
      if (root.length >= 4 && mine.has(root) && !mine.has(word)) return [root, word];
    }
  }
  return null;
}

/** A difference in words: "numbers differ: 4.7% here, 4.1% there". */
export function describeDifference(d: Difference): string {
  if (d.kind === 'negation') return d.ours.length ? 'one says no: this statement is negated, the earlier one is not' : 'one says no: the earlier statement is negated, this one is not';
  const list = (xs: string[]) => (xs.length ? xs.join(', ') : 'none');
  return `${DIFFERENCE_LABELS[d.kind]}: ${list(d.ours)} here, ${list(d.theirs)} there`;
}

/** The matcher's text for a statement, as the database compares it (for tests that bypass it). */
export const matchText = plain;

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const round = (n: number) => Math.round(n * 1000) / 1000;
