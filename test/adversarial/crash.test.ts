/* eslint-disable max-lines -- one end-to-end crash-safety run (server, writers, kills, checks) reads best whole */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import knex, { type Knex } from 'knex';
import { hashPassword } from '../../server/accounts/passwords.ts';
import { insertUser, type User } from '../../server/accounts/users.repo.ts';
import { runningEmbeddedUrl } from '../../server/platform/embedded/start.ts';
import { killDatabaseProcesses } from '../support/embedded-processes.ts';
import { assertWorkflowInvariants } from '../support/invariants.ts';
import { startServer, type RunningServer } from '../support/process.ts';

/*
 * Crash safety: the real server process under concurrent writers is killed
 * with SIGKILL mid-load and restarted on the same database; every write it
 * had acknowledged (2xx or 303) must still be there, whole, and the workflow
 * invariants must hold. CRASH_CYCLES, CRASH_LOAD_MS and CRASH_WRITERS size it.
 */

const CYCLES = Number(process.env.CRASH_CYCLES ?? 3);
const LOAD_MS = Number(process.env.CRASH_LOAD_MS ?? 1500);
const WRITERS = Number(process.env.CRASH_WRITERS ?? 8);
const PASSWORD = 'crash test password, long enough';
const SECRET = 'crash-test-session-secret-that-is-longer-than-forty-characters';

const BODY = [
  'The harbour bridge opened in 2019, the minister said on Monday.',
  'Critics said the crossing only carried traffic from 2021 after long delays.',
  'The project cost 40 million euros, the city council said.',
  'Officials expect traffic to double by 2030.',
].join('\n\n');
const QUOTES = ['harbour bridge opened in 2019', 'only carried traffic from 2021', 'cost 40 million euros', 'traffic to double by 2030'];

// ------------------------------------------------- a browser over plain fetch

interface Reply { status: number; location: string | null; text: string }

/** Requests sent and not yet answered, across all browsers: how many the kill cuts off. */
let inFlight = 0;

/** The server went away under the request (killed): the write is not acknowledged. */
class ServerGone extends Error {}

/**
 * A person's browser: keeps its cookies and the session's CSRF token. The
 * server runs with NODE_ENV=production (Secure cookies) behind a pretend TLS
 * proxy: TRUST_PROXY=1 and X-Forwarded-Proto: https on every request.
 */
class Browser {
  private readonly cookies = new Map<string, string>();
  private token: string | null = null;

  constructor(private readonly base: () => string) {}

  async request(method: 'GET' | 'POST', path: string, form?: Record<string, string | number>): Promise<Reply> {
    const headers: Record<string, string> = { 'x-forwarded-proto': 'https', accept: 'text/html' };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(Object.entries(form).map(([k, v]) => [k, String(v)])).toString();
    }
    let res: Response;
    let text: string;
    inFlight += 1;
    try {
      res = await fetch(this.base() + path, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
      text = await res.text();
    } catch (err) {
      throw new ServerGone(`${method} ${path}: ${(err as Error).message}`);
    } finally {
      inFlight -= 1;
    }
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, location: res.headers.get('location'), text };
  }

  private async csrf(): Promise<string> {
    if (this.token) return this.token;
    for (const page of ['/login', '/account']) {
      const res = await this.request('GET', page);
      const m = /name="_csrf" value="([^"]+)"/.exec(res.text);
      if (res.status === 200 && m?.[1]) {
        this.token = m[1];
        return this.token;
      }
    }
    throw new Error('no page offered a CSRF token');
  }

  async post(path: string, form: Record<string, string | number>): Promise<Reply> {
    return this.request('POST', path, { ...form, _csrf: await this.csrf() });
  }

  /** Signs in through the sign-in form, as a person would. */
  async signIn(email: string): Promise<void> {
    const res = await this.post('/login', { email, password: PASSWORD });
    assert.equal(res.status, 303, `sign-in of ${email}: ${res.status}`);
    this.token = null; // a new session has a new token
  }
}

// ------------------------------------------------------ what must be durable

/** Each acknowledged write, with what it should have made durable. */
type Ack =
  | { kind: 'report'; id: number; title: string }
  | { kind: 'claim'; id: number; reportId: number }
  | { kind: 'edit'; claimId: number }
  | { kind: 'evidence'; claimId: number; sourceTitle: string; relation: string }
  | { kind: 'transition'; claimId: number; action: string; to: string; actorId: number }
  | { kind: 'comment'; claimId: number; body: string; authorId: number };

