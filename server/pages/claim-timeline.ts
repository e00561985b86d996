import type { TimelineEntry } from '../audit/events.repo.ts';
import { STATUS_LABELS, type Status } from '../claims/statuses.ts';
import { pastTense, TRANSITIONS, type TransitionAction } from '../review/states.ts';

/** A timeline entry in words, for the claim page: the audit's history told with the claims' status words and the workflow's verbs. */
export interface DescribedEntry {
  kind: TimelineEntry['kind'];
  cssKind: 'event' | 'comment' | 'transition';
  actorName: string;
  at: Date;
  title: string;
  comment: string | null;
  changes: { field: string; from: string; to: string }[];
}

const FIELD_NAMES: Record<string, string> = {
  statement: 'statement', quote: 'quote', claimant: 'claimant', kind: 'kind', tags: 'tags', priority: 'priority', confidence: 'confidence',
  relation: 'relation', excerpt: 'excerpt', locator: 'locator', credibility: 'credibility', note: 'note',
  title: 'title', url: 'URL', publisher: 'publisher', reliability: 'reliability', repeats: 'repeats', origin: 'origin',
};

/** The export formats in words. */
const FORMAT_NAMES: Record<string, string> = {
  html: 'printable sheet', csv: 'CSV', csv_evidence: 'evidence CSV', xlsx: 'Excel', json: 'JSON', claimreview: 'ClaimReview',
};
const formatName = (entry: TimelineEntry) => FORMAT_NAMES[String(entry.data?.format ?? entry.action ?? '')] ?? String(entry.data?.format ?? 'unknown format');

/** An export that reached the person whole (a download broken off is told on its own). */
const isFinishedExport = (entry: TimelineEntry) => entry.type === 'exported' && entry.data?.completed !== false;

/**
 * A claim's timeline in words. Exports in a row (each view of a printable
 * sheet is one) are told as one entry, so they do not bury the claim's review.
 */
export function describeTimeline(entries: readonly TimelineEntry[]): DescribedEntry[] {
  const out: DescribedEntry[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (!isFinishedExport(entry)) {
      out.push(describeEntry(entry));
      continue;
    }
    let end = i;
    while (entries[end + 1] && isFinishedExport(entries[end + 1]!)) end++;
    out.push(end === i ? describeEntry(entry) : describeExports(entries.slice(i, end + 1)));
    i = end;
  }
  return out;
}

/** Several exports in a row: how many, in which formats, by whom; dated at the latest. */
function describeExports(run: readonly TimelineEntry[]): DescribedEntry {
  const latest = run[run.length - 1]!;
  const formats = new Map<string, number>();
  for (const e of run) formats.set(formatName(e), (formats.get(formatName(e)) ?? 0) + 1);
  const people = [...new Set(run.map((e) => e.actorName ?? 'Factdesk'))];
  const byFormat = [...formats].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name)).join(', ');
  return {
    kind: 'export',
    cssKind: 'event',
    actorName: people.length === 1 ? people[0]! : `${people.slice(0, -1).join(', ')} and ${people[people.length - 1]}`,
    at: latest.at,
    title: `exported it in claim sheets ${run.length} times (${byFormat}); the latest shown here`,
    comment: null,
    changes: [],
  };
}

