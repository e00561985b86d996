import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { findRepeats } from '../../server/claims/claim-repeats.commands.ts';
import { DEFAULT_MATCH_SETTINGS, type MatchLevel } from '../../server/claims/repeat-match.ts';
import { createTestDatabase, onServer, type TestDatabase } from '../support/database.ts';
import { makeClaim, makeDesk, makeReport } from '../support/factories.ts';
import { loadPairs, scoreLevel, type Pair } from './repeat-pairs.ts';

/**
 * The repeat matcher measured on the labelled pairs: every earlier statement
 * is logged as a claim, every new statement is matched against the desk, and
 * the pair counts as found at the level its earlier claim comes back with.
 * Prints precision and recall per level (overall, per language, per kind).
 */
describe('the repeat matcher on the labelled pairs', () => {
  let t: TestDatabase;
  const found: { pair: Pair; level: MatchLevel | null; score: number | null }[] = [];

  before(async () => {
    t = await createTestDatabase();
    const { editor } = await makeDesk(t.db, ['editor']);
    const reportId = await makeReport(t.db, editor);
    const pairs = loadPairs();
    const earlier = new Map<string, number>();
    for (const pair of pairs) earlier.set(pair.id, await makeClaim(t.db, editor, reportId, { statement: pair.a }));
    for (const pair of pairs) {
      const match = (await findRepeats(t.runtime.db, pair.b, DEFAULT_MATCH_SETTINGS)).find((m) => m.id === earlier.get(pair.id));
      found.push({ pair, level: match?.level ?? null, score: match?.score ?? null });
    }
  });
  after(() => t.close());

  const confident = () => scoreLevel(found.map((f) => ({ pair: f.pair, predicted: f.level === 'confident' })));
  const suggested = () => scoreLevel(found.map((f) => ({ pair: f.pair, predicted: f.level !== null })));

  test('prints precision and recall at both levels', () => {
    const rows: string[] = [];
    const line = (name: string, subset: typeof found) => {
      const c = scoreLevel(subset.map((f) => ({ pair: f.pair, predicted: f.level === 'confident' })));
      const s = scoreLevel(subset.map((f) => ({ pair: f.pair, predicted: f.level !== null })));
      const pct = (n: number) => n.toFixed(3);
      rows.push(`${name.padEnd(18)} ${String(subset.length).padStart(4)}  confident P ${pct(c.precision)} R ${pct(c.recall)}   suggestion P ${pct(s.precision)} R ${pct(s.recall)}`);
    };
    line('all', found);
    for (const lang of [...new Set(found.map((f) => f.pair.lang))].sort()) line(`lang ${lang}`, found.filter((f) => f.pair.lang === lang));
    for (const kind of [...new Set(found.map((f) => f.pair.kind))].sort()) {
      const subset = found.filter((f) => f.pair.kind === kind);
      const levels = { confident: subset.filter((f) => f.level === 'confident').length, suggestion: subset.filter((f) => f.level === 'suggestion').length };
      rows.push(`kind ${kind.padEnd(13)} ${String(subset.length).padStart(4)}  ${subset[0]!.pair.same ? 'same' : 'not '}  confident ${levels.confident}  suggestion ${levels.suggestion}  not found ${subset.length - levels.confident - levels.suggestion}`);
    }
    console.log(`Repeat matcher on ${found.length} labelled pairs (${onServer() ? 'server' : 'embedded'}):\n${rows.join('\n')}`);
    assert.equal(found.length, loadPairs().length);
  });

  test('confident matches are right at least 95 times in 100', () => {
    assert.ok(confident().precision >= 0.95, JSON.stringify(confident()));
  });

  test('suggestions find at least 85% of the repeats, at least 70% of them right', () => {
    const s = suggested();
    assert.ok(s.recall >= 0.85 && s.precision >= 0.7, JSON.stringify(s));
  });

  test('no pair whose numbers or dates differ is ever a confident match', () => {
    const wrong = found.filter((f) => (f.pair.kind === 'number' || f.pair.kind === 'date') && f.level === 'confident');
    assert.deepEqual(wrong.map((f) => f.pair.id), []);
    assert.ok(found.some((f) => f.pair.kind === 'number'), 'the set holds pairs whose numbers differ');
  });
});