interface Ledger {
  acks: Ack[];
  /** Per claim: the statements sent for it in order, and the index of the last one acknowledged. */
  statements: Map<number, { sent: string[]; acked: number }>;
  /** Responses that were neither the expected success nor a vanished server. */
  unexpected: string[];
  counter: number;
}

const idFrom = (location: string | null, prefix: string): number => {
  const m = new RegExp(`^${prefix}/(\\d+)$`).exec(location ?? '');
  if (!m) throw new Error(`no ${prefix}/:id in ${location}`);
  return Number(m[1]);
};

interface Writer { editor: Browser; editorUser: User; reviewer: Browser; reviewerUser: User }

/**
 * One writer: imports reports, logs claims, edits them, links evidence,
 * comments, submits, and has its reviewer (never an author) verify or
 * refute. Runs until the server is gone; a claim touched by a request
 * left unanswered is abandoned (its version is unknown).
 */
async function write(w: Writer, n: number, ledger: Ledger, stopped: () => boolean): Promise<void> {
  let reportId: number | null = null;
  const expect303 = (res: Reply, what: string): boolean => {
    if (res.status === 303 && res.location !== '/login') return true;
    ledger.unexpected.push(`writer ${n}: ${what} answered ${res.status} ${res.location ?? ''} ${res.text.slice(0, 300).replace(/\s+/g, ' ')}`);
    return false;
  };
  try {
    for (let story = 0; !stopped(); story += 1) {
      const tag = `${n}.${story}.${(ledger.counter += 1)}`;
      if (reportId === null || story % 3 === 0) {
        const title = `Crash report ${tag} ${randomBytes(3).toString('hex')}`;
        const res = await w.editor.post('/reports', { title, outlet: 'The Crash Courier', body: BODY });
        if (!expect303(res, 'import report')) return;
        reportId = idFrom(res.location, '/reports');
        ledger.acks.push({ kind: 'report', id: reportId, title });
      }
      const quote = QUOTES[story % QUOTES.length]!;
      const statement = `Crash claim ${tag}`;
      const logged = await w.editor.post(`/reports/${reportId}/claims`, { quote, statement, claimant: 'The minister', kind: 'factual', tags: 'crash', priority: 1 });
      if (!expect303(logged, 'log claim')) return;
      const claimId = idFrom(logged.location, '/claims');
      ledger.acks.push({ kind: 'claim', id: claimId, reportId });
      const statements = { sent: [statement], acked: 0 };
      ledger.statements.set(claimId, statements);
      let version = 1;

      const reworded = `${statement}, reworded`;
      statements.sent.push(reworded);
      const edit = await w.editor.post(`/claims/${claimId}`, {
        statement: reworded, quote, quotePrefix: '', quoteSuffix: '', quoteStart: '', quoteEnd: '', claimant: 'The minister', kind: 'factual', tags: 'crash', priority: 2, confidence: '', version,
      });
      if (!expect303(edit, 'edit claim')) return;
      statements.acked = statements.sent.length - 1;
      ledger.acks.push({ kind: 'edit', claimId });
      version += 1;

      const refute = story % 2 === 1;
      for (const relation of refute ? ['supports', 'contradicts'] : ['supports']) {
        const sourceTitle = `Source ${tag} ${relation}`;
        const linked = await w.editor.post(`/claims/${claimId}/evidence`, {
          relation, credibility: 2, excerpt: `Excerpt for ${tag}`, newTitle: sourceTitle, newUrl: `https://sources.example/crash/${tag}/${relation}`, newPublisher: `Publisher ${tag}`, newReliability: 'B',
        });
        if (!expect303(linked, 'link evidence')) return;
        ledger.acks.push({ kind: 'evidence', claimId, sourceTitle, relation });
        version += 1;
      }

      const body = `Reviewer note ${tag}`;
      const commented = await w.reviewer.post(`/claims/${claimId}/comments`, { body });
      if (!expect303(commented, 'comment')) return;
      ledger.acks.push({ kind: 'comment', claimId, body, authorId: w.reviewerUser.id });

      const submitted = await w.editor.post(`/claims/${claimId}/submit`, { version });
      if (!expect303(submitted, 'submit')) return;
      ledger.acks.push({ kind: 'transition', claimId, action: 'submit', to: 'in_review', actorId: w.editorUser.id });
      version += 1;

      const decided = refute
        ? await w.reviewer.post(`/claims/${claimId}/refute`, { version, confidence: 'moderate', comment: `Contradicted, ${tag}` })
        : await w.reviewer.post(`/claims/${claimId}/verify`, { version, confidence: 'high', comment: `Confirmed, ${tag}` });
      if (!expect303(decided, refute ? 'refute' : 'verify')) return;
      ledger.acks.push({ kind: 'transition', claimId, action: refute ? 'refute' : 'verify', to: refute ? 'refuted' : 'verified', actorId: w.reviewerUser.id });
    }
  } catch (err) {
    if (!(err instanceof ServerGone)) throw err;
    if (!stopped()) ledger.unexpected.push(`writer ${n}: the server went away before it was killed: ${err.message}`);
  }
}

