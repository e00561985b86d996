// Text for the benchmark data set: LIAR-PLUS statements (read at run time,
// never copied into the repository) or, without that file, generated sentences.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same data set. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A number in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** One of the keys, drawn by weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [key, w] of entries) {
      r -= w;
      if (r < 0) return key;
    }
    return entries[entries.length - 1]![0];
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

/** One checkable statement with who made it, its topics and a fact-checker's justification. */
export interface Statement {
  text: string;
  claimant: string | null;
  topics: string[];
  justification: string;
}

export interface Corpus {
  statements: Statement[];
  origin: 'liar-plus' | 'generated';
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Where the LIAR-PLUS validation split is expected (BENCH_LIAR_FILE overrides). */
export const LIAR_FILE = process.env.BENCH_LIAR_FILE ?? path.resolve(HERE, '../../../shared/data/liar-plus-val2.jsonl');

/**
 * Text as the app stores it: well-formed, NFC, one line, single spaces, and
 * only BMP characters, so that slicing 32 UTF-16 units never splits a pair.
 */
export function cleanLine(value: string): string {
  return value
    .toWellFormed()
    .normalize('NFC')
    .replace(/[\u{10000}-\u{10FFFF}]/gu, '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001F\u007F\u00A0\u2028\u2029]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** At most `max` characters, cut at a word boundary. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '');
}

function claimantOf(originator: unknown): string | null {
  if (typeof originator !== 'string' || !originator.trim()) return null;
  const name = originator
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
  return clip(cleanLine(name), 200) || null;
}

function topicsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const tags = value
    .filter((t): t is string => typeof t === 'string')
    .map((t) => cleanLine(t).toLowerCase().slice(0, 60))
    .filter((t) => t.length > 0);
  return [...new Set(tags)].slice(0, 5);
}

/** Reads the LIAR-PLUS JSON lines, or null when the file is not there. */
function readLiarPlus(file: string): Statement[] | null {
  if (!existsSync(file)) return null;
  const statements: Statement[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const text = clip(cleanLine(typeof row.claim === 'string' ? row.claim : ''), 900);
    if (text.length < 12) continue;
    statements.push({
      text,
      claimant: claimantOf(row.originator),
      topics: topicsOf(row.topics),
      justification: clip(cleanLine(typeof row.justification === 'string' ? row.justification : ''), 1500),
    });
  }
  return statements.length > 0 ? statements : null;
}

const SUBJECTS = ['The city council', 'The governor', 'Unemployment', 'The school district', 'The state budget', 'Crime in the county', 'The new bridge', 'Health insurance premiums', 'The minimum wage', 'Voter turnout', 'The port authority', 'Gas prices'];
const VERBS = ['rose by', 'fell by', 'doubled to', 'reached', 'cost taxpayers', 'was cut by', 'grew to', 'dropped below'];
const AMOUNTS = ['12 percent', '3.4 million dollars', 'a record high', '40,000 jobs', 'half', '7 percent', '250 million dollars', 'its lowest level since 1990'];
const TAILS = ['last year', 'since 2015', 'in the first quarter', 'under the previous administration', 'according to the annual report', 'over the past decade'];
const PEOPLE = ['Maria Lopez', 'John Carter', 'Ade Okafor', 'Chen Wei', 'Priya Nair', 'Tom Becker', 'Lena Fischer', 'Sam Ortiz', 'Hana Sato', 'Omar Haddad'];
const TOPICS = ['economy', 'jobs', 'taxes', 'health-care', 'education', 'crime', 'energy', 'immigration', 'transportation', 'elections', 'state-budget', 'environment'];

/** Generated statements, when the LIAR-PLUS file is not available. */
function generatedStatements(random: Random, count: number): Statement[] {
  const out: Statement[] = [];
  for (let i = 0; i < count; i++) {
    const text = `${random.pick(SUBJECTS)} ${random.pick(VERBS)} ${random.pick(AMOUNTS)} ${random.pick(TAILS)} (item ${(i * 7919) % 100_003}).`;
    out.push({
      text,
      claimant: random.chance(0.9) ? random.pick(PEOPLE) : null,
      topics: [...new Set([random.pick(TOPICS), random.pick(TOPICS)])],
      justification: `Records from ${random.pick(TAILS)} show that ${random.pick(SUBJECTS).toLowerCase()} ${random.pick(VERBS)} ${random.pick(AMOUNTS)}. Officials confirmed the figures to reporters.`,
    });
  }
  return out;
}

/** The statements the data set is made of. */
export function loadCorpus(random: Random): Corpus {
  const liar = readLiarPlus(LIAR_FILE);
  if (liar) return { statements: liar, origin: 'liar-plus' };
  return { statements: generatedStatements(random, 2000), origin: 'generated' };
}

const STOPWORDS = new Set(
  'about above after again against because before being below between both could didn does doing down during each further have having here hers herself himself into itself just more most myself once only other ought ours ourselves over same should some such than that their theirs them themselves then there these they this those through under until very what when where which while whom will with would your yours yourself yourselves says said also percent'.split(' '),
);

/** The lower-case words of a text that a search could sensibly ask for (no stop words, 5+ letters). */
export function searchableWords(text: string): string[] {
  return (text.toLowerCase().match(/[a-z]{5,}/g) ?? []).filter((w) => !STOPWORDS.has(w));
}

const sentence = (text: string) => (/[.!?"')\]]$/.test(text) ? text : `${text}.`);

/** `n` statement indexes, distinct while the corpus has enough. */
export function pickStatements(random: Random, size: number, n: number): number[] {
  if (n > size / 2) return Array.from({ length: n }, (_, k) => (random.int(0, size - 1) + k) % size);
  const chosen = new Set<number>();
  while (chosen.size < n) chosen.add(random.int(0, size - 1));
  return [...chosen];
}

/** A report text holding each statement as a quote, in its own paragraph, with the offsets. */
export function buildBody(random: Random, statements: Statement[], chosen: number[]): { body: string; anchors: { quote: string; prefix: string; suffix: string; start: number; end: number }[] } {
  const parts: string[] = [];
  let length = 0;
  const push = (text: string) => {
    parts.push(text);
    length += text.length;
  };
  const filler = (min: number, max: number) => sentence(clip(random.pick(statements).justification || random.pick(statements).text, random.int(min, max)));
  push(filler(80, 240));
  const spans: { start: number; end: number }[] = [];
  for (const index of chosen) {
    push('\n\n');
    push(filler(40, 200));
    push(' ');
    const quote = statements[index]!.text;
    spans.push({ start: length, end: length + quote.length });
    push(quote);
    if (random.chance(0.3)) push(` ${filler(30, 120)}`);
  }
  const body = parts.join('');
  return {
    body,
    anchors: spans.map(({ start, end }) => ({ quote: body.slice(start, end), prefix: body.slice(Math.max(0, start - 32), start), suffix: body.slice(end, end + 32), start, end })),
  };
}

export const OUTLETS = ['The Harbor Ledger', 'Northern Courier', 'Valley Times', 'The Daily Register', 'Metro Wire', 'Capitol Report', 'Coastal Herald', 'The Evening Post', 'Prairie News', 'River City Journal', 'The Observer Desk', 'Union Tribune Wire'];
export const PUBLISHERS_A = ['Harbor', 'Northern', 'Valley', 'Capitol', 'Coastal', 'Prairie', 'River', 'Summit', 'Lakeside', 'Granite', 'Pioneer', 'Bayview', 'Frontier', 'Central', 'Liberty', 'Maple', 'Ironwood', 'Atlantic', 'Pacific', 'Midland'];
export const PUBLISHERS_B = ['Times', 'Ledger', 'Institute', 'Statistics Office', 'Bureau', 'Review', 'Gazette', 'Research Center', 'Chronicle', 'Fact Check', 'Herald', 'Data Lab', 'Ministry', 'Foundation', 'Monitor'];
export const FIRST_NAMES = ['Ana', 'Ben', 'Carla', 'David', 'Eva', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kira', 'Luis', 'Mei', 'Nils', 'Olga', 'Pavel', 'Rosa', 'Sven', 'Tara', 'Umar'];
export const LAST_NAMES = ['Lima', 'Novak', 'Silva', 'Berg', 'Khan', 'Moreau', 'Rossi', 'Schmidt', 'Tanaka', 'Weber', 'Young', 'Zhou', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Horvat', 'Ivanova', 'Jansen'];
