// The shape of the benchmark data set before any text exists: how many claims
// each report holds, each claim's status, how many evidence links and history
// events it gets. Planned globally so the totals come out exactly as asked.
import type { Random } from './gen-text.ts';

export const STATUSES = ['draft', 'in_review', 'changes_requested', 'verified', 'refuted', 'unverifiable', 'withdrawn'] as const;
export type Status = (typeof STATUSES)[number];
export const DECIDED: readonly Status[] = ['verified', 'refuted', 'unverifiable'];

/** The mix of statuses: plenty in review (the queue) and verified (the exports). */
export const STATUS_SHARE: Record<Status, number> = {
  draft: 0.14,
  in_review: 0.15,
  changes_requested: 0.07,
  verified: 0.25,
  refuted: 0.15,
  unverifiable: 0.1,
  withdrawn: 0.14,
};

/** Claims that the claim page scenario opens: exactly this many links and events. */
export const RICH_LINKS = 10;
export const RICH_EVENTS = 30;
/** The size of the largest reports (the report page scenario). */
export const BIG_REPORT_CLAIMS = 300;
/** Most evidence links an ordinary claim gets. */
const MAX_LINKS = 8;
const MAX_EDITS = 8;

export interface PlanOptions {
  reports: number;
  claims: number;
  evidenceLinks: number;
  events: number;
}

export interface Plan {
  /** Claims per report, by report index. */
  claimsPerReport: number[];
  /** Report indexes holding BIG_REPORT_CLAIMS claims. */
  bigReports: number[];
  status: Status[];
  links: Uint8Array;
  /** 'edited' events before submission. */
  edits: Uint8Array;
  /** 1 when an 'assigned' event precedes the decision (or the claim waits assigned in review). */
  assigned: Uint8Array;
  /** Withdrawn claims that had been submitted first (so they need evidence). */
  withdrawnAfterSubmit: Uint8Array;
  rich: Set<number>;
  /** What the events total comes to (at least the minimum every claim's history needs). */
  eventTotal: number;
}

/** How many transition events a claim's path to its status takes. */
export function transitionsOf(status: Status, withdrawnAfterSubmit: boolean): number {
  if (status === 'draft') return 0;
  if (status === 'in_review') return 1;
  if (status === 'withdrawn') return withdrawnAfterSubmit ? 2 : 1;
  return 2; // submit, then request_changes or a decision
}

function minLinks(status: Status, withdrawnAfterSubmit: boolean): number {
  if (status === 'draft') return 0;
  if (status === 'withdrawn') return withdrawnAfterSubmit ? 1 : 0;
  return 1;
}

/** Splits `total` into `parts` shares around the mean (each at least `min`). */
function spread(random: Random, total: number, parts: number, min: number): number[] {
  if (parts === 0) return [];
  const weights = Array.from({ length: parts }, () => 0.3 + random.next() * 1.4);
  const sum = weights.reduce((a, b) => a + b, 0);
  const free = total - min * parts;
  const counts = weights.map((w) => min + Math.floor((free * w) / sum));
  let left = total - counts.reduce((a, b) => a + b, 0);
  while (left > 0) {
    counts[random.int(0, parts - 1)]! += 1;
    left--;
  }
  return counts;
}

/** Plans the data set: report sizes, statuses, link and event counts per claim. */
export function makePlan(random: Random, o: PlanOptions): Plan {
  if (o.reports < 1 || o.claims < o.reports) throw new Error('the data set needs at least one report and one claim per report');
  const bigCount = Math.min(Math.max(1, Math.round(o.reports / 500)), Math.floor((o.claims * 0.2) / BIG_REPORT_CLAIMS), o.reports - 1);
  const bigReports = Array.from({ length: Math.max(0, bigCount) }, (_, i) => Math.floor(((i + 0.5) * o.reports) / Math.max(1, bigCount)));
  const bigSet = new Set(bigReports);
  const rest = spread(random, o.claims - bigReports.length * BIG_REPORT_CLAIMS, o.reports - bigReports.length, 1);
  const claimsPerReport = Array.from({ length: o.reports }, (_, i) => (bigSet.has(i) ? BIG_REPORT_CLAIMS : rest.shift()!));

  const status: Status[] = [];
  for (const s of STATUSES) for (let i = Math.round(o.claims * STATUS_SHARE[s]); i > 0; i--) status.push(s);
  while (status.length < o.claims) status.push('draft');
  status.length = o.claims;
  random.shuffle(status);

  const withdrawnAfterSubmit = new Uint8Array(o.claims);
  const assigned = new Uint8Array(o.claims);
  for (let i = 0; i < o.claims; i++) {
    if (status[i] === 'withdrawn' && random.chance(0.3)) withdrawnAfterSubmit[i] = 1;
    if (status[i] === 'in_review' && random.chance(0.05)) assigned[i] = 1;
    if (DECIDED.includes(status[i]!) && random.chance(0.1)) assigned[i] = 1;
  }

  // Rich claims: verified, in ordinary reports.
  const reportOf = new Uint32Array(o.claims);
  let at = 0;
  claimsPerReport.forEach((n, r) => reportOf.fill(r, at, (at += n)));
  const richWanted = o.claims >= 200 ? 10 : o.claims >= 20 ? 1 : 0;
  const rich = new Set<number>();
  for (let i = 0; i < o.claims && rich.size < richWanted; i++) {
    const c = (i * 7919) % o.claims;
    if (status[c] === 'verified' && !bigSet.has(reportOf[c]!)) rich.add(c);
  }

  const links = new Uint8Array(o.claims);
  let linkTotal = 0;
  for (let i = 0; i < o.claims; i++) {
    links[i] = rich.has(i) ? RICH_LINKS : minLinks(status[i]!, withdrawnAfterSubmit[i] === 1);
    linkTotal += links[i]!;
  }
  for (let guard = 0; linkTotal < o.evidenceLinks && guard < o.evidenceLinks * 20; guard++) {
    const c = random.int(0, o.claims - 1);
    if (rich.has(c) || links[c]! >= MAX_LINKS) continue;
    links[c]! += 1;
    linkTotal++;
  }

  const edits = new Uint8Array(o.claims);
  let eventTotal = 0;
  for (let i = 0; i < o.claims; i++) {
    if (rich.has(i)) {
      eventTotal += RICH_EVENTS;
      continue;
    }
    eventTotal += 1 + links[i]! + transitionsOf(status[i]!, withdrawnAfterSubmit[i] === 1) + assigned[i]!;
  }
  for (let guard = 0; eventTotal < o.events && guard < o.events * 20; guard++) {
    const c = random.int(0, o.claims - 1);
    if (rich.has(c) || edits[c]! >= MAX_EDITS) continue;
    edits[c]! += 1;
    eventTotal++;
  }
  return { claimsPerReport, bigReports, status, links, edits, assigned, withdrawnAfterSubmit, rich, eventTotal };
}