/** Checks every acknowledged write against the database; returns how many were checked. */
async function assertDurable(db: Knex, ledger: Ledger): Promise<number> {
  const lost: string[] = [];
  const one = async (sql: string, bindings: unknown[]): Promise<number> => ((await db.raw<{ rows: { n: number }[] }>(sql, bindings as Knex.RawBinding[])).rows[0]?.n ?? 0);
  for (const ack of ledger.acks) {
    switch (ack.kind) {
      case 'report':
        if ((await one('SELECT count(*)::int AS n FROM reports WHERE id = ? AND title = ? AND body = ?', [ack.id, ack.title, BODY])) !== 1) lost.push(`report ${ack.id} "${ack.title}"`);
        break;
      case 'claim':
        if ((await one('SELECT count(*)::int AS n FROM claims WHERE id = ? AND report_id = ?', [ack.id, ack.reportId])) !== 1) lost.push(`claim ${ack.id} of report ${ack.reportId}`);
        break;
      case 'edit': {
        // The last acknowledged statement, or one sent after it whose answer the crash swallowed.
        const s = ledger.statements.get(ack.claimId)!;
        const row = (await db('claims').where({ id: ack.claimId }).first('statement')) as { statement: string } | undefined;
        if (!row || !s.sent.slice(s.acked).includes(row.statement)) lost.push(`edit of claim ${ack.claimId}: statement is ${JSON.stringify(row?.statement)}, acknowledged ${JSON.stringify(s.sent[s.acked])}`);
        break;
      }
      case 'evidence':
        if ((await one('SELECT count(*)::int AS n FROM evidence_links l JOIN sources s ON s.id = l.source_id WHERE l.claim_id = ? AND s.title = ? AND l.relation = ?', [ack.claimId, ack.sourceTitle, ack.relation])) !== 1) lost.push(`evidence "${ack.sourceTitle}" on claim ${ack.claimId}`);
        break;
      case 'transition':
        if ((await one(`SELECT count(*)::int AS n FROM claim_events WHERE claim_id = ? AND type = 'transition' AND action = ? AND to_status = ? AND actor_id = ?`, [ack.claimId, ack.action, ack.to, ack.actorId])) !== 1) lost.push(`${ack.action} of claim ${ack.claimId}`);
        break;
      case 'comment':
        if ((await one('SELECT count(*)::int AS n FROM comments WHERE claim_id = ? AND body = ? AND author_id = ?', [ack.claimId, ack.body, ack.authorId])) !== 1) lost.push(`comment "${ack.body}"`);
        break;
    }
  }
  assert.deepEqual(lost, [], `acknowledged writes lost or changed after the crash (${lost.length} of ${ledger.acks.length})`);
  // Every acknowledged claim shows its statement as logged or last acknowledged, or one sent after that (unanswered).
  for (const [claimId, s] of ledger.statements) {
    const row = (await db('claims').where({ id: claimId }).first('statement')) as { statement: string } | undefined;
    assert.ok(row && s.sent.slice(s.acked).includes(row.statement), `claim ${claimId} shows ${JSON.stringify(row?.statement)}, acknowledged ${JSON.stringify(s.sent[s.acked])}`);
  }
  return ledger.acks.length;
}

