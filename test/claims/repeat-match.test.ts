import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeDifference, differencesOf, judgeMatch, DEFAULT_MATCH_SETTINGS } from '../../server/claims/repeat-match.ts';
import { statementFacts } from '../../server/claims/statement-facts.ts';

/** The pure half of the repeat matcher: what makes two near-identical statements different claims, and the levels. */
describe('repeat matching rules', () => {
  const kinds = (a: string, b: string) => differencesOf(statementFacts(a), statementFacts(b)).filter((d) => !d.uncertain).map((d) => d.kind);
  const cases: [string, string, string[]][] = [
    ['Unemployment fell to 4.1% in March.', 'Unemployment fell to 4.7% in March.', ['numbers']],
    ['Unemployment fell to 4.1 percent in March.', 'In March unemployment fell to 4.1%.', []],
    ['Forty percent of visas are overstayed.', '40% of visas are overstayed.', []],
    ['The cut was $500 million.', 'The cut was $500M.', []],
    ['The cut was $500 million.', 'The cut was $50 million.', ['numbers']],
    ['The bridge opened in 2019.', 'The bridge opened in 2021.', ['dates']],
    ['Fewer people worked than in the 70s.', 'Fewer people worked than in the 1970s.', []],
    ['The senator voted for the bill.', 'The senator did not vote for the bill.', ['negation']],
    ['The tariffs won’t raise prices.', 'The tariffs will raise prices.', ['negation']],
    ['Public display of a rifle is legal in Texas.', 'Public display of a rifle is illegal in Texas.', ['negation']],
    ['Senator Rick Perry backed the plan.', 'Senator Greg Abbott backed the plan.', ['names']],
    ['Jürgen Müller won in Düsseldorf.', 'Juergen Mueller won in Dusseldorf.', []],
    ['Уряд підвищить пенсії з 1 березня.', 'Уряд не підвищить пенсії з 1 березня.', ['negation']],
    ['Курс долара перевищив 41 гривню.', 'Курс долара перевищив 41 грн.', []],
    ['Зарплата перевищила 25 тисяч гривень.', 'Зарплата перевищила 25 тис. грн.', []],
  ];
  for (const [a, b, expected] of cases) {
    test(`"${a}" / "${b}": ${expected.join(', ') || 'no difference'}`, () => assert.deepEqual(kinds(a, b), expected));
  }

  test('a difference is said in words', () => {
    const [d] = differencesOf(statementFacts('It fell to 4.7%.'), statementFacts('It fell to 4.1%.'));
    assert.equal(describeDifference(d!), 'numbers differ: 4.7% here, 4.1% there');
  });

  const words = (s: string) => s.toLowerCase().match(/\p{L}+|\d+/gu) ?? [];
  const judge = (a: string, b: string, similarity: number) => judgeMatch({ statement: a, words: words(a) }, { statement: b, words: words(b), similarity }, DEFAULT_MATCH_SETTINGS);

  test('identical wording of eight words or more is a confident match', () => {
    const s = 'The state cut school funding by a third last year.';
    assert.equal(judge(s, s, 1).level, 'confident');
  });
  test('a statement under eight words is only ever a suggestion', () => {
    const s = 'Vaccines cause autism.';
    const j = judge(s, s, 1);
    assert.equal(j.level, 'suggestion');
    assert.equal(j.reasons.short, true);
  });
  test('differing figures are never confident, however alike the rest', () => {
    const j = judge('The state cut school funding by 30% last year, the governor said.', 'The state cut school funding by 40% last year, the governor said.', 0.99);
    assert.notEqual(j.level, 'confident');
  });
  test('the scoring is deterministic: the same inputs give the same score and reasons', () => {
    const a = judge('Unemployment fell to 4.1% in March, the lowest since 2001.', 'Unemployment dropped to 4.1% in March, its lowest since 2001.', 0.66);
    const b = judge('Unemployment fell to 4.1% in March, the lowest since 2001.', 'Unemployment dropped to 4.1% in March, its lowest since 2001.', 0.66);
    assert.deepEqual(a, b);
  });
});
