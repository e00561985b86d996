// One planned claim made into rows: the claim, its evidence links, its
// history (created, evidence linked, edits, transitions, assignment) and
// comments, consistent with each other and with the database's rules.
import type { Cell } from './bulk.ts';
import { arrayLiteral } from './bulk.ts';
import { RICH_EVENTS, RICH_LINKS, type Status } from './gen-plan.ts';
import { clip, type Random, type Statement } from './gen-text.ts';

export interface People {
  editors: number[];
  reviewers: number[];
  admins: number[];
}

export interface SourceRef {
  id: number;
  title: string;
  reliability: string;
}

/** What every claim draws on, and the next free ids (advanced as rows are made). */
export interface ClaimContext {
  random: Random;
  people: People;
  sources: SourceRef[];
  now: number;
  next: { link: number; event: number; comment: number };
}

export interface ClaimSpec {
  id: number;
  reportId: number;
  createdMs: number;
  statement: Statement;
  anchor: { quote: string; prefix: string; suffix: string; start: number; end: number };
  status: Status;
  links: number;
  edits: number;
  assigned: boolean;
  withdrawnAfterSubmit: boolean;
  rich: boolean;
}

export interface ClaimRows {
  claim: Cell[];
  links: Cell[][];
  events: Cell[][];
  comments: Cell[][];
}