/** Nothing half-written: no orphans, every claim's creation, evidence and version with their events. */
async function assertWhole(db: Knex): Promise<void> {
  const rows = async (sql: string) => (await db.raw<{ rows: Record<string, unknown>[] }>(sql)).rows;
  assert.deepEqual(await rows('SELECT l.id FROM evidence_links l LEFT JOIN claims c ON c.id = l.claim_id LEFT JOIN sources s ON s.id = l.source_id WHERE c.id IS NULL OR s.id IS NULL'), [], 'evidence links without their claim or source');
  assert.deepEqual(await rows('SELECT c.id FROM claims c LEFT JOIN reports r ON r.id = c.report_id WHERE r.id IS NULL'), [], 'claims without their report');
  assert.deepEqual(await rows('SELECT e.id FROM claim_events e LEFT JOIN claims c ON c.id = e.claim_id WHERE c.id IS NULL'), [], 'events without their claim');
  assert.deepEqual(await rows('SELECT m.id FROM comments m LEFT JOIN claims c ON c.id = m.claim_id WHERE c.id IS NULL'), [], 'comments without their claim');
  assert.deepEqual(
    await rows(`SELECT c.id FROM claims c WHERE NOT EXISTS (SELECT 1 FROM claim_events e WHERE e.claim_id = c.id AND e.type = 'created')`),
    [],
    'claims without their "created" event',
  );
  assert.deepEqual(
    await rows(`SELECT l.id FROM evidence_links l WHERE NOT EXISTS (
      SELECT 1 FROM claim_events e WHERE e.claim_id = l.claim_id AND e.type = 'evidence_linked' AND (e.data->>'linkId')::int = l.id)`),
    [],
    'evidence links without their "evidence_linked" event',
  );
  assert.deepEqual(
    await rows(`SELECT r.id FROM reports r WHERE NOT EXISTS (
      SELECT 1 FROM report_revisions v WHERE v.report_id = r.id AND v.revision = r.revision AND v.body = r.body)`),
    [],
    'reports without the revision row of their current text',
  );
  // Sources added inline with evidence are written with their link, in one transaction.
  assert.deepEqual(
    await rows(`SELECT s.id FROM sources s WHERE s.title LIKE 'Source %' AND NOT EXISTS (SELECT 1 FROM evidence_links l WHERE l.source_id = s.id)`),
    [],
    'sources added with evidence whose link is missing',
  );
  // Every version bump is one event of its change (edits, evidence, transitions), written in the same transaction.
  assert.deepEqual(
    await rows(`SELECT c.id, c.version, count(e.id)::int AS changes FROM claims c
      LEFT JOIN claim_events e ON e.claim_id = c.id AND e.type IN ('edited', 'evidence_linked', 'evidence_changed', 'evidence_unlinked', 'transition')
      GROUP BY c.id, c.version HAVING c.version <> 1 + count(e.id)`),
    [],
    'claims whose version does not count their recorded changes',
  );
}

// -------------------------------------------------------------------- test

