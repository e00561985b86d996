/**
 * What makes two nearly identical statements different claims: their
 * numbers, their dates, a negation, and the names they mention. Pure text
 * rules, in English, Ukrainian and Russian, read by the repeat matcher
 * (repeat-match.ts); every rule here is one a person can check by eye.
 */

export interface StatementFacts {
  /** Numbers as written in the claim's sense: "4.1%", "5000000", "$12" (years are dates). */
  numbers: string[];
  /** Years, and months with their day where given: "2019", "march", "march 3". */
  dates: string[];
  /** Whether the statement says no (an odd number of negations). */
  negated: boolean;
  /** Capitalised words: people, places, organisations (and a sentence's first word). */
  names: string[];
  /** A capitalised first word alone, which may be a name ("Obama said …") or not ("Vaccines cause …"). */
  leadWord: string | null;
  /** Every word, plain (no accents, lower case). */
  words: string[];
  /** Words, for the "under 8 words" rule. */
  wordCount: number;
}

/** Letters without their accents, lower case: "Martínez" and "martinez" are one name. */
export function plain(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/ё/g, 'е').replace(/['’]s$/u, '').replace(/['’]/gu, '');
}

const MONTHS: Record<string, string> = {};
const MONTH_WORDS = [
  ['january', 'jan', 'січень', 'січня', 'январь', 'января'],
  ['february', 'feb', 'лютий', 'лютого', 'февраль', 'февраля'],
  ['march', 'mar', 'березень', 'березня', 'март', 'марта'],
  ['april', 'apr', 'квітень', 'квітня', 'апрель', 'апреля'],
  ['may', 'травень', 'травня', 'май', 'мая'],
  ['june', 'jun', 'червень', 'червня', 'июнь', 'июня'],
  ['july', 'jul', 'липень', 'липня', 'июль', 'июля'],
  ['august', 'aug', 'серпень', 'серпня', 'август', 'августа'],
  ['september', 'sep', 'sept', 'вересень', 'вересня', 'сентябрь', 'сентября'],
  ['october', 'oct', 'жовтень', 'жовтня', 'октябрь', 'октября'],
  ['november', 'nov', 'листопад', 'листопада', 'ноябрь', 'ноября'],
  ['december', 'dec', 'грудень', 'грудня', 'декабрь', 'декабря'],
];
for (const [i, words] of MONTH_WORDS.entries()) for (const w of words) MONTHS[plain(w)] = String(i + 1);

const SCALE_WORDS: Record<string, number> = {
  hundred: 1e2, thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12, k: 1e3, m: 1e6, b: 1e9, bn: 1e9, mn: 1e6,
  тисяча: 1e3, тисячі: 1e3, тисяч: 1e3, тис: 1e3, тыс: 1e3, тысяча: 1e3, тысячи: 1e3, тысяч: 1e3,
  мільйон: 1e6, мільйона: 1e6, мільйонів: 1e6, млн: 1e6, миллион: 1e6, миллиона: 1e6, миллионов: 1e6,
  мільярд: 1e9, мільярда: 1e9, мільярдів: 1e9, млрд: 1e9, миллиард: 1e9, миллиарда: 1e9, миллиардов: 1e9,
};
const SCALE: Record<string, number> = Object.fromEntries(Object.entries(SCALE_WORDS).map(([w, n]) => [plain(w), n]));
const PERCENT = /^(%|percent|per|відсот\p{L}*|процент\p{L}*|проц)$/u;
// "One" is left out: it is more often a word ("one of the", "no one") than a figure.
const NUMBER_WORD_LIST: Record<string, string> = {
  two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10', eleven: '11', twelve: '12',
  decade: '10', twenty: '20', thirty: '30', forty: '40', fifty: '50', sixty: '60', seventy: '70', eighty: '80', ninety: '90', dozen: '12', half: '50%', quarter: '25%',
  second: 'no.2', third: 'no.3', fourth: 'no.4', fifth: 'no.5', sixth: 'no.6', seventh: 'no.7', eighth: 'no.8', ninth: 'no.9', tenth: 'no.10',
  два: '2', дві: '2', две: '2', три: '3', чотири: '4', четыре: '4', пять: '5', пʼять: '5', половина: '50%', половину: '50%',
};
const NUMBER_WORDS: Record<string, string> = Object.fromEntries(Object.entries(NUMBER_WORD_LIST).map(([w, n]) => [plain(w), n]));
const ORDINAL = /^(\d+)(st|nd|rd|th)$/;

const NEGATIONS = new Set([
  'not', 'no', 'never', 'none', 'nobody', 'nothing', 'neither', 'nor', 'cannot', 'without', 'nowhere', 'refuse', 'refuses', 'refused',
  'didnt', 'dont', 'doesnt', 'isnt', 'arent', 'wasnt', 'werent', 'wont', 'cant', 'couldnt', 'wouldnt', 'shouldnt', 'hasnt', 'havent', 'hadnt',
  'не', 'ні', 'ніколи', 'жоден', 'жодного', 'жодних', 'немає', 'нема', 'ніхто', 'нічого',
  'нет', 'никогда', 'ни', 'никто', 'ничего', 'ни один',
].map(plain));

