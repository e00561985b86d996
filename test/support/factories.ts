/**
 * Factories: records made through the app's own commands (createReport,
 * logClaim, linkEvidence, transitionClaim…), never by INSERTs of their own,
 * so each record passes the same checks and has the same history as one a
 * person made. A new table gets a factory that calls its command.
 */
import type { Db } from '../../server/platform/database.ts';
import { ROLES, type Role } from '../../server/platform/policies.ts';
import { hashPassword } from '../../server/accounts/passwords.ts';
import { insertUser, updateUser, type User } from '../../server/accounts/users.repo.ts';

/** The password every factory-made account signs in with. */
export const TEST_PASSWORD = 'a long test password nobody uses';

let sharedHash: Promise<string> | undefined;
let sequence = 0;

/** An account of the given role (and enabled unless told otherwise). */
export async function makeUser(db: Db, props: Partial<{ role: Role; email: string; displayName: string; disabled: boolean }> = {}): Promise<User> {
  // One scrypt per test process: factories are not what tests of hashing look at.
  sharedHash ??= hashPassword(TEST_PASSWORD);
  sequence += 1;
  const role = props.role ?? 'editor';
  const user = await insertUser(db, {
    email: props.email ?? `${role}${sequence}.${process.pid}@desk.test`,
    displayName: props.displayName ?? `${role[0]!.toUpperCase()}${role.slice(1)} ${sequence}`,
    role,
    passwordHash: await sharedHash,
  });
  if (props.disabled) await updateUser(db, user.id, { disabled: true });
  return { ...user, disabled: props.disabled ?? false };
}

/** A person of a test desk, by name: a role, or a role and a number for one more of it ('reviewer2'). */
export type DeskName = Role | `${Role}${number}`;

/**
 * A desk of named people in one line, each an account of the role its name
 * starts with, made in the order given:
 * `const { editor, reviewer, reviewer2 } = await makeDesk(db, ['editor', 'reviewer', 'reviewer2'])`.
 */
export async function makeDesk<const N extends DeskName>(db: Db, names: readonly N[]): Promise<Record<N, User>> {
  const desk = {} as Record<N, User>;
  for (const name of names) desk[name] = await makeUser(db, { role: ROLES.find((role) => name.startsWith(role))! });
  return desk;
}

/** A report with the given text, imported by the user (through the same command the app uses). */
export async function makeReport(db: Db, user: User, props: Partial<{ title: string; body: string; url: string | null; outlet: string | null }> = {}): Promise<number> {
  const { createReport } = await import('../../server/reports/reports.commands.ts');
  return createReport(db, user, {
    title: props.title ?? `Report ${++sequence}`,
    outlet: props.outlet ?? 'The Daily Test',
    byline: null,
    url: props.url ?? 'https://news.example/story',
    publishedOn: '2025-11-20',
    body: props.body ?? 'The minister said the bridge opened in 2019. Critics said it opened in 2021.\n\nA second paragraph follows.',
  });
}

/** A claim logged on a report by quote (the command checks the quote is in the text). */
export async function makeClaim(
  db: Db,
  user: User,
  reportId: number,
  props: Partial<{ quote: string; statement: string; claimant: string | null; kind: 'factual' | 'attributed' | 'direct_quote' | 'prediction' | 'opinion'; tags: string[]; priority: number }> = {},
): Promise<number> {
  const { logClaim } = await import('../../server/claims/claims.commands.ts');
  return logClaim(db, user, reportId, {
    quote: props.quote ?? 'the bridge opened in 2019',
    quotePrefix: '',
    quoteSuffix: '',
    quoteStart: null,
    quoteEnd: null,
    statement: props.statement ?? 'The bridge opened in 2019.',
    claimant: props.claimant === undefined ? 'The minister' : props.claimant,
    kind: props.kind ?? 'factual',
    tags: props.tags ?? [],
    priority: props.priority ?? 1,
  });
}

/** A source in the library. */
export async function makeSource(db: Db, user: User, props: Partial<{ title: string; url: string | null; publisher: string | null; outlet: string | null; reliability: 'A' | 'B' | 'C' | 'D' | 'E' | 'F' }> = {}): Promise<number> {
  const { createSource } = await import('../../server/sources/sources.commands.ts');
  sequence += 1;
  return createSource(db, user, {
    kind: 'web_page',
    title: props.title ?? `Source ${sequence}`,
    // A site of its own for each source: one outlet each (server/sources/outlets.ts).
    url: props.url === undefined ? `https://source-${process.pid}-${sequence}.example/story` : props.url,
    publisher: props.publisher === undefined ? `Publisher ${sequence}` : props.publisher,
    outlet: props.outlet ?? null,
    author: null,
    publishedOn: null,
    accessedOn: null,
    archiveUrl: null,
    reliability: props.reliability ?? 'B',
    notes: null,
  });
}

