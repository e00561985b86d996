import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { MAX_SUGGESTIONS, scoreSentence, suggestFrom, type FeatureId } from '../../server/reports/checkworthiness.ts';
import { closeExtraction, suggestInWorker } from '../../server/reports/extract.ts';
import { sentencesOf } from '../../server/reports/sentences.ts';
import { labelledReports, measure } from '../support/checkworthy-labels.ts';

const fired = (sentence: string) => scoreSentence(sentence).reasons.map((r) => r.feature);

describe('check-worthiness: features a person can read', () => {
  const CASES: { sentence: string; has: FeatureId[]; not?: FeatureId[] }[] = [
    { sentence: 'Unemployment fell to 4.1 percent in March, the ministry said.', has: ['number', 'percentage', 'date', 'comparison', 'attribution'] },
    { sentence: 'The bridge cost $48 million, more than twice the first estimate.', has: ['number', 'money', 'comparison'], not: ['attribution'] },
    { sentence: 'According to Axios, officials met in Miami on October 24.', has: ['attribution', 'name', 'date', 'number'] },
    { sentence: 'Will the summit in Budapest ever take place?', has: ['question', 'prediction', 'name'] },
    { sentence: 'I think the plan is a good one.', has: ['opinion'], not: ['number', 'attribution', 'name'] },
    { sentence: 'Ending the war in Ukraine', has: ['fragment', 'name'] },
    { sentence: 'Уряд України заявив, що безробіття зросло до 9,4 відсотка у березні.', has: ['attribution', 'number', 'percentage', 'date', 'comparison', 'name'] },
    { sentence: 'За даними Мінфіну, бюджет становить 48 мільйонів гривень.', has: ['attribution', 'number', 'money', 'name'] },
    { sentence: 'По данным Росстата, цены выросли на 8% в январе 2024 года.', has: ['attribution', 'number', 'percentage', 'date', 'comparison', 'name'] },
    { sentence: 'На мой взгляд, это решение будет ошибкой.', has: ['opinion', 'prediction'], not: ['number'] },
  ];
  for (const { sentence, has, not = [] } of CASES) {
    test(`“${sentence}”: ${has.join(', ')}${not.length ? `; not ${not.join(', ')}` : ''}`, () => {
      const found = fired(sentence);
      for (const f of has) assert.ok(found.includes(f), `${f} fires: ${found.join(', ')}`);
      for (const f of not) assert.ok(!found.includes(f), `${f} does not fire`);
    });
  }

  test('each reason says what it found, and the score is the sum of the weights', () => {
    const { score, reasons } = scoreSentence('According to Axios, officials met in Miami on October 24.');
    assert.equal(score, reasons.reduce((sum, r) => sum + r.weight, 0));
    assert.ok(reasons.some((r) => r.text === 'attribution: “According to”'), reasons.map((r) => r.text).join(' | '));
    assert.ok(reasons.some((r) => r.text === 'a named person, place or organisation: “Axios”'));
  });

  test('a full sentence with a figure and an attribution outranks a question and an opinion', () => {
    const body = 'Is this the end?\n\nThe council said spending rose by 12 percent in 2024.\n\nI think it is fine.';
    const suggested = suggestFrom(sentencesOf(body));
    assert.deepEqual(
      suggested.map((s) => body.slice(s.start, s.end)),
      ['The council said spending rose by 12 percent in 2024.'],
    );
  });

  test('a long report gets its best-scoring sentences, at most MAX_SUGGESTIONS of them', () => {
    const lines = Array.from({ length: 200 }, (_, i) => (i % 2 ? `The council said spending rose by ${i} percent in 2024, more than planned.` : `Officials said ${i} homes were built.`));
    const body = lines.join('\n\n');
    const suggested = suggestFrom(sentencesOf(body));
    assert.equal(suggested.length, MAX_SUGGESTIONS);
    assert.ok(suggested.every((s) => body.slice(s.start, s.end).startsWith('The council')), 'the higher-scoring kind of sentence is chosen');
  });
});

describe('check-worthiness on labelled real reports', () => {
  after(closeExtraction);

  test('the labels still match the splitter’s sentences, and the scoring is the same every time and in a worker', async (t) => {
    const reports = labelledReports();
    let totals = { sentences: 0, checkable: 0, topThird: 0, topThirdCorrect: 0, suggested: 0, suggestedCorrect: 0 };
    for (const report of reports) {
      assert.equal(report.unmatched, 0, `${report.file}: every labelled sentence is found by its hash`);
      const once = suggestFrom(sentencesOf(report.body));
      assert.deepEqual(suggestFrom(sentencesOf(report.body)), once, `${report.file}: the same suggestions twice`);
      assert.deepEqual(await suggestInWorker(report.body), once, `${report.file}: the worker suggests the same`);
      const m = measure(report);
      t.diagnostic(`${report.file} (${report.lang}): ${m.sentences} sentences, ${m.checkable} checkable; top third ${m.topThirdCorrect}/${m.topThird} checkable; suggested ${m.suggestedCorrect}/${m.suggested}`);
      totals = Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, v + m[k as keyof typeof m]])) as typeof totals;
    }
    const ratio = (a: number, b: number) => (b ? (a / b).toFixed(2) : 'n/a');
    t.diagnostic(
      `all: precision of the top third ${ratio(totals.topThirdCorrect, totals.topThird)}; suggestions' precision ${ratio(totals.suggestedCorrect, totals.suggested)}, recall ${ratio(totals.suggestedCorrect, totals.checkable)} (${totals.suggestedCorrect} of ${totals.checkable} checkable sentences)`,
    );
    assert.ok(reports.some((r) => r.lang === 'uk') && reports.some((r) => r.lang === 'ru') && reports.length >= 6, 'English, Ukrainian and Russian reports are labelled');
  });
});
