/**
 * Which sentences of a report are worth checking, by features a person can
 * read (after Full Fact's PASTEL: yes/no features with weights, not a black
 * box). Each feature that fires gives its weight and one reason in words
 * ("a percentage: 12 percent"); the score is their sum. English, Ukrainian and
 * Russian words are listed; numbers, names and punctuation work in any
 * language. Pure and deterministic: the same text always gets the same
 * suggestions.
 */

/** One feature that fired on a sentence, in words, with what it found. */
export interface Reason {
  feature: FeatureId;
  /** "a number: 28", "attribution: “according to”". */
  text: string;
  weight: number;
}

export type FeatureId = 'number' | 'percentage' | 'money' | 'date' | 'comparison' | 'attribution' | 'name' | 'question' | 'opinion' | 'prediction' | 'fragment';

interface Feature {
  id: FeatureId;
  weight: number;
  /** What it says when it fires, before the text it found. */
  label: string;
  find(sentence: string): string | null;
}

const words = (list: string) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${list})(?![\\p{L}\\p{N}])`, 'iu');
const firstMatch = (re: RegExp) => (s: string) => re.exec(s)?.[0] ?? null;

const NUMBER_WORDS =
  'two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|trillions?|dozens?|' +
  'два|дві|три|чотири|п[’\']ять|шість|сім|вісім|дев[’\']ять|десять|двадцять|сотні|тисяч[іа]?|мільйон(?:а|ів)?|мільярд(?:а|ів)?|' +
  'две|четыре|пять|шесть|семь|восемь|девять|двадцать|сотни|тысяч[иа]?|миллион(?:а|ов)?|миллиард(?:а|ов)?|млн|млрд|тис|тыс';
const MONTHS =
  'January|February|March|April|May|June|July|August|September|October|November|December|' +
  'січ(?:ень|ня|ні)|лют(?:ий|ого|ому)|берез(?:ень|ня|ні)|квіт(?:ень|ня|ні)|трав(?:ень|ня|ні)|черв(?:ень|ня|ні)|лип(?:ень|ня|ні)|серп(?:ень|ня|ні)|верес(?:ень|ня|ні)|жовт(?:ень|ня|ні)|листопад(?:а|і)?|груд(?:ень|ня|ні)|' +
  'январ[ьяе]|феврал[ьяе]|март[ае]?|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|август[ае]?|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе]';
const DAYS =
  'Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|last (?:week|month|year)|' +
  'понеділ(?:ок|ка)|вівтор(?:ок|ка)|серед[уи]|четвер|п[’\']ятниц[юі]|субот[уи]|неділ[юі]|вчора|минулого (?:тижня|місяця|року)|' +
  'понедельник|вторник|сред[уы]|четверг|пятниц[уы]|суббот[уы]|воскресенье|вчера|в прошлом (?:году|месяце)';

const FEATURES: Feature[] = [
  { id: 'number', weight: 2, label: 'a number', find: firstMatch(new RegExp(`\\d[\\d,.\\s]*\\d|\\d|${words(NUMBER_WORDS).source}`, 'iu')) },
  { id: 'percentage', weight: 1, label: 'a percentage', find: firstMatch(/\d[\d.,]*\s?(?:%|percent|per cent|відсот\p{L}*|процент\p{L}*)|(?<!\p{L})(?:percent|відсот\p{L}*|процент\p{L}*)/iu) },
  { id: 'money', weight: 1, label: 'money', find: firstMatch(new RegExp(`[$€£₴₽]\\s?\\d|\\d\\s?[$€£₴₽]|${words('dollars?|euros?|pounds? sterling|hryvnias?|roubles?|rubles?|долар\\p{L}*|євро|гривень|гривні|гривня|рубл\\p{L}*|доллар\\p{L}*|евро').source}`, 'iu')) },
  { id: 'date', weight: 1, label: 'a date', find: firstMatch(new RegExp(`${words(`${MONTHS}|${DAYS}`).source}|(?<!\\d)(?:19|20)\\d\\d(?!\\d)`, 'iu')) },
  {
    id: 'comparison',
    weight: 1,
    label: 'a comparison',
    find: firstMatch(
      words(
        'more than|less than|fewer than|at least|as many as|up to|compared (?:with|to)|than ever|record|largest|biggest|highest|lowest|smallest|most|least|first|only|doubled|tripled|halved|rose|fell|increased|decreased|grew|dropped|' +
          'більше|менше|понад|щонайменше|порівняно|рекорд\\p{L}*|найбільш\\p{L}*|най\\p{L}{3,}|вперше|зріс|зросл\\p{L}*|знизи\\p{L}*|скороти\\p{L}*|подвої\\p{L}*|' +
          'больше|меньше|более|менее|свыше|по сравнению|рекорд\\p{L}*|наибол\\p{L}*|самы\\p{L}+|впервые|вырос\\p{L}*|снизи\\p{L}*|сократи\\p{L}*|удвои\\p{L}*',
      ),
    ),
  },
  {
    id: 'attribution',
    weight: 2,
    label: 'attribution',
    find: firstMatch(
      words(
        'said|says|told|according to|claimed|claims|stated|announced|reported|confirmed|denied|estimated|wrote|insisted|alleged|' +
          'заяв\\p{L}*|сказа\\p{L}*|повідом\\p{L}*|за даними|за словами|як зазначив|зазначи\\p{L}*|підтверди\\p{L}*|стверджу\\p{L}*|' +
          'сообщи\\p{L}*|по данным|по словам|согласно|отмети\\p{L}*|подтверди\\p{L}*|утвержда\\p{L}*',
      ),
    ),
  },
  { id: 'name', weight: 1, label: 'a named person, place or organisation', find: namedEntity },
  { id: 'question', weight: -3, label: 'a question', find: firstMatch(/\?["”»’']?\s*$/u) },
  {
    id: 'opinion',
    weight: -2,
    label: 'a first-person opinion',
    find: firstMatch(words('I think|I believe|I feel|we think|we believe|we feel|in my (?:view|opinion)|я думаю|я вважаю|на мою думку|ми вважаємо|я считаю|по-моему|мы считаем|на мой взгляд')),
  },
  {
    id: 'prediction',
    weight: -1,
    label: 'a prediction',
    find: firstMatch(words("will|won['’]t|would|going to|expected to|likely to|could|might|plans? to|буде|будуть|очікується|планує\\p{L}*|може|можуть|будет|будут|ожидается|планиру\\p{L}*|может|могут")),
  },
  { id: 'fragment', weight: -2, label: 'a heading or fragment, not a sentence', find: (s) => (s.split(/\s+/).length < 5 || !/[.!?…"”»’']$/u.test(s) ? 'no full sentence' : null) },
];

/** The first name in a sentence: capitalised words after its first word (or a run of capitals: NATO, США), as many as follow one another. */
function namedEntity(sentence: string): string | null {
  const tokens = [...sentence.matchAll(/[\p{L}’'-]+/gu)];
  const isName = (word: string) => /^\p{Lu}\p{Ll}+/u.test(word) || /^\p{Lu}{2,}$/u.test(word);
  for (const [i, m] of tokens.entries()) {
    const afterStop = i === 0 || /[.!?:«"“]\s*$/u.test(sentence.slice(0, m.index));
    if (afterStop || !isName(m[0])) continue;
    let last = i;
    while (last + 1 < tokens.length && isName(tokens[last + 1]![0]) && /^\s+$/.test(sentence.slice(tokens[last]!.index + tokens[last]![0].length, tokens[last + 1]!.index))) last++;
    return sentence.slice(m.index, tokens[last]!.index + tokens[last]![0].length);
  }
  return null;
}

/** A sentence's score and the reasons for it, in the order of the features. */
export function scoreSentence(text: string): { score: number; reasons: Reason[] } {
  const reasons: Reason[] = [];
  for (const feature of FEATURES) {
    const found = feature.find(text);
    if (found !== null) reasons.push({ feature: feature.id, weight: feature.weight, text: `${feature.label}: “${found.trim()}”` });
  }
  return { score: reasons.reduce((sum, r) => sum + r.weight, 0), reasons };
}

/** The least score a suggested sentence has: a number or an attribution, and something more. */
export const SUGGEST_AT = 3;
/** At most this share of a report's sentences is suggested (the best first). */
export const SUGGEST_SHARE = 1 / 3;
/**
 * And at most this many: in a long report (a transcript, a budget) a third of
 * the sentences is hundreds, which no one reads as suggestions and which
 * makes the page heavy; the best-scoring ones are what a checker wants.
 */
export const MAX_SUGGESTIONS = 40;

/** A sentence suggested as checkable: where it is, its score and why. */
export interface Suggestion {
  start: number;
  end: number;
  score: number;
  reasons: Reason[];
}

/**
 * The report's suggested checkable sentences: those scoring SUGGEST_AT or
 * more, the best third of all its sentences at most and MAX_SUGGESTIONS at
 * most (ties go to the earlier sentence), in text order.
 */
export function suggestFrom(sentences: readonly { start: number; end: number; text: string }[]): Suggestion[] {
  const scored = sentences.map((s, i) => ({ ...s, i, ...scoreSentence(s.text) }));
  const best = scored
    .filter((s) => s.score >= SUGGEST_AT)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, Math.min(MAX_SUGGESTIONS, Math.ceil(sentences.length * SUGGEST_SHARE)));
  return best.sort((a, b) => a.i - b.i).map(({ start, end, score, reasons }) => ({ start, end, score, reasons }));
}
