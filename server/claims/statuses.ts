/**
 * A claim's statuses: their words and what each status allows. Claims own
 * them; the review workflow (review/states.ts) moves claims between them and
 * imports them from here, never the reverse. The database keeps the same
 * list in a CHECK constraint and refuses edges the table does not have.
 */

export const STATUSES = ['draft', 'in_review', 'changes_requested', 'verified', 'refuted', 'unverifiable', 'withdrawn'] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_LABELS: Record<Status, string> = {
  draft: 'Draft',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  verified: 'Verified',
  refuted: 'Refuted',
  unverifiable: 'Unverifiable',
  withdrawn: 'Withdrawn',
};

/** Statuses a reviewer's decision ends in. */
export const DECIDED_STATUSES = ['verified', 'refuted', 'unverifiable'] as const satisfies readonly Status[];
export type DecidedStatus = (typeof DECIDED_STATUSES)[number];

/** What a status allows, read as a table: one row per status, one column per gate (decided statuses are frozen). */
interface Gates {
  /** The statement, quote and other fields may be edited. */
  editable: boolean;
  /** Evidence may be added, changed or removed (a decided claim is frozen until reopened). */
  evidenceOpen: boolean;
  /** The claim waits in the review queue: it may be taken, assigned or released. */
  inQueue: boolean;
  /** The claim is back with its editors after a reviewer looked at it. */
  backWithEditors: boolean;
}

const GATES: Record<Status, Gates> = {
  draft: { editable: true, evidenceOpen: true, inQueue: false, backWithEditors: false },
  in_review: { editable: false, evidenceOpen: true, inQueue: true, backWithEditors: false },
  changes_requested: { editable: true, evidenceOpen: true, inQueue: false, backWithEditors: true },
  verified: { editable: false, evidenceOpen: false, inQueue: false, backWithEditors: false },
  refuted: { editable: false, evidenceOpen: false, inQueue: false, backWithEditors: false },
  unverifiable: { editable: false, evidenceOpen: false, inQueue: false, backWithEditors: false },
  withdrawn: { editable: false, evidenceOpen: false, inQueue: false, backWithEditors: false },
};

/** Read the table: whether a claim in this status is decided (frozen), editable, open to evidence changes, waiting in the queue, back with its editors. */
export const isDecided = (status: Status): status is DecidedStatus => (DECIDED_STATUSES as readonly Status[]).includes(status);
export const canEditIn = (status: Status): boolean => GATES[status].editable;
export const canChangeEvidenceIn = (status: Status): boolean => GATES[status].evidenceOpen;
export const isInQueue = (status: Status): boolean => GATES[status].inQueue;
export const isBackWithEditors = (status: Status): boolean => GATES[status].backWithEditors;

/** Why a claim in this status cannot be edited, and what to do about it. */
export function whyNotEditable(status: Status): string {
  if (isInQueue(status)) {
    return 'This claim is in review, so it cannot be edited now. Ask the reviewer to send it back for changes, or withdraw it and restore it to draft.';
  }
  if (isDecided(status)) {
    return `This claim has been decided (${STATUS_LABELS[status].toLowerCase()}), so it is frozen. A reviewer can reopen it with a reason; then it can be edited.`;
  }
  if (status === 'withdrawn') return 'This claim is withdrawn, so it cannot be edited. Restore it to draft first.';
  return `This claim is ${STATUS_LABELS[status].toLowerCase()}, so it cannot be edited now.`;
}
