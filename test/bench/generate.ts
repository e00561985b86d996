// The benchmark data set: users, sources, reports with claims anchored in
// their text, evidence links and the claims' full history, loaded in bulk.
// Importing this module does nothing; call generateDataset().
import type { Knex } from 'knex';
import { hashPassword } from '../../server/accounts/passwords.ts';
import { insertRows, restartIdentity, maxId, withDecisionGuardsOff, withTransaction, type Cell } from './bulk.ts';
import { claimRows, CLAIM_COLUMNS, COMMENT_COLUMNS, EVENT_COLUMNS, LINK_COLUMNS, type ClaimContext, type People, type SourceRef } from './gen-claim.ts';
import { makePlan, STATUSES, type Status } from './gen-plan.ts';
import { buildBody, clip, FIRST_NAMES, LAST_NAMES, loadCorpus, OUTLETS, pickStatements, PUBLISHERS_A, PUBLISHERS_B, Random, searchableWords, type Statement } from './gen-text.ts';

export { checkDataset } from './gen-check.ts';

/** Every bench account signs in with this password. */
export const BENCH_PASSWORD = 'factdesk bench password, not for real use';

export interface GenerateOptions {
  reports: number;
  claims: number;
  sources: number;
  evidenceLinks: number;
  events: number;
  users: number;
  seed?: number;
  log?: (line: string) => void;
}

/** The full-scale data set of the benchmark. */
export const FULL_SCALE = { reports: 5000, claims: 100_000, sources: 50_000, evidenceLinks: 250_000, events: 500_000, users: 20 } as const;

/** FULL_SCALE times `scale` (users stay 20: the queue scenario needs its reviewers). */
export function scaledOptions(scale: number): Omit<GenerateOptions, 'log' | 'seed'> {
  const n = (full: number, min: number) => Math.max(min, Math.round(full * scale));
  return {
    reports: n(FULL_SCALE.reports, 2),
    claims: n(FULL_SCALE.claims, 40),
    sources: n(FULL_SCALE.sources, 20),
    evidenceLinks: n(FULL_SCALE.evidenceLinks, 60),
    events: n(FULL_SCALE.events, 100),
    users: FULL_SCALE.users,
  };
}

/** What the benchmark needs to know about the data it got. */
export interface GeneratedInfo {
  password: string;
  users: { admin: string[]; reviewer: string[]; editor: string[] };
  /** A report with the most claims (300 at any scale with 1,500+ claims). */
  bigReportId: number;
  bigReportClaims: number;
  /** Claims with exactly 10 evidence links and 30 events. */
  richClaimIds: number[];
  commonWord: { word: string; matches: number };
  rareWord: { word: string; matches: number };
  /** The tag most verified claims carry. */
  commonTag: { tag: string; verified: number; inReview: number };
  counts: { users: number; reports: number; claims: number; sources: number; evidenceLinks: number; events: number; comments: number; byStatus: Record<Status, number> };
  textSource: 'liar-plus' | 'generated';
  seconds: number;
}

const DAY = 86_400_000;
const SOURCE_KIND_SHARE = { web_page: 45, document: 15, interview: 8, dataset: 8, social_post: 10, prior_fact_check: 8, other: 6 } as const;
const RELIABILITY_SHARE = { A: 10, B: 30, C: 30, D: 12, E: 5, F: 13 } as const;
const CLAIMS_PER_CHUNK = 5000;

const iso = (ms: number) => new Date(ms).toISOString();
const day = (ms: number) => iso(ms).slice(0, 10);
const slug = (text: string, words: number) => text.toLowerCase().match(/[a-z0-9]+/g)?.slice(0, words).join('-') || 'item';

