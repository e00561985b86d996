import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The labelled repeat-claim pairs (test/fixtures/repeat-claims/, see its
 * README): an earlier statement, a new one, and whether one verdict covers
 * both. English earlier statements named by a LIAR-PLUS row id are read from
 * ../shared/data at test time.
 */
export interface Pair {
  id: string;
  lang: string;
  kind: string;
  same: boolean;
  a: string;
  b: string;
}

const ROOT = path.resolve(import.meta.dirname, '../..');
const LIAR = path.resolve(ROOT, '../shared/data/liar-plus-val2.jsonl');

export function loadPairs(): Pair[] {
  const raw = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/repeat-claims/pairs.json'), 'utf8')) as (Omit<Pair, 'a'> & { a: string | { liar: number } })[];
  const liar = new Map<number, string>();
  for (const line of readFileSync(LIAR, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { id: number; claim: string };
    liar.set(row.id, row.claim);
  }
  return raw.map((p) => {
    const a = typeof p.a === 'string' ? p.a : liar.get(p.a.liar);
    if (a === undefined) throw new Error(`pair ${p.id}: no LIAR-PLUS row ${JSON.stringify(p.a)}`);
    return { ...p, a };
  });
}

/** Precision and recall of one level over the pairs, with the predictions per pair. */
export interface LevelScore {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
}

export function scoreLevel(results: { pair: Pair; predicted: boolean }[]): LevelScore {
  const tp = results.filter((r) => r.predicted && r.pair.same).length;
  const fp = results.filter((r) => r.predicted && !r.pair.same).length;
  const fn = results.filter((r) => !r.predicted && r.pair.same).length;
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) };
}
