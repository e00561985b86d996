import { listUsers } from '../accounts/users.repo.ts';
import { CONFIDENCE_LEVELS } from '../claims/fields.ts';
import type { Db } from '../platform/database.ts';
import type { FieldErrors } from '../platform/errors.ts';
import { can, type Actor } from '../platform/policies.ts';
import { BULK, offeredActions } from './actions.ts';
import { MATCHING_COUNT_CAP, MAX_BULK } from './schemas.ts';

/** Where a bulk form sits: which list, its filters (as a query string) and how many claims they match. */
export interface BulkListState {
  list: 'claims' | 'review' | 'report';
  filters?: string;
  reportId?: number | null;
  /** How many claims the list's filters match, counted up to MATCHING_COUNT_CAP + 1. */
  matching?: number;
  /** The claims of the page shown ("123:4"), for "all on this page". */
  pageIds?: string[];
}

/**
 * The bulk form's view model: the actions this person may take, the
 * reviewers an assignment may name, and the form's state (its values and
 * messages when it was refused). The lists include it under their table; a
 * refused form is shown on a page of its own with the ticked claims kept.
 */
export async function bulkPanel(db: Db, actor: Actor, state: Partial<BulkListState> & { back: string; values?: Record<string, unknown>; errors?: FieldErrors }) {
  const actions = offeredActions(actor);
  const values = state.values ?? {};
  const list = (state.list ?? (values.list as BulkListState['list'] | undefined) ?? 'claims') as BulkListState['list'];
  const reviewers = actions.includes('assign') ? (await listUsers(db)).filter((u) => !u.disabled && can(u, 'claim.review')) : [];
  const asList = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
  return {
    bulk: {
      actions: actions.map((a) => ({ value: a, label: BULK[a].label })),
      reviewers: reviewers.map((r) => ({ value: r.id, label: r.displayName })),
      confidences: CONFIDENCE_LEVELS,
      list,
      filters: state.filters ?? (typeof values.filters === 'string' ? values.filters : ''),
      reportId: state.reportId ?? (typeof values.report === 'string' ? values.report : null),
      matching: state.matching ?? null,
      max: MAX_BULK,
      countCap: MATCHING_COUNT_CAP,
      pageIds: state.pageIds ?? asList(values.pageIds),
      ticked: asList(values.ids),
      back: state.back,
      values,
      errors: state.errors ?? {},
    },
  };
}