// Capitalised words that are not names, in any position.
const NOT_NAMES = new Set([
  'i', 'the', 'a', 'an', 'he', 'she', 'we', 'they', 'it', 'this', 'that', 'these', 'those', 'there', 'our', 'my', 'you', 'his', 'her', 'their',
  'in', 'on', 'at', 'as', 'if', 'when', 'since', 'under', 'over', 'about', 'more', 'most', 'every', 'all', 'only', 'nearly', 'almost', 'some',
  'claim', 'says', 'said', 'according', 'mr', 'mrs', 'ms', 'dr', 'gov', 'governor', 'president', 'sen', 'senator', 'rep',
  'following', 'after', 'before', 'within', 'half', 'during', 'despite', 'each', 'no', 'not', 'while', 'although', 'because',
  'less', 'fewer', 'over', 'under', 'one', 'two', 'three', 'nobody', 'nothing', 'both',
  // One country under its several names: "the U.S.", "the United States", "America".
  'us', 'usa', 'united', 'states', 'america', 'american', 'americans',
  'через', 'кожен', 'кожна', 'третина', 'половина', 'понад', 'більше', 'менше', 'майже', 'лише', 'після', 'під', 'від', 'для', 'при',
  'после', 'каждый', 'треть', 'более', 'менее', 'почти', 'только', 'свыше',
  'у', 'в', 'на', 'за', 'це', 'що', 'його', 'її', 'ми', 'він', 'вона', 'вони', 'это', 'что', 'он', 'она', 'они', 'мы', 'по', 'з', 'с', 'до',
].map(plain));

/** Splits a statement into word tokens, keeping numbers with their decimal point and a trailing % or currency sign. */
export function tokens(text: string): string[] {
  return text.match(/\d+(?:st|nd|rd|th|s)\b|[$€£₴₽]?\d[\d,.\u00a0\u202f]*\d%?|[$€£₴₽]?\d%?|n't|\p{L}[\p{L}\p{M}'’-]*|%/gu) ?? [];
}

function numberValue(token: string): number | null {
  const digits = token.replace(/[$€£₴₽%]/gu, '').replace(/[\u00a0\u202f]/g, '');
  // "1,000,000" and "1.000.000" are thousands; "4,1" (a Ukrainian or Russian decimal) and "4.1" are decimals.
  const grouped = /^\d{1,3}([,.]\d{3})+$/.test(digits);
  const n = Number(grouped ? digits.replace(/[,.]/g, '') : digits.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

/** The facts of one statement. */
export function statementFacts(statement: string): StatementFacts {
  const words = tokens(statement);
  const numbers: string[] = [];
  const dates: string[] = [];
  let negations = 0;
  let leadWord: string | null = null;
  const names = new Set<string>();
  const lower = words.map(plain);
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i]!;
    const low = lower[i]!;
    const next = lower[i + 1] ?? '';
    if (NEGATIONS.has(low) || /n['’]t$/u.test(low)) negations += 1;
    const decade = /^(\d{2}|\d{4})s$/.exec(word);
    if (decade) {
      dates.push(`${decade[1]!.length === 2 ? `19${decade[1]}` : decade[1]}s`);
      continue;
    }
    const ordinal = ORDINAL.exec(low);
    if (ordinal) {
      numbers.push(`no.${ordinal[1]}`);
      continue;
    }
    if (/\d/.test(word)) {
      const value = numberValue(word);
      if (value === null) continue;
      const isYear = Number.isInteger(value) && value >= 1900 && value <= 2100 && !/[$€£₴₽%,.]/u.test(word) && !PERCENT.test(next);
      if (isYear) {
        dates.push(String(value));
        continue;
      }
      const month = MONTHS[next] ?? MONTHS[lower[i - 1] ?? ''];
      if (month && Number.isInteger(value) && value >= 1 && value <= 31) {
        dates.push(`${month}/${value}`);
        continue;
      }
      const scaled = value * (SCALE[next] ?? 1);
      const percent = word.endsWith('%') || PERCENT.test(next);
      const currency = /^[$€£₴₽]/u.test(word) || /^(dollars?|euros?|pounds?|гривень|гривні|гривня|гривню|гривен|грн|рублей|рубля|рублів|рубль|руб|долларов|доллара|доларів|долара)$/u.test(lower[i + (SCALE[next] ? 2 : 1)] ?? '');
      numbers.push(`${currency ? '$' : ''}${scaled}${percent ? '%' : ''}`);
      continue;
    }
    const spelled = NUMBER_WORDS[low];
    if (spelled !== undefined) {
      const figure = SCALE[next] && /^\d+$/.test(spelled) ? String(Number(spelled) * SCALE[next]!) : spelled;
      numbers.push(PERCENT.test(next) && !figure.endsWith('%') ? `${figure}%` : figure);
    }
    if (MONTHS[low] && low.length > 3) dates.push(MONTHS[low]!);
    // A sentence's first word is capitalised whatever it is: it surely is a name
    // only when the next word is capitalised too ("Rick Perry", "Банк России").
    const capitalised = (w: string | undefined) => w !== undefined && /^\p{Lu}/u.test(w);
    if (capitalised(word) && low.length > 2 && !NOT_NAMES.has(low) && !MONTHS[low]) {
      if (i > 0 || capitalised(words[i + 1])) names.add(low);
      else leadWord = low;
    }
  }
  return { numbers: numbers.sort(), dates: [...new Set(dates)].sort(), negated: negations % 2 === 1, names: [...names].sort(), leadWord, words: lower, wordCount: words.length };
}
