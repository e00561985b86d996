// Records the SQL that Factdesk runs for one request of each read scenario,
// by driving the real app in-process (createApp) and listening to knex's
// query events; the baseline replays exactly these statements. Also follows
// the claims list's keyset cursor deep, and EXPLAINs every recorded statement.
import type { Knex } from 'knex';
import { pino } from 'pino';
import request from 'supertest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/platform/config.ts';
import type { RawConnection } from './bulk.ts';

/** One statement of a page, and the wave it ran in (statements of one wave ran concurrently). */
export interface RecordedStatement {
  sql: string;
  bindings: unknown[];
  stage: number;
}

export interface ScenarioSpec {
  name: string;
  path: string;
  /** Headers the request needs besides the session's cookie (an API token). */
  headers?: Record<string, string>;
}

export interface RecordedScenario extends ScenarioSpec {
  status: number;
  statements: RecordedStatement[];
}

type Agent = ReturnType<typeof request.agent>;

interface QueryEvent {
  __knexQueryUid?: string;
  sql: string;
  bindings?: unknown[];
}

/**
 * Queries every request makes whatever the page (loading the signed-in user;
 * sessions go through their own store and never reach knex's events): not
 * part of a page's data, so not replayed.
 */
const NOT_PAGE_DATA = [/from "users" where "id" = \$1 limit \$2$/i, /EXISTS \(SELECT 1 FROM users\)/i, /"session"|login_limits|"api_tokens"/i];

/** Listens to a knex instance and keeps each statement with its wave: after which others finished it started. */
export class QueryRecorder {
  private statements: (RecordedStatement & { uid: string })[] = [];
  private readonly done = new Map<string, number>();
  private active = false;
  private readonly onQuery = (q: QueryEvent) => {
    if (!this.active) return;
    const stage = this.done.size === 0 ? 0 : Math.max(...this.done.values()) + 1;
    this.statements.push({ uid: q.__knexQueryUid ?? String(this.statements.length), sql: q.sql, bindings: q.bindings ?? [], stage });
  };
  private readonly onResponse = (_response: unknown, q: QueryEvent) => {
    const s = this.statements.find((x) => x.uid === q.__knexQueryUid);
    if (s) this.done.set(s.uid, s.stage);
  };

  constructor(private readonly db: Knex) {
    db.on('query', this.onQuery);
    db.on('query-response', this.onResponse);
  }

  start(): void {
    this.statements = [];
    this.done.clear();
    this.active = true;
  }

  stop(): RecordedStatement[] {
    this.active = false;
    const kept = this.statements.filter((s) => !NOT_PAGE_DATA.some((re) => re.test(s.sql)));
    // Renumber the waves densely after filtering.
    const stages = [...new Set(kept.map((s) => s.stage))].sort((a, b) => a - b);
    return kept.map(({ sql, bindings, stage }) => ({ sql, bindings, stage: stages.indexOf(stage) }));
  }

  detach(): void {
    this.db.off('query', this.onQuery);
    this.db.off('query-response', this.onResponse);
  }
}

/** An in-process Factdesk on `db`, signed in as `email`; its requests do not go through the network stack of the benchmark. */
export async function inProcessAgent(db: Knex, email: string, password: string): Promise<Agent> {
  const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'bench-recording-secret-that-is-long-enough-0123456789', LOG_LEVEL: 'silent', BASE_URL: 'http://factdesk.bench' });
  const app = createApp({ db, config, logger: pino({ level: 'silent' }) });
  const agent = request.agent(app);
  const login = await agent.get('/login');
  const token = /name="_csrf" value="([^"]+)"/.exec(login.text)?.[1];
  if (!token) throw new Error(`no CSRF token on the sign-in page (status ${login.status})`);
  const res = await agent.post('/login').type('form').send(new URLSearchParams({ email, password, _csrf: token }).toString());
  if (res.status !== 303) throw new Error(`in-process sign-in failed with ${res.status}`);
  return agent;
}

/** Follows `next` cursors of a JSON list up to `pages` deep; returns the deepest page's URL and how deep it is. */
export async function deepPage(agent: Agent, path: string, pages: number): Promise<{ path: string; depth: number }> {
  let current = path;
  let depth = 1;
  for (; depth < pages; depth++) {
    const res = await agent.get(current).set('Accept', 'application/json');
    if (res.status !== 200) throw new Error(`GET ${current} answered ${res.status}`);
    const next = (res.body as { next?: string | null }).next;
    if (!next) break;
    const url = new URL(path, 'http://x');
    url.searchParams.set('after', next);
    current = `${url.pathname}${url.search}`;
  }
  return { path: current, depth };
}

/** The SQL each page runs, recorded on its second request (the first warms one-time lookups). */
export async function recordScenarios(db: Knex, agent: Agent, scenarios: ScenarioSpec[]): Promise<RecordedScenario[]> {
  const recorder = new QueryRecorder(db);
  try {
    const out: RecordedScenario[] = [];
    for (const s of scenarios) {
      await agent.get(s.path).set(s.headers ?? {});
      recorder.start();
      const res = await agent.get(s.path).set(s.headers ?? {});
      const statements = recorder.stop();
      if (res.status !== 200) throw new Error(`GET ${s.path} answered ${res.status} while recording`);
      out.push({ ...s, status: res.status, statements });
    }
    return out;
  } finally {
    recorder.detach();
  }
}

/**
 * The statement "Take next" assigns a claim with, recorded from one real
 * POST /review/take-next (so one claim of the queue is taken here, before the
 * take-next scenario counts anything).
 */
export async function recordTakeNext(db: Knex, agent: Agent): Promise<RecordedStatement | null> {
  const account = await agent.get('/account');
  const token = /name="_csrf" value="([^"]+)"/.exec(account.text)?.[1];
  if (!token) throw new Error('no CSRF token on /account');
  const recorder = new QueryRecorder(db);
  try {
    recorder.start();
    const res = await agent.post('/review/take-next').set('Accept', 'application/json').set('X-CSRF-Token', token);
    const statements = recorder.stop();
    if (res.status !== 200 && res.status !== 404) throw new Error(`POST /review/take-next answered ${res.status} while recording`);
    return statements.find((s) => /\bUPDATE claims\b/i.test(s.sql)) ?? null;
  } finally {
    recorder.detach();
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) of each statement (inside a transaction that is rolled back, so an UPDATE changes nothing); returns the plans as text and the sequential scans of big tables seen. */
export async function explainAll(db: Knex, items: { name: string; sql: string; bindings: unknown[] }[]): Promise<{ text: string; seqScans: { name: string; line: string }[] }> {
  const conn = (await db.client.acquireConnection()) as RawConnection;
  const parts: string[] = [];
  const seqScans: { name: string; line: string }[] = [];
  try {
    for (const item of items) {
      await conn.query('BEGIN');
      const { rows } = await conn.query(`EXPLAIN (ANALYZE, BUFFERS) ${item.sql}`, item.bindings).finally(() => conn.query('ROLLBACK'));
      const plan = rows.map((r) => String(r['QUERY PLAN'])).join('\n');
      for (const line of plan.split('\n')) {
        if (/Seq Scan on (claims|evidence_links|claim_events)\b/.test(line)) seqScans.push({ name: item.name, line: line.trim() });
      }
      parts.push(`==== ${item.name}\n${item.sql}\n-- bindings: ${JSON.stringify(item.bindings)}\n\n${plan}\n`);
    }
  } finally {
    await db.client.releaseConnection(conn);
  }
  return { text: parts.join('\n'), seqScans };
}
