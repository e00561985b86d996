import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ancestorsOf, chainOf, describeLoop, loopsOf, originsOf, type CitationGraph, type CitationKind } from '../../server/sources/provenance.ts';

/** A graph from "1>2" edges (1 cites 2), every source titled by its id. */
function graph(...edges: string[]): CitationGraph {
  const citations = edges.map((e) => {
    const [from, to] = e.split('>').map(Number) as [number, number];
    return { sourceId: from, citedId: to, kind: 'based_on' as CitationKind };
  });
  const ids = new Set(citations.flatMap((c) => [c.sourceId, c.citedId]));
  return { citations, sources: new Map([...ids].map((id) => [id, { id, title: `S${id}`, url: null, publisher: null, outlet: null }])) };
}

describe('provenance of sources', () => {
  const table: [string, CitationGraph, number, { ancestors: number[]; origins: number[] }][] = [
    ['a source citing nothing is its own origin', graph('2>3'), 1, { ancestors: [], origins: [1] }],
    ['a chain leads to its last source', graph('1>2', '2>3'), 1, { ancestors: [2, 3], origins: [3] }],
    ['two branches give two origins', graph('1>2', '1>3', '3>4'), 1, { ancestors: [2, 3, 4], origins: [2, 4] }],
    ['a loop of two with no way out: its members are the origin', graph('1>2', '2>1'), 1, { ancestors: [1, 2], origins: [1, 2] }],
    ['a loop of three reached from outside', graph('9>1', '1>2', '2>3', '3>1'), 9, { ancestors: [1, 2, 3], origins: [1, 2, 3] }],
    ['a self-citation', graph('5>5'), 5, { ancestors: [5], origins: [5] }],
    ['a loop with a way out ends at the way out', graph('1>2', '2>1', '2>7'), 1, { ancestors: [1, 2, 7], origins: [7] }],
  ];
  for (const [situation, g, id, expected] of table) {
    test(situation, () => {
      assert.deepEqual(ancestorsOf(g, id), expected.ancestors);
      assert.deepEqual(originsOf(g, id), expected.origins);
    });
  }

  test('loops are found with their members in citation order, a self-citation included, a plain chain not', () => {
    assert.deepEqual(loopsOf(graph('1>2', '2>3', '3>1', '4>5', '6>6', '7>8', '8>7', '8>9')), [[1, 2, 3], [6], [7, 8]]);
    assert.deepEqual(loopsOf(graph('1>2', '2>3', '1>3')), []);
  });

  test('a loop reads as a sentence', () => {
    const g = graph('1>2', '2>3', '3>1', '6>6');
    assert.equal(describeLoop(g, [1, 2, 3]), '“S1” is based on “S2”, which is based on “S3”, which is based on “S1”');
    assert.equal(describeLoop(g, [6]), '“S6” cites itself');
  });

  test('the chain stops where it comes back to a source already on it', () => {
    const chain = chainOf(graph('1>2', '2>3', '3>1'), 1);
    assert.equal(chain[0]!.source.id, 2);
    assert.equal(chain[0]!.next[0]!.source.id, 3);
    assert.equal(chain[0]!.next[0]!.next[0]!.source.id, 1);
    assert.equal(chain[0]!.next[0]!.next[0]!.loopsBack, true);
    assert.deepEqual(chain[0]!.next[0]!.next[0]!.next, []);
  });
});
