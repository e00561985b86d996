import type { Db } from '../platform/database.ts';
import type { Suggestion } from './checkworthiness.ts';
import { suggestInWorker } from './extract.ts';
import type { Report } from './reports.repo.ts';
import { storedSuggestions, storeSuggestions } from './suggestions.repo.ts';

/** The scorer's version: raise it when checkworthiness.ts or sentences.ts changes what they find, and every report is scored again. */
export const SCORER_VERSION = 2;

/**
 * A report's suggested checkable sentences: kept ones for its revision, else
 * scored now in a worker and kept. Null when scoring took too long (the page
 * is then shown without them, and the next visit tries again).
 */
export async function suggestionsOf(db: Db, report: Pick<Report, 'id' | 'revision' | 'body'>): Promise<Suggestion[] | null> {
  const kept = await storedSuggestions(db, report.id, report.revision, SCORER_VERSION);
  if (kept) return kept;
  const scored = await suggestInWorker(report.body);
  if (scored) await storeSuggestions(db, report.id, report.revision, SCORER_VERSION, scored);
  return scored;
}
