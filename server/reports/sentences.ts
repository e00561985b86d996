import { paragraphsOf } from './text.ts';

/** A sentence of a report body, with its offsets in the body (UTF-16 code units, as claims' quotes count them). */
export interface Sentence {
  start: number;
  end: number;
  text: string;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * Words after which a full stop does not end a sentence: titles, initials and
 * the abbreviations news copy uses, in English, Ukrainian and Russian. ICU's
 * sentence rules (Intl.Segmenter) break after "Mr." and "млн." otherwise.
 */
const ABBREVIATION =
  /(?:^|[\s(«“"'])(?:\p{Lu}|Mr|Mrs|Ms|Dr|Prof|Gov|Sen|Rep|Gen|Col|Lt|Sgt|Capt|Adm|St|Jr|Sr|Inc|Ltd|Co|Corp|No|Nos|vs|etc|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.K|U\.N|E\.U|млн|млрд|тис|грн|руб|коп|ім|вул|обл|р|рр|ст|т\.зв|т\.д|т\.п|див|проф|акад|ген|пол|г|гг|тыс|долл|им|ул)\.\s*$/u;

/**
 * The body's sentences, paragraph by paragraph (a sentence never crosses a
 * blank line), by Unicode's sentence rules with abbreviations kept whole.
 * Leading and trailing white space is not part of a sentence.
 */
export function sentencesOf(body: string): Sentence[] {
  const sentences: Sentence[] = [];
  for (const paragraph of paragraphsOf(body)) {
    let pending: { start: number; end: number } | null = null;
    for (const { segment, index } of segmenter.segment(paragraph.text)) {
      const start: number = pending?.start ?? paragraph.start + index;
      const end = paragraph.start + index + segment.length;
      // "Mr. " alone, or "said Gov. ": the next segment continues this sentence.
      if (ABBREVIATION.test(segment) && index + segment.length < paragraph.text.length) {
        pending = { start, end };
        continue;
      }
      pending = null;
      pushTrimmed(sentences, body, start, end);
    }
    if (pending) pushTrimmed(sentences, body, pending.start, pending.end);
  }
  return sentences;
}

function pushTrimmed(sentences: Sentence[], body: string, start: number, end: number): void {
  const text = body.slice(start, end);
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  if (trimmed) sentences.push({ start: start + lead, end: start + lead + trimmed.length, text: trimmed });
}
