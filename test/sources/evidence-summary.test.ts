import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EvidenceFact } from '../../server/sources/confidence.ts';
import { NO_LINEAGE } from '../../server/sources/independence.ts';
import { summariseEvidence } from '../../server/sources/evidence-summary.ts';

let nextId = 1;
const link = (relation: EvidenceFact['relation'], reliability: string): EvidenceFact => ({
  sourceId: nextId++,
  lineage: NO_LINEAGE,
  sourceTitle: 'A source',
  publisher: null,
  sourceUrl: null,
  outlet: null,
  reliability,
  credibility: 2,
  relation,
});

describe('the evidence summary of a claim', () => {
  const cases: { name: string; links: EvidenceFact[]; expected: ReturnType<typeof summariseEvidence> }[] = [
    { name: 'no links', links: [], expected: { supports: 0, contradicts: 0, total: 0, bestReliability: null } },
    {
      name: 'only an origin and context: counted in the total, no best supporting source',
      links: [link('origin', 'A'), link('context', 'B')],
      expected: { supports: 0, contradicts: 0, total: 2, bestReliability: null },
    },
    {
      name: 'the best reliability is among supporting links only',
      links: [link('supports', 'C'), link('supports', 'B'), link('contradicts', 'A'), link('origin', 'A')],
      expected: { supports: 2, contradicts: 1, total: 4, bestReliability: 'B' },
    },
    {
      name: 'F (cannot be judged) is the worst letter',
      links: [link('supports', 'F'), link('supports', 'E')],
      expected: { supports: 2, contradicts: 0, total: 2, bestReliability: 'E' },
    },
  ];
  for (const c of cases) {
    test(`${c.name}`, () => assert.deepEqual(summariseEvidence(c.links), c.expected));
  }
});