/** Generates and loads the data set, then VACUUMs and ANALYZEs it; returns what the benchmark needs. */
export async function generateDataset(db: Knex, options: GenerateOptions): Promise<GeneratedInfo> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const random = new Random(options.seed ?? 20261124);
  const corpus = loadCorpus(random);
  const plan = makePlan(random, options);
  const now = Date.now();
  log(`planned ${options.reports} reports, ${options.claims} claims, ${options.evidenceLinks} links, ${plan.eventTotal} events (text: ${corpus.origin}, ${corpus.statements.length} statements)`);
  const passwordHash = await hashPassword(BENCH_PASSWORD);

  const start = await withTransaction(db, async (conn) => {
    const tables = ['users', 'reports', 'report_revisions', 'sources', 'claims', 'evidence_links', 'claim_events', 'comments'] as const;
    const next = {} as Record<(typeof tables)[number], number>;
    for (const t of tables) next[t] = (await maxId(conn, t)) + 1;
    return next;
  });

  const people = await insertUsers(db, options.users, start.users, passwordHash, now);
  log(`users: ${people.all.length}`);
  const sources = await insertSources(db, random, corpus.statements, options.sources, start.sources, people.all.map((u) => u.id), now);
  log(`sources: ${sources.length} (${Math.round((Date.now() - started) / 1000)} s)`);

  const ctx: ClaimContext = { random, people: people.byRole, sources, now, next: { link: start.evidence_links, event: start.claim_events, comment: start.comments } };
  const usage = new Uint32Array(corpus.statements.length);
  const tagCounts = new Map<string, { verified: number; inReview: number }>();
  let claimIndex = 0;
  let reportIndex = 0;
  while (reportIndex < options.reports) {
    const reports: Cell[][] = [];
    const revisions: Cell[][] = [];
    const claims: Cell[][] = [];
    const links: Cell[][] = [];
    const events: Cell[][] = [];
    const comments: Cell[][] = [];
    while (reportIndex < options.reports && (claims.length < CLAIMS_PER_CHUNK || reports.length === 0)) {
      const n = plan.claimsPerReport[reportIndex]!;
      const reportId = start.reports + reportIndex;
      const importer = random.pick(people.byRole.editors);
      const createdMs = now - 730 * DAY + Math.floor((reportIndex * 720 * DAY) / options.reports) + random.int(0, DAY / 2);
      const chosen = pickStatements(random, corpus.statements.length, n);
      const { body, anchors } = buildBody(random, corpus.statements, chosen);
      const first = corpus.statements[chosen[0]!]!;
      const outlet = random.pick(OUTLETS);
      const title = clip(`${(first.topics[0] ?? 'news').replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase())}: ${first.text}`, 200);
      reports.push([reportId, title, outlet, `By ${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`, `https://${slug(outlet, 4)}.example/${day(createdMs).slice(0, 7).replace('-', '/')}/report-${reportId}`, day(createdMs), body, importer, iso(createdMs), iso(createdMs)]);
      revisions.push([start.report_revisions + reportIndex, reportId, 1, body, 'Imported', importer, iso(createdMs)]);
      for (let k = 0; k < n; k++, claimIndex++) {
        const statement = corpus.statements[chosen[k]!]!;
        usage[chosen[k]!]! += 1;
        const status = plan.status[claimIndex]!;
        const rows = claimRows(ctx, {
          id: start.claims + claimIndex,
          reportId,
          createdMs: createdMs + random.int(60_000, 3 * DAY),
          statement,
          anchor: anchors[k]!,
          status,
          links: plan.links[claimIndex]!,
          edits: plan.edits[claimIndex]!,
          assigned: plan.assigned[claimIndex] === 1,
          withdrawnAfterSubmit: plan.withdrawnAfterSubmit[claimIndex] === 1,
          rich: plan.rich.has(claimIndex),
        });
        claims.push(rows.claim);
        links.push(...rows.links);
        events.push(...rows.events);
        comments.push(...rows.comments);
        for (const tag of statement.topics) {
          const c = tagCounts.get(tag) ?? { verified: 0, inReview: 0 };
          if (status === 'verified') c.verified++;
          if (status === 'in_review') c.inReview++;
          tagCounts.set(tag, c);
        }
      }
      reportIndex++;
    }
    await withTransaction(db, (conn) => withDecisionGuardsOff(conn, async () => {
      await insertRows(conn, 'reports', REPORT_COLUMNS, reports, { overriding: true, maxRows: 1000 });
      await insertRows(conn, 'report_revisions', REVISION_COLUMNS, revisions, { overriding: true, maxRows: 1000 });
      await insertRows(conn, 'claims', CLAIM_COLUMNS, claims, { overriding: true });
      await insertRows(conn, 'evidence_links', LINK_COLUMNS, links, { overriding: true });
      await insertRows(conn, 'claim_events', EVENT_COLUMNS, events, { overriding: true });
      await insertRows(conn, 'comments', COMMENT_COLUMNS, comments, { overriding: true });
    }));
    log(`reports ${reportIndex}/${options.reports}, claims ${claimIndex}/${options.claims} (${Math.round((Date.now() - started) / 1000)} s)`);
  }

  await withTransaction(db, async (conn) => {
    for (const table of ['users', 'reports', 'report_revisions', 'sources', 'claims', 'evidence_links', 'claim_events', 'comments']) await restartIdentity(conn, table);
  });
  // Every decided claim gets a verdict label of its status (one in three refuted claims the second one),
  // and one decided claim in five a day it was true as of and a day to check it again, spread over
  // 90 days before and after today: the dashboard, the lists and the re-check list show them.
  await withTransaction(db, (conn) =>
    withDecisionGuardsOff(conn, async () => {
      await conn.query(`
        UPDATE claims c SET verdict_label_id = (
          SELECT l.id FROM verdict_labels l WHERE l.status = c.status ORDER BY l.position OFFSET CASE WHEN c.status = 'refuted' AND c.id % 3 = 0 THEN 1 ELSE 0 END LIMIT 1)
         WHERE c.status IN ('verified', 'refuted', 'unverifiable')`);
      await conn.query(`
        UPDATE claims SET true_as_of = decided_at::date, recheck_by = current_date + (id % 181 - 90)
         WHERE status IN ('verified', 'refuted', 'unverifiable') AND id % 5 = 0`);
    }),
  );
  // VACUUM as well as ANALYZE: a live database's tables have been vacuumed by
  // autovacuum (visibility map set, hint bits written); a fresh bulk load has not,
  // and autovacuum would otherwise start at a random moment of the benchmark.
  await db.raw('VACUUM (ANALYZE)');
  log(`loaded and analysed in ${Math.round((Date.now() - started) / 1000)} s`);

  const words = await chooseSearchWords(db, corpus.statements, usage, options.claims);
  const [commonTag, tagCounts2] = [...tagCounts.entries()].sort((a, b) => b[1].verified - a[1].verified)[0] ?? ['none', { verified: 0, inReview: 0 }];
  const counts = await countRows(db);
  const bigIndex = plan.bigReports[0] ?? plan.claimsPerReport.indexOf(Math.max(...plan.claimsPerReport));
  return {
    password: BENCH_PASSWORD,
    users: {
      admin: people.all.filter((u) => u.role === 'admin').map((u) => u.email),
      reviewer: people.all.filter((u) => u.role === 'reviewer').map((u) => u.email),
      editor: people.all.filter((u) => u.role === 'editor').map((u) => u.email),
    },
    bigReportId: start.reports + bigIndex,
    bigReportClaims: plan.claimsPerReport[bigIndex]!,
    richClaimIds: [...plan.rich].sort((a, b) => a - b).map((i) => start.claims + i),
    ...words,
    commonTag: { tag: commonTag, ...tagCounts2 },
    counts,
    textSource: corpus.origin,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}

