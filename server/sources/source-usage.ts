import { isDecided, STATUS_LABELS, STATUSES, type Status } from '../claims/statuses.ts';

/** How many claims use a source, by status, and what editing the source does to them, in words. */
export interface SourceUsage {
  total: number;
  decided: number;
  byStatus: { status: Status; n: number }[];
  /** Shown before saving an edit: null when no claim uses the source. */
  warning: string | null;
}

const count = (n: number) => n.toLocaleString('en-GB');
const cite = (n: number) => (n === 1 ? 'cites' : 'cite');
const claimWord = (n: number) => (n === 1 ? 'claim' : 'claims');

/** The usage of a source from its per-status counts (statuses in workflow order). */
export function sourceUsage(counts: Partial<Record<Status, number>>): SourceUsage {
  const byStatus = STATUSES.map((status) => ({ status, n: counts[status] ?? 0 })).filter((s) => s.n > 0);
  const total = byStatus.reduce((sum, s) => sum + s.n, 0);
  const decidedParts = byStatus.filter((s) => isDecided(s.status));
  const decided = decidedParts.reduce((sum, s) => sum + s.n, 0);
  if (total === 0) return { total, decided, byStatus, warning: null };
  const open = total - decided;
  const parts = [...decidedParts.map((s) => `${count(s.n)} ${STATUS_LABELS[s.status].toLowerCase()}`), ...(open > 0 ? [`${count(open)} not yet decided`] : [])];
  const who =
    decided === 0
      ? `${count(total)} ${claimWord(total)} ${cite(total)} this source, ${total === 1 ? 'not' : 'none of them'} decided yet`
      : decidedParts.length === 1 && open === 0
        ? `${parts[0]} ${claimWord(total)} ${cite(total)} this source`
        : `${count(total)} claims cite this source: ${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  const record = total === 1 ? 'the claim’s history' : decided > 0 ? 'the history of each of them, decided ones included' : 'the history of each of them';
  const reload = open > 0 ? ` Anyone about to decide ${open === 1 ? 'the open claim' : 'one of the open claims'} is asked to look at it again first.` : '';
  return { total, decided, byStatus, warning: `${who}. Saving a change to its title, URL, publisher or reliability records it in ${record}.${reload}` };
}