// On a PostgreSQL server the app is killed; on the embedded default its own
// PostgreSQL is a child process that outlives it, so the cycles alternate: a
// killed app whose server runs on as an orphan (the next start must stop it),
// and a power cut that kills the app and every database process at once (the
// next start recovers from the WAL).
describe('crash safety: SIGKILL under concurrent writers loses no acknowledged write', () => {
  const dbName = `factdesk_crash_${process.pid}_${randomBytes(4).toString('hex')}`;
  const onServer = Boolean(process.env.TEST_DATABASE_URL);
  let admin: Knex | undefined;
  let db: Knex;
  let dataDir: string;
  let env: Record<string, string>;
  let server: RunningServer | null = null;
  const running = new Set<RunningServer>();
  const killAll = () => {
    for (const s of running) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  };

  const start = async (): Promise<RunningServer> => {
    const s = await startServer(env);
    running.add(s);
    s.child.once('exit', () => running.delete(s));
    if (!onServer) {
      // The checks read the embedded database through the server the app just started.
      await db?.destroy();
      db = knex({ client: 'pg', connection: (await runningEmbeddedUrl(dataDir))!, pool: { min: 0, max: 4 } });
    }
    return s;
  };

  before(async () => {
    process.once('exit', killAll);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'factdesk-crash-'));
    env = { DATA_DIR: dataDir, DATABASE_URL: '', NODE_ENV: 'production', SESSION_SECRET: SECRET, TRUST_PROXY: '1' };
    if (!onServer) return;
    const url = new URL(process.env.TEST_DATABASE_URL!);
    admin = knex({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 1 } });
    await admin.raw(`CREATE DATABASE ${dbName}`);
    url.pathname = `/${dbName}`;
    db = knex({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 4 } });
    env.DATABASE_URL = url.toString();
  });

  after(async () => {
    try {
      const alive = server && server.child.exitCode === null && server.child.signalCode === null ? server : null;
      if (alive) await Promise.race([alive.stop('SIGTERM'), new Promise((resolve) => setTimeout(resolve, 10_000))]);
    } finally {
      killAll();
      process.off('exit', killAll);
      await db?.destroy();
      await admin?.raw(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin?.destroy();
      if (!onServer) killDatabaseProcesses(dataDir);
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    }
  });

  test(`${CYCLES} kill cycles: every acknowledged write survives, the workflow stays consistent`, async () => {
    server = await start(); // main.ts runs the migrations
    let url = server.url;
    const base = () => url;
    const hash = await hashPassword(PASSWORD);
    const editors: User[] = [];
    const reviewers: User[] = [];
    for (let i = 0; i < 4; i++) {
      editors.push(await insertUser(db, { email: `editor${i}@crash.test`, displayName: `Crash Editor ${i}`, role: 'editor', passwordHash: hash }));
      reviewers.push(await insertUser(db, { email: `reviewer${i}@crash.test`, displayName: `Crash Reviewer ${i}`, role: i === 3 ? 'admin' : 'reviewer', passwordHash: hash }));
    }
    const writers: Writer[] = [];
    for (let i = 0; i < WRITERS; i++) {
      const w: Writer = { editor: new Browser(base), editorUser: editors[i % 4]!, reviewer: new Browser(base), reviewerUser: reviewers[i % 4]! };
      await Promise.all([w.editor.signIn(w.editorUser.email), w.reviewer.signIn(w.reviewerUser.email)]);
      writers.push(w);
    }

    const ledger: Ledger = { acks: [], statements: new Map(), unexpected: [], counter: 0 };
    let checked = 0;
    const cutOff: number[] = [];
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      let killed = false;
      const loops = writers.map((w, n) => write(w, n, ledger, () => killed));
      const ackedBefore = ledger.acks.length;
      await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
      // Kill only once some writes of this cycle were acknowledged, so the crash lands mid-load.
      for (let waited = 0; ledger.acks.length - ackedBefore < WRITERS && waited < 20_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
      killed = true;
      cutOff.push(inFlight);
      const dead = server;
      server = null;
      await dead.stop('SIGKILL');
      if (!onServer && cycle % 2 === 0) killDatabaseProcesses(dataDir);
      await Promise.all(loops);
      assert.deepEqual(ledger.unexpected, [], `cycle ${cycle}: requests answered with something other than success before the kill`);
      assert.ok(ledger.acks.length > ackedBefore, `cycle ${cycle}: no write was acknowledged before the kill`);

      server = await start();
      url = server.url;
      if (!onServer && cycle % 2 === 1) assert.match(server.output(), /left running by an earlier Factdesk/, `cycle ${cycle}: the orphaned server was stopped first`);
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 200, `cycle ${cycle}: /healthz after the restart`);
      checked = await assertDurable(db, ledger);
      await assertWorkflowInvariants(db);
      await assertWhole(db);
    }
    // The restarted server still takes writes with the sessions signed in before the crashes.
    const last = writers[0]!;
    const res = await last.reviewer.post(`/claims/${(ledger.acks.find((a) => a.kind === 'claim') as { id: number }).id}/comments`, { body: 'After the last restart.' });
    assert.equal(res.status, 303, 'a write after the last restart');
    assert.ok(cutOff.some((n) => n > 0), 'the kills landed while requests were in flight');
    const stopped = await server.stop('SIGTERM');
    server = null;
    assert.equal(stopped.code, 0, 'a clean stop after the crashes');
    if (!onServer) assert.ok(!existsSync(path.join(dataDir, 'postgres', 'postmaster.pid')), 'no database server outlives a clean stop');
    console.log(`crash safety (${onServer ? 'server' : 'embedded'}): ${CYCLES} kill cycles, ${checked} acknowledged writes checked, 0 lost`);
    console.log(`  requests cut off by each kill: ${cutOff.join(', ')}; ${ledger.statements.size} claims logged`);
  });
});

