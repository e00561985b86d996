import type { Db } from '../platform/database.ts';
import type { Suggestion } from './checkworthiness.ts';

/** The suggestions kept for a report's revision by this version of the scorer, or null when there are none yet. */
export async function storedSuggestions(db: Db, reportId: number, revision: number, scorer: number): Promise<Suggestion[] | null> {
  const row = (await db('report_suggestions').select('sentences').where({ report_id: reportId, revision, scorer }).first()) as { sentences: Suggestion[] } | undefined;
  return row?.sentences ?? null;
}

/** Keeps a revision's suggestions, replacing those of an earlier revision or scorer. */
export async function storeSuggestions(db: Db, reportId: number, revision: number, scorer: number, sentences: Suggestion[]): Promise<void> {
  await db('report_suggestions')
    .insert({ report_id: reportId, revision, scorer, sentences: JSON.stringify(sentences), scored_at: db.fn.now() })
    .onConflict('report_id')
    .merge(['revision', 'scorer', 'sentences', 'scored_at'])
    // A page of an older revision, scored late, never replaces a newer one's.
    .where('report_suggestions.revision', '<=', revision);
}
