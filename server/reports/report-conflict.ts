import type { Db } from '../platform/database.ts';
import { listOf, type CurrentReport } from './reports.commands.ts';
import { revisionBody } from './reports.repo.ts';
import { normaliseBody } from './text.ts';
import { wordDiff, type DiffPart } from './text-diff.ts';

/** A detail of the report (title, outlet…) that the current version and the user's form give differently. */
export interface DetailDifference {
  label: string;
  current: string;
  yours: string;
}

/** What the stale correction page shows beside the user's form. */
export interface ReportConflict {
  version: number;
  revision: number;
  body: string;
  /** "Rosa Reviewer", "Rosa Reviewer and Sam Sub"; empty when nobody is known. */
  savedBy: string;
  /** The revision the user's form was opened on, when it said so and that revision exists. */
  baseRevision: number | null;
  /** Base -> current: what the others changed (empty: they left the text as it was). */
  theirs: DiffPart[] | null;
  /** Base -> the user's text: what they changed. */
  yours: DiffPart[] | null;
  /** Current -> the user's text: what saving the form as it is would do. */
  saving: DiffPart[] | null;
  details: DetailDifference[];
}

const DETAILS = [
  ['title', 'Title'],
  ['outlet', 'Outlet'],
  ['byline', 'Byline'],
  ['url', 'URL'],
  ['publishedOn', 'Published'],
] as const;

/**
 * The view of a stale correction: the text the user's form started from (the
 * revision it was opened on), the current text, and the user's unsaved text,
 * compared word by word, so a colleague's correction is seen before it is
 * overwritten.
 */
export async function reportConflict(db: Db, reportId: number, baseRevision: number | null, current: CurrentReport, form: Record<string, unknown>): Promise<ReportConflict> {
  const yours = normaliseBody(typeof form.body === 'string' ? form.body : '');
  const base = baseRevision === null ? null : baseRevision === current.revision ? current.body : await revisionBody(db, reportId, baseRevision);
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  return {
    version: current.version,
    revision: current.revision,
    body: current.body,
    savedBy: listOf(current.savedBy),
    baseRevision: base === null ? null : baseRevision,
    theirs: base === null ? null : wordDiff(base, current.body),
    yours: base === null ? null : wordDiff(base, yours),
    saving: wordDiff(current.body, yours),
    details: DETAILS.map(([key, label]) => ({ label, current: current[key] ?? '', yours: text(form[key]) })).filter((d) => d.current !== d.yours),
  };
}