/** Says what an event did, who did it and what changed. */
export function describeEntry(entry: TimelineEntry): DescribedEntry {
  const base = {
    kind: entry.kind,
    cssKind: entry.kind === 'comment' ? 'comment' as const : entry.type === 'transition' ? 'transition' as const : 'event' as const,
    actorName: entry.actorName ?? 'Factdesk',
    at: entry.at,
    comment: entry.comment,
    changes: [] as DescribedEntry['changes'],
  };
  const d = entry.data ?? {};
  switch (entry.type) {
    case 'comment':
      return { ...base, title: 'commented' };
    case 'exported':
      // A download broken off half-way is in the log too, as not completed: say so, not "exported".
      return { ...base, title: d.completed === false ? `started downloading a claim sheet (${formatName(entry)}) that did not finish` : `exported it in a claim sheet (${formatName(entry)})` };
    case 'created':
      return { ...base, title: 'logged the claim' };
    case 'edited':
      return { ...base, title: 'edited the claim', changes: changesOf(d.changes) };
    case 'evidence_linked':
      return { ...base, title: `linked the source “${String(d.sourceTitle ?? '')}” (${String(d.relation ?? '')})${d.copiedFrom ? `, from claim #${String(d.copiedFrom)}` : ''}` };
    case 'evidence_changed':
      return { ...base, title: `changed the evidence from “${String(d.sourceTitle ?? '')}”`, changes: changesOf(d.changes) };
    case 'evidence_unlinked':
      return { ...base, title: `removed the source “${String(d.sourceTitle ?? '')}”` };
    case 'source_changed':
      if (Array.isArray(d.sourceTitles)) return { ...base, title: `judged whether the sources “${String(d.sourceTitles[0])}” and “${String(d.sourceTitles[1])}” share an origin`, changes: changesOf(d.changes) };
      return { ...base, title: `changed the library source “${String(d.sourceTitle ?? '')}” that this claim cites`, changes: changesOf(d.changes) };
    case 'assigned':
      return {
        ...base,
        title: `${d.assigneeName ? (d.self ? 'took the claim for review' : `assigned the claim to ${String(d.assigneeName)}`) : 'released the claim back to the queue'}${d.note ? `: “${String(d.note)}”` : ''}`,
      };
    case 'reanchored':
      return { ...base, title: d.missing ? `found the quote missing from revision ${String(d.revision)}` : `re-anchored the quote in revision ${String(d.revision)}` };
    case 'relabelled':
      return { ...base, title: `moved the verdict from the label “${String(d.from ?? '')}” to “${String(d.to ?? '')}”${d.reason === 'label deleted' ? ' (the label was deleted)' : ''}` };
    case 'rechecked':
      return { ...base, title: `checked the claim again and confirmed it${d.trueAsOf ? `, true as of ${String(d.trueAsOf)}` : ''}${d.recheckBy ? `; next check by ${String(d.recheckBy)}` : ''}` };
    case 'source_merged':
      return {
        ...base,
        title: `merged the source “${String(d.fromTitle ?? '')}” into “${String(d.intoTitle ?? '')}”, the same page${d.dropped ? '; this claim cited both, so its link to the first was removed (its ratings and excerpt are kept in this entry)' : ''}`,
        changes: d.dropped && d.link && typeof d.link === 'object' ? changesOf(Object.fromEntries(Object.entries(d.link as Record<string, unknown>).map(([k, v]) => [k, { from: v, to: null }]))) : [],
      };
    case 'repeat_linked':
      return { ...base, title: d.role === 'original' ? `linked claim #${String(d.other)} as a repeat of this claim` : `linked this claim as the same claim as #${String(d.other)}` };
    case 'repeat_unlinked':
      return { ...base, title: d.role === 'original' ? `said claim #${String(d.other)} is not a repeat of this claim` : `said this claim is not the same claim as #${String(d.other)}` };
    case 'transition': {
      const action = entry.action as TransitionAction | null;
      const did = action && action in TRANSITIONS ? `${pastTense(action).replace(/^(\w+)/, '$1 the claim')}` : 'changed the status';
      const to = entry.to ? STATUS_LABELS[entry.to as Status] : '';
      return { ...base, title: `${did} (now ${to.toLowerCase()})${d.reusedFrom ? `, reusing the verdict of #${String(d.reusedFrom)}` : ''}` };
    }
    default:
      return { ...base, title: entry.type };
  }
}

function changesOf(value: unknown): DescribedEntry['changes'] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, { from: unknown; to: unknown }>).map(([field, change]) => ({
    field: FIELD_NAMES[field] ?? field,
    from: show(change?.from),
    to: show(change?.to),
  }));
}

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '(none)';
  if (Array.isArray(v)) return v.length ? v.join(', ') : '(none)';
  // A quote is recorded with its place, so a move to the same words elsewhere shows.
  if (typeof v === 'object' && 'text' in v) {
    const q = v as { text: unknown; start?: unknown; end?: unknown; missing?: unknown };
    return `${String(q.text)} (${q.missing ? 'not found in the text' : `characters ${String(q.start)}–${String(q.end)}`})`;
  }
  return String(v);
}