/** Links a source to a claim (creating a source when none is given). */
export async function makeEvidence(
  db: Db,
  user: User,
  claimId: number,
  props: Partial<{ sourceId: number; relation: 'origin' | 'supports' | 'contradicts' | 'context'; credibility: 1 | 2 | 3 | 4 | 5 | 6; reliability: 'A' | 'B' | 'C' | 'D' | 'E' | 'F' }> = {},
): Promise<number> {
  const { linkLibrarySource } = await import('../../server/sources/evidence.commands.ts');
  const sourceId = props.sourceId ?? (await makeSource(db, user, { reliability: props.reliability ?? 'B' }));
  return linkLibrarySource(db, user, claimId, { sourceId, relation: props.relation ?? 'supports', credibility: props.credibility ?? 2, excerpt: 'An excerpt.' });
}

/**
 * A claim brought to a status the way the desk would: logged by `author`,
 * given supporting evidence, submitted, and decided by `reviewer` where the
 * status needs a decision. Every step is a real command with its events.
 */
export async function makeClaimIn(
  db: Db,
  status: 'draft' | 'in_review' | 'changes_requested' | 'verified' | 'refuted' | 'unverifiable' | 'withdrawn',
  people: { author: User; reviewer?: User; reportId?: number },
): Promise<number> {
  const { transitionClaim } = await import('../../server/review/transitions.ts');
  const { author } = people;
  const reportId = people.reportId ?? (await makeReport(db, author));
  const claimId = await makeClaim(db, author, reportId);
  if (status === 'draft') return claimId;
  await makeEvidence(db, author, claimId, { relation: 'supports' });
  if (status === 'refuted') await makeEvidence(db, author, claimId, { relation: 'contradicts' });
  const version = async () => ((await db('claims').where({ id: claimId }).first('version')) as { version: number }).version;
  const step = async (actor: User, action: Parameters<typeof transitionClaim>[1]['action'], comment: string | null = null, confidence: 'high' | 'moderate' | 'low' | null = null) =>
    transitionClaim(db, { actor, claimId, action, version: await version(), comment, confidence });
  if (status === 'withdrawn') {
    await step(author, 'withdraw');
    return claimId;
  }
  await step(author, 'submit');
  if (status === 'in_review') return claimId;
  const reviewer = people.reviewer ?? (await makeUser(db, { role: 'reviewer' }));
  if (status === 'changes_requested') await step(reviewer, 'request_changes', 'Please add the origin.');
  if (status === 'verified') await step(reviewer, 'verify', 'Confirmed by the records.', 'high');
  if (status === 'refuted') await step(reviewer, 'refute', 'The records say otherwise.', 'moderate');
  if (status === 'unverifiable') await step(reviewer, 'mark_unverifiable', 'No record either way.', 'low');
  return claimId;
}

/**
 * Runs `work` in one transaction with the database's guards on decisions
 * held off (a claim is born a draft; a transition event needs its change of
 * status), as a restore loads its rows: for set-ups that bulk-insert claims
 * already decided. Only the tables' owner can; nobody else sees them off.
 */
export async function withDecisionGuardsOff<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    await trx.raw('ALTER TABLE claims DISABLE TRIGGER claims_guard');
    await trx.raw('ALTER TABLE claims DISABLE TRIGGER claims_label_guard');
    await trx.raw('ALTER TABLE claims DISABLE TRIGGER claims_recheck_guard');
    await trx.raw('ALTER TABLE claim_events DISABLE TRIGGER claim_events_guard');
    const result = await work(trx);
    await trx.raw('ALTER TABLE claims ENABLE TRIGGER claims_guard');
    await trx.raw('ALTER TABLE claims ENABLE TRIGGER claims_label_guard');
    await trx.raw('ALTER TABLE claims ENABLE TRIGGER claims_recheck_guard');
    await trx.raw('ALTER TABLE claim_events ENABLE TRIGGER claim_events_guard');
    return result;
  });
}
