import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { suggestConfidence, type EvidenceFact } from '../../server/sources/confidence.ts';

let id = 0;
const link = (relation: EvidenceFact['relation'], rating: string, publisher: string | null = `Publisher ${++id}`, title = `Source ${id}`): EvidenceFact => ({
  sourceId: ++id,
  sourceTitle: title,
  publisher,
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
    ['two strong supports without publishers count as independent sources', [link('supports', 'A1', null, 'Gov data'), link('supports', 'B2', null, 'Court record')], 'high', /\(Gov data: A1, Court record: B2\)/],
  ];
  for (const [situation, links, level, reason] of table) {
    test(`${situation} -> ${level}`, () => {
      const s = suggestConfidence(links);
      assert.equal(s.level, level);
      assert.match(s.reasons.join(' '), reason);
    });
  }
});