const USER_COLUMNS = [['id', 'int'], ['email', 'text'], ['display_name', 'text'], ['password_hash', 'text'], ['role', 'text'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz']] as const;
const SOURCE_COLUMNS = [
  ['id', 'int'], ['kind', 'text'], ['title', 'text'], ['url', 'text'], ['url_normalized', 'text'], ['publisher', 'text'], ['author', 'text'],
  ['published_on', 'date'], ['accessed_on', 'date'], ['archive_url', 'text'], ['reliability', 'char'], ['notes', 'text'], ['created_by', 'int'],
  ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
] as const;
const REPORT_COLUMNS = [
  ['id', 'int'], ['title', 'text'], ['outlet', 'text'], ['byline', 'text'], ['url', 'text'], ['published_on', 'date'], ['body', 'text'],
  ['imported_by', 'int'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
] as const;
const REVISION_COLUMNS = [['id', 'int'], ['report_id', 'int'], ['revision', 'int'], ['body', 'text'], ['note', 'text'], ['created_by', 'int'], ['created_at', 'timestamptz']] as const;

type BenchUser = { id: number; email: string; role: 'admin' | 'reviewer' | 'editor' };

/** One admin, at least 12 reviewers, the rest editors; one password hash for all. */
async function insertUsers(db: Knex, total: number, firstId: number, passwordHash: string, now: number): Promise<{ all: BenchUser[]; byRole: People }> {
  const reviewers = Math.max(12, Math.round((total - 1) * 0.6));
  const editors = Math.max(1, total - 1 - reviewers);
  const roles: BenchUser['role'][] = ['admin', ...Array<BenchUser['role']>(reviewers).fill('reviewer'), ...Array<BenchUser['role']>(editors).fill('editor')];
  const all = roles.map((role, i) => {
    const id = firstId + i;
    return { id, role, email: `bench.${role}${String(i).padStart(2, '0')}.u${id}@factdesk.test` };
  });
  const rows: Cell[][] = all.map((u, i) => [u.id, u.email, `${FIRST_NAMES[i % FIRST_NAMES.length]} ${LAST_NAMES[(i * 7) % LAST_NAMES.length]} (${u.role})`, passwordHash, u.role, iso(now - 800 * DAY), iso(now - 800 * DAY)]);
  await withTransaction(db, (conn) => insertRows(conn, 'users', USER_COLUMNS, rows, { overriding: true }));
  const ids = (role: BenchUser['role']) => all.filter((u) => u.role === role).map((u) => u.id);
  return { all, byRole: { admins: ids('admin'), reviewers: ids('reviewer'), editors: ids('editor') } };
}

/** The source library: one source per normalised URL (some without a URL). */
async function insertSources(db: Knex, random: Random, statements: Statement[], count: number, firstId: number, userIds: number[], now: number): Promise<SourceRef[]> {
  const refs: SourceRef[] = [];
  const rows: Cell[][] = [];
  for (let i = 0; i < count; i++) {
    const id = firstId + i;
    const a = random.pick(PUBLISHERS_A);
    const b = random.pick(PUBLISHERS_B);
    const publisher = `${a} ${b}`;
    const kind = random.weighted(SOURCE_KIND_SHARE);
    const st = random.pick(statements);
    const title = kind === 'prior_fact_check' ? clip(`Fact check: ${st.text}`, 200) : clip(st.justification || st.text, random.int(40, 140)) || `Document ${id}`;
    const published = now - random.int(30, 3000) * DAY;
    const url = random.chance(0.92) ? `https://${slug(publisher, 3)}.example/${day(published).slice(0, 7).replace('-', '/')}/${slug(title, 6)}-${id}` : null;
    const reliability = random.weighted(RELIABILITY_SHARE);
    refs.push({ id, title, reliability });
    rows.push([
      id, kind, title, url, url, publisher, random.chance(0.5) ? `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}` : null, day(published),
      day(Math.min(now, published + random.int(1, 400) * DAY)), url && random.chance(0.15) ? `https://archive.example/web/${id}` : null, reliability,
      random.chance(0.05) ? 'Primary data; check the methodology notes.' : null, random.pick(userIds), iso(now - 760 * DAY + random.int(0, 700) * DAY), iso(now - 30 * DAY),
    ]);
  }
  await withTransaction(db, (conn) => insertRows(conn, 'sources', SOURCE_COLUMNS, rows, { overriding: true }));
  return refs;
}

/** A common and a rare search word, with how many claims each matches (asked of the database). */
async function chooseSearchWords(db: Knex, statements: Statement[], usage: Uint32Array, claims: number): Promise<Pick<GeneratedInfo, 'commonWord' | 'rareWord'>> {
  const perWord = new Map<string, { claims: number; statements: number }>();
  statements.forEach((s, i) => {
    for (const w of new Set(searchableWords(s.text))) {
      const entry = perWord.get(w) ?? { claims: 0, statements: 0 };
      entry.claims += usage[i]!;
      entry.statements += 1;
      perWord.set(w, entry);
    }
  });
  const matches = async (word: string) =>
    Number(((await db.raw(`SELECT count(*)::int AS n FROM claims WHERE search @@ websearch_to_tsquery('english', ?)`, [word])) as { rows: { n: number }[] }).rows[0]?.n ?? 0);
  const byClaims = [...perWord.entries()].sort((a, b) => b[1].claims - a[1].claims);
  const common = byClaims[0]?.[0] ?? 'percent';
  const rareCap = Math.max(5, Math.round(claims * 0.001));
  const candidates = byClaims.filter(([w, e]) => e.statements === 1 && e.claims >= 1 && w.length >= 7).reverse();
  let rare = { word: candidates[0]?.[0] ?? common, matches: -1 };
  for (const [word] of candidates.slice(0, 40)) {
    const n = await matches(word);
    if (n >= 1 && n <= rareCap) {
      rare = { word, matches: n };
      break;
    }
  }
  if (rare.matches < 0) rare.matches = await matches(rare.word);
  return { commonWord: { word: common, matches: await matches(common) }, rareWord: rare };
}

async function countRows(db: Knex): Promise<GeneratedInfo['counts']> {
  const one = async (table: string) => Number(((await db.raw(`SELECT count(*)::int AS n FROM ${table}`)) as { rows: { n: number }[] }).rows[0]?.n ?? 0);
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const rows = ((await db.raw('SELECT status, count(*)::int AS n FROM claims GROUP BY status')) as { rows: { status: Status; n: number }[] }).rows;
  for (const r of rows) byStatus[r.status] = r.n;
  return {
    users: await one('users'),
    reports: await one('reports'),
    claims: await one('claims'),
    sources: await one('sources'),
    evidenceLinks: await one('evidence_links'),
    events: await one('claim_events'),
    comments: await one('comments'),
    byStatus,
  };
}
