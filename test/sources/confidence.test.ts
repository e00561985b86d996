import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { suggestConfidence, type EvidenceFact } from '../../server/sources/confidence.ts';
import { NO_LINEAGE } from '../../server/sources/independence.ts';
import type { SourceRef } from '../../server/sources/provenance.ts';

let id = 0;
const link = (relation: EvidenceFact['relation'], rating: string, publisher: string | null = `Publisher ${++id}`, title = `Source ${id}`, sourceUrl: string | null = null, outlet: string | null = null): EvidenceFact => ({
  sourceId: ++id,
  lineage: NO_LINEAGE,
  sourceTitle: title,
  publisher,
  sourceUrl,
  outlet,
  reliability: rating[0]!,
  credibility: Number(rating[1]),
  relation,
});

describe('the confidence suggestion', () => {
  const table: [string, EvidenceFact[], 'high' | 'moderate' | 'low', RegExp][] = [
    ['no evidence', [], 'low', /No evidence/],
    ['only origin and context', [link('origin', 'F6'), link('context', 'B2')], 'low', /No supporting evidence/],
    ['one supporting B2', [link('supports', 'B2', 'Reuters')], 'moderate', /1 credible supporting source \(Reuters: B2\)/],
    ['two independent supporting A1 and B2', [link('supports', 'A1', 'Reuters'), link('supports', 'B2', 'AP')], 'high', /2 independent supporting sources \(Reuters: A1, AP: B2\); no contradicting evidence/],
    ['two supporting from the same publisher', [link('supports', 'A1', 'Reuters'), link('supports', 'B2', 'reuters ')], 'moderate', /credible supporting source/],
    ['two strong supports and a contradiction rated C', [link('supports', 'A1', 'Reuters'), link('supports', 'B1', 'AP'), link('contradicts', 'C3', 'Blog', 'A blog post')], 'low', /Contradicted by 1 reliable source \(Blog: C3\)/],
    ['two strong supports and a contradiction rated E', [link('supports', 'A1', 'Reuters'), link('supports', 'B1', 'AP'), link('contradicts', 'E5', 'Rumours')], 'moderate', /but contradicted by 1 less reliable source \(Rumours: E5\)/],
    ['any contradicting A, whatever supports', [link('supports', 'A1'), link('supports', 'A1'), link('supports', 'A1'), link('contradicts', 'A2', 'Official record')], 'low', /Contradicted/],
    ['supporting only from D-F', [link('supports', 'D2', 'Forum'), link('supports', 'F6', 'Anon')], 'low', /low or unknown reliability \(Forum: D2, Anon: F6\)/],
    ['supporting B with credibility 4 only', [link('supports', 'B4')], 'low', /low or unknown reliability/],
    ['two strong supports with no address or publisher cannot be told apart: one outlet', [link('supports', 'A1', null, 'Gov data'), link('supports', 'B2', null, 'Court record')], 'moderate', /but only 1 independent origin among the strong ones/],
    ['two strong supports without publishers on two sites are independent', [link('supports', 'A1', null, 'Gov data', 'https://data.gov.example/x'), link('supports', 'B2', null, 'Court record', 'https://courts.example/y')], 'high', /\(gov\.example: A1, courts\.example: B2\)/],
    ['two pages of one site are one outlet, whatever their publishers say', [link('supports', 'A1', 'Reuters', 'Story', 'https://www.reuters.com/a'), link('supports', 'B2', 'Thomson Reuters', 'Story again', 'https://reuters.com/b')], 'moderate', /only 1 independent origin/],
    ['subdomains of one registrable domain are one outlet (co.uk-style suffix)', [link('supports', 'A1', 'BBC News', 'One', 'https://news.bbc.co.uk/1'), link('supports', 'A2', 'BBC', 'Two', 'https://www.bbc.co.uk/2')], 'moderate', /only 1 independent origin/],
    ['an outlet the editor names joins two sites', [link('supports', 'A1', 'AP', 'Wire', 'https://apnews.com/a', 'Associated Press'), link('supports', 'A1', 'AP', 'Wire mirror', 'https://ap.org/a', 'associated press')], 'moderate', /only 1 independent origin/],
    ['publisher variants without addresses are one outlet', [link('supports', 'A1', 'The Guardian'), link('supports', 'B2', 'Guardian.')], 'moderate', /only 1 independent origin/],
    ['two outlets and a third strong source from one of them: high, the repeat said', [link('supports', 'A1', null, 'AP story', 'https://apnews.com/x'), link('supports', 'A2', null, 'AP again', 'https://www.apnews.com/y'), link('supports', 'B1', null, 'Reuters', 'https://reuters.com/z')], 'high', /3 supporting sources, 2 independent origins: “AP story” and “AP again”: both come from apnews\.com.*2 independent supporting sources .*1 more sharing an origin or outlet/],
  ];
  for (const [situation, links, level, reason] of table) {
    test(`${situation} -> ${level}`, () => {
      const s = suggestConfidence(links);
      assert.equal(s.level, level);
      assert.match(s.reasons.join(' '), reason);
    });
  }
});