export const CLAIM_COLUMNS = [
  ['id', 'int'], ['report_id', 'int'], ['statement', 'text'], ['quote', 'text'], ['quote_prefix', 'text'], ['quote_suffix', 'text'],
  ['quote_start', 'int'], ['quote_end', 'int'], ['claimant', 'text'], ['kind', 'text'], ['tags', 'text[]'], ['priority', 'smallint'],
  ['confidence', 'text'], ['status', 'text'], ['rationale', 'text'], ['assignee_id', 'int'], ['authors', 'int[]'], ['created_by', 'int'],
  ['created_at', 'timestamptz'], ['edited_by', 'int'], ['edited_at', 'timestamptz'], ['submitted_at', 'timestamptz'],
  ['status_changed_by', 'int'], ['status_changed_at', 'timestamptz'], ['decided_by', 'int'], ['decided_at', 'timestamptz'], ['version', 'int'],
] as const;
export const LINK_COLUMNS = [
  ['id', 'int'], ['claim_id', 'int'], ['source_id', 'int'], ['relation', 'text'], ['excerpt', 'text'], ['locator', 'text'],
  ['credibility', 'smallint'], ['note', 'text'], ['created_by', 'int'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
] as const;
export const EVENT_COLUMNS = [
  ['id', 'bigint'], ['claim_id', 'int'], ['actor_id', 'int'], ['type', 'text'], ['action', 'text'], ['from_status', 'text'],
  ['to_status', 'text'], ['comment', 'text'], ['data', 'jsonb'], ['created_at', 'timestamptz'],
] as const;
export const COMMENT_COLUMNS = [['id', 'int'], ['claim_id', 'int'], ['author_id', 'int'], ['body', 'text'], ['created_at', 'timestamptz']] as const;

const KIND_SHARE = { factual: 35, attributed: 30, direct_quote: 15, prediction: 10, opinion: 10 } as const;
const PRIORITY_SHARE = { 0: 15, 1: 55, 2: 22, 3: 8 } as const;
const CONFIDENCE_SHARE = { high: 40, moderate: 40, low: 20 } as const;
const RELATION_SHARE = { origin: 15, supports: 40, contradicts: 20, context: 25 } as const;
const CREDIBILITY_SHARE = { 1: 15, 2: 30, 3: 25, 4: 12, 5: 6, 6: 12 } as const;
const DECISION: Record<string, string> = { verified: 'verify', refuted: 'refute', unverifiable: 'mark_unverifiable' };
/** A rich claim's history: created, 10 links, 7 edits, submit, request changes, 7 edits, resubmit, assigned, verify = 30. */
const RICH_EDITS_BEFORE = 7;
const RICH_EDITS_AFTER = 7;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const iso = (ms: number): string => new Date(ms).toISOString();

/** Someone who may decide a claim: a reviewer or admin who is not one of its authors. */
function decider(ctx: ClaimContext, authors: number[]): number {
  const pool = [...ctx.people.reviewers, ...ctx.people.admins];
  for (;;) {
    const id = ctx.random.pick(pool);
    if (!authors.includes(id)) return id;
  }
}

function creatorOf(ctx: ClaimContext): number {
  const r = ctx.random.next();
  if (r < 0.8 || ctx.people.reviewers.length === 0) return ctx.random.pick(ctx.people.editors);
  if (r < 0.98 || ctx.people.admins.length === 0) return ctx.random.pick(ctx.people.reviewers);
  return ctx.random.pick(ctx.people.admins);
}

/** The claim's evidence: distinct sources, a supporting one first (a contradicting one for refuted claims). */
function pickLinks(ctx: ClaimContext, spec: ClaimSpec): { source: SourceRef; relation: string }[] {
  const { random, sources } = ctx;
  const popular = Math.max(1, Math.floor(sources.length * 0.02));
  const used = new Set<number>();
  const out: { source: SourceRef; relation: string }[] = [];
  let origin = false;
  while (out.length < spec.links) {
    const index = random.chance(0.3) ? random.int(0, popular - 1) : random.int(0, sources.length - 1);
    if (used.has(index)) continue;
    used.add(index);
    let relation: string = random.weighted(RELATION_SHARE);
    if (out.length === 0 && spec.status !== 'draft') relation = spec.status === 'refuted' ? 'contradicts' : 'supports';
    if (relation === 'origin' && origin) relation = 'supports';
    if (relation === 'origin') origin = true;
    out.push({ source: sources[index]!, relation });
  }
  return out;
}

/** Builds one claim's rows. Event ids rise in the order things happened, as the app writes them. */
export function claimRows(ctx: ClaimContext, spec: ClaimSpec): ClaimRows {
  const { random } = ctx;
  const creator = creatorOf(ctx);
  const authors = [creator];
  const kind = spec.statement.claimant ? random.weighted(KIND_SHARE) : 'factual';
  const priority = Number(random.weighted(PRIORITY_SHARE));
  const decided = spec.status === 'verified' || spec.status === 'refuted' || spec.status === 'unverifiable';
  const events: Cell[][] = [];
  const links: Cell[][] = [];
  const comments: Cell[][] = [];
  let t = spec.createdMs;
  const step = () => (t += random.int(MINUTE, 2 * HOUR));
  const event = (actor: number, type: string, at: number, fields: { action?: string; from?: Status; to?: Status; comment?: string | null; data?: object } = {}) =>
    events.push([ctx.next.event++, spec.id, actor, type, fields.action ?? null, fields.from ?? null, fields.to ?? null, fields.comment ?? null, JSON.stringify(fields.data ?? {}), iso(at)]);

  event(creator, 'created', t, { to: 'draft', data: { statement: spec.statement.text, quote: spec.anchor.quote, claimant: spec.statement.claimant, kind } });

  for (const { source, relation } of pickLinks(ctx, spec)) {
    const at = step();
    const linkId = ctx.next.link++;
    const credibility = Number(random.weighted(CREDIBILITY_SHARE));
    const excerpt = random.chance(0.7) ? clip(spec.statement.justification || spec.statement.text, random.int(80, 300)) : null;
    links.push([linkId, spec.id, source.id, relation, excerpt, random.chance(0.5) ? `para. ${random.int(1, 40)}` : null, credibility, random.chance(0.1) ? 'Checked against the original document.' : null, creator, iso(at), iso(at)]);
    event(creator, 'evidence_linked', at, { data: { linkId, sourceId: source.id, sourceTitle: source.title, relation, reliability: source.reliability, credibility } });
  }

  // Edits while the claim was a draft (the rich claims also edit while changes were requested).
  let editedBy: number | null = null;
  let editedAt: number | null = null;
  let version = 1;
  let previousPriority = (priority + 1) % 4;
  const edit = (count: number, finalBatch: boolean, coAuthor: number | null) => {
    for (let k = 0; k < count; k++) {
      const at = step();
      const last = finalBatch && k === count - 1;
      const to = last ? priority : random.int(0, 3);
      const actor = last && coAuthor !== null ? coAuthor : creator;
      const changes = last && coAuthor !== null ? { statement: { from: `${spec.statement.text} (draft)`, to: spec.statement.text } } : { priority: { from: previousPriority, to } };
      previousPriority = to;
      event(actor, 'edited', at, { data: { changes } });
      editedBy = actor;
      editedAt = at;
      version++;
    }
  };
  const coAuthor = spec.edits > 0 && ctx.people.editors.length > 1 && random.chance(0.2) ? ctx.random.pick(ctx.people.editors.filter((e) => e !== creator)) : null;
  if (coAuthor !== null) authors.push(coAuthor);
  edit(spec.rich ? RICH_EDITS_BEFORE : spec.edits, !spec.rich, spec.rich ? null : coAuthor);

  let submittedAt: number | null = null;
  let changedBy: number | null = null;
  let changedAt: number | null = null;
  let decidedBy: number | null = null;
  let decidedAt: number | null = null;
  let assignee: number | null = null;
  let rationale: string | null = null;
  let confidence: string | null = random.chance(0.3) ? random.weighted(CONFIDENCE_SHARE) : null;
  const transition = (actor: number, action: string, from: Status, to: Status, at: number, comment: string | null = null, data: object = {}) => {
    event(actor, 'transition', at, { action, from, to, comment, data });
    changedBy = actor;
    changedAt = at;
    version++;
    if (to === 'in_review') submittedAt = at;
  };

  const status = spec.status;
  if (status === 'in_review') {
    // The queue: submitted over the last four days, a few within the hour.
    const at = Math.max(t + MINUTE, ctx.now - random.int(MINUTE, 4 * DAY));
    transition(creator, 'submit', 'draft', 'in_review', at);
    if (spec.assigned) {
      assignee = decider(ctx, authors);
      event(assignee, 'assigned', Math.min(ctx.now, at + random.int(MINUTE, HOUR)), { data: { assigneeId: assignee, assigneeName: null, self: true } });
    }
  } else if (status === 'changes_requested') {
    transition(creator, 'submit', 'draft', 'in_review', step());
    transition(decider(ctx, authors), 'request_changes', 'in_review', 'changes_requested', step(), 'Please link the origin of this claim and say where the figure comes from.');
  } else if (status === 'withdrawn') {
    if (spec.withdrawnAfterSubmit) transition(creator, 'submit', 'draft', 'in_review', step());
    transition(creator, 'withdraw', spec.withdrawnAfterSubmit ? 'in_review' : 'draft', 'withdrawn', step(), random.chance(0.5) ? 'Dropped from the story.' : null);
  } else if (decided) {
    const reviewer = decider(ctx, authors);
    transition(creator, 'submit', 'draft', 'in_review', step());
    if (spec.rich) {
      transition(reviewer, 'request_changes', 'in_review', 'changes_requested', step(), 'Add the primary source, please.');
      edit(RICH_EDITS_AFTER, true, null);
      transition(creator, 'resubmit', 'changes_requested', 'in_review', step(), 'Primary source added.');
    }
    if (spec.assigned || spec.rich) {
      assignee = reviewer;
      event(reviewer, 'assigned', step(), { data: { assigneeId: reviewer, assigneeName: null, self: true } });
    }
    confidence = random.weighted(CONFIDENCE_SHARE);
    rationale = clip(spec.statement.justification || 'Checked against the records.', 1000) || 'Checked against the records.';
    const at = Math.min(step() + random.int(10 * MINUTE, 3 * DAY), ctx.now - MINUTE);
    t = Math.max(t, at);
    transition(reviewer, DECISION[status]!, 'in_review', status, at, rationale, { confidence });
    decidedBy = reviewer;
    decidedAt = at;
  }

  const commentCount = spec.rich ? 3 : random.chance(0.03) ? 1 : 0;
  for (let k = 0; k < commentCount; k++) {
    comments.push([ctx.next.comment++, spec.id, k % 2 === 0 ? creator : ctx.random.pick(ctx.people.reviewers), `Note ${k + 1}: ${clip(spec.statement.justification || spec.statement.text, 200)}`, iso(spec.createdMs + (k + 1) * HOUR)]);
  }

  const claim: Cell[] = [
    spec.id, spec.reportId, spec.statement.text, spec.anchor.quote, spec.anchor.prefix, spec.anchor.suffix, spec.anchor.start, spec.anchor.end,
    spec.statement.claimant, kind, arrayLiteral(spec.statement.topics), priority, confidence, status, rationale, assignee, arrayLiteral(authors),
    creator, iso(spec.createdMs), editedBy, editedAt === null ? null : iso(editedAt), submittedAt === null ? null : iso(submittedAt),
    changedBy, changedAt === null ? null : iso(changedAt), decidedBy, decidedAt === null ? null : iso(decidedAt), version,
  ];
  if (spec.rich && (links.length !== RICH_LINKS || events.length !== RICH_EVENTS)) {
    throw new Error(`rich claim ${spec.id} has ${links.length} links and ${events.length} events`);
  }
  return { claim, links, events, comments };
}