describe('the confidence suggestion counts independent origins, not sources', () => {
  const ap: SourceRef = { id: 9001, title: 'AP wire story', url: 'https://apnews.com/article/plan', publisher: 'AP', outlet: null };
  const other = { id: 9002, title: 'A study', url: 'https://university.example/study', publisher: null, outlet: null };
  const via = (l: EvidenceFact, ...ancestors: SourceRef[]): EvidenceFact => ({ ...l, lineage: { ancestors, sameOriginAs: [] } });
  const table: [string, EvidenceFact[], 'high' | 'moderate' | 'low', RegExp][] = [
    [
      'two outlets republishing one wire story: one origin',
      [via(link('supports', 'A1', null, 'Paper one', 'https://paper-one.example/a'), ap), via(link('supports', 'B2', null, 'Paper two', 'https://paper-two.example/b'), ap)],
      'moderate',
      /2 supporting sources, 1 independent origin: both lead back to “AP wire story”/,
    ],
    [
      'the wire story itself and an outlet that repeats it: one origin',
      [{ ...link('supports', 'A1', 'AP', 'AP wire story', ap.url), sourceId: ap.id }, via(link('supports', 'B1', null, 'Paper', 'https://paper.example/c'), ap)],
      'moderate',
      /1 independent origin/,
    ],
    [
      'two outlets on two different origins of two outlets: independent',
      [via(link('supports', 'A1', null, 'Paper one', 'https://paper-one.example/a'), ap), via(link('supports', 'B2', null, 'Paper two', 'https://paper-two.example/b'), other)],
      'high',
      /^2 independent supporting sources/,
    ],
    [
      'origins on one outlet tie their repeats (two AP stories)',
      [via(link('supports', 'A1', null, 'Paper one', 'https://paper-one.example/a'), ap), via(link('supports', 'B2', null, 'Paper two', 'https://paper-two.example/b'), { ...other, id: 9003, url: 'https://apnews.com/article/other' })],
      'moderate',
      /1 independent origin: both come from apnews\.com/,
    ],
    [
      'two sources an editor judged one origin',
      [
        { ...link('supports', 'A1', null, 'Paper one', 'https://paper-one.example/a'), sourceId: 9101, lineage: { ancestors: [], sameOriginAs: [9102] } },
        { ...link('supports', 'A1', null, 'Paper two', 'https://paper-two.example/b'), sourceId: 9102, lineage: { ancestors: [], sameOriginAs: [9101] } },
      ],
      'moderate',
      /1 independent origin: an editor judged their excerpts one origin/,
    ],
  ];
  for (const [situation, links, level, reason] of table) {
    test(`${situation} -> ${level}`, () => {
      const s = suggestConfidence(links);
      assert.equal(s.level, level);
      assert.match(s.reasons.join(' '), reason);
    });
  }
});
