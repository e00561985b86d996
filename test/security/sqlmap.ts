/**
 * SQL injection scan of the adversarial suite, with sqlmap.
 *
 *   npx tsx test/security/sqlmap.ts               scan the app (exit 1 on any injectable parameter)
 *   npx tsx test/security/sqlmap.ts --self-test   prove the scan notices an injection (planted routes)
 *
 * The real app runs on 127.0.0.1 (a fresh embedded database, or a fresh schema
 * on the server named by TEST_DATABASE_URL) with data made by the factories.
 * Each target signs in through the sign-in form for its own session, and
 * sqlmap (Debian package `sqlmap`) then attacks the named parameters of the
 * search, list, filter, export and form endpoints. Forms go through sqlmap's
 * anti-CSRF support (--csrf-token/--csrf-url), so every POST carries a live token.
 *
 * For each target the script decides per parameter, from sqlmap's output:
 * injectable, not injectable, or not tested (a failed run, which fails the
 * scan: a connection error proves nothing). A recorder on the HTTP server
 * checks that sqlmap's requests really reached the signed-in pages (the
 * original request answered 200, or 303 to the app for a form; nothing sent
 * to /login, no CSRF refusal), and lists every 5xx the app gave with the
 * parameter that caused it and the error it logged.
 *
 * Options:
 *   --self-test        scan only a throwaway app with deliberately injectable routes
 *                      (string concatenated into SQL, on the same database) and a safe
 *                      control route; exits 0 only when the planted injections are
 *                      reported injectable and the control is not
 *   --only=TEXT        run only the targets whose name contains TEXT
 *   --jobs=N           sqlmap processes at a time (default 3)
 *   --level=N --risk=N sqlmap's --level/--risk (default 2 and 1)
 *   --time-sec=N       delay for the time-based and stacked-query tests (default 2)
 *   --technique=XYZ    sqlmap's --technique (default BEUSTQ: every technique)
 *   --fail-on-5xx      also fail when the app answered any request with a 5xx
 *   --keep             keep sqlmap's output directory (its path is printed)
 *   --verbose          print each sqlmap run's output as it finishes
 *
 * Exit status: 0 when every parameter was tested and none is injectable; 1 when one is, or
 * when a run failed or proved nothing; 2 when sqlmap is missing or the scan could not start.
 * A full scan takes about 5 minutes on two cores (4½-6 measured, start-up included); the
 * self-test about 40 seconds. SQLMAP=/path/to/sqlmap picks another sqlmap.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import express from 'express';
import type { User } from '../../server/accounts/users.repo.ts';
import { encodeCursor } from '../../server/platform/pagination.ts';
import type { Db } from '../../server/platform/database.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { listen } from '../support/browser.ts';
import { csrfFrom } from '../support/client.ts';
import { TEST_PASSWORD, makeClaim, makeEvidence, makeReport, makeSource, makeUser } from '../support/factories.ts';

// ---------------------------------------------------------------- options

interface Options {
  selfTest: boolean;
  only: string | null;
  jobs: number;
  level: number;
  risk: number;
  timeSec: number;
  technique: string;
  failOn5xx: boolean;
  keep: boolean;
  verbose: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { selfTest: false, only: null, jobs: 3, level: 2, risk: 1, timeSec: 2, technique: 'BEUSTQ', failOn5xx: false, keep: false, verbose: false };
  const int = (name: string, value: string, min: number, max: number): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) usage(`${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
  for (const arg of argv) {
    const [flag = '', value = ''] = arg.split(/=(.*)/s, 2);
    if (flag === '--self-test') options.selfTest = true;
    else if (flag === '--only' && value) options.only = value;
    else if (flag === '--jobs') options.jobs = int('--jobs', value, 1, 16);
    else if (flag === '--level') options.level = int('--level', value, 1, 5);
    else if (flag === '--risk') options.risk = int('--risk', value, 1, 3);
    else if (flag === '--time-sec') options.timeSec = int('--time-sec', value, 1, 30);
    else if (flag === '--technique' && /^[BEUSTQ]+$/.test(value)) options.technique = value;
    else if (flag === '--fail-on-5xx') options.failOn5xx = true;
    else if (flag === '--keep') options.keep = true;
    else if (flag === '--verbose') options.verbose = true;
    else if (flag === '--help' || flag === '-h') usage(null);
    else usage(`unknown option ${arg}`);
  }
  return options;
}

function usage(problem: string | null): never {
  if (problem) console.error(`sqlmap scan: ${problem}`);
  console.error('usage: npx tsx test/security/sqlmap.ts [--self-test] [--only=TEXT] [--jobs=N] [--level=N] [--risk=N] [--time-sec=N] [--technique=BEUSTQ] [--fail-on-5xx] [--keep] [--verbose]');
  process.exit(problem ? 2 : 0);
}

// ---------------------------------------------------------------- sqlmap itself

const SQLMAP = process.env.SQLMAP ?? 'sqlmap';

/** sqlmap's version, or null (with how to install it) when it is not there. */
function sqlmapVersion(): string | null {
  const run = spawnSync(SQLMAP, ['--version'], { encoding: 'utf8', timeout: 60_000 });
  if (run.error || run.status !== 0) return null;
  return /\d+\.\d+[^\s]*/.exec(run.stdout)?.[0] ?? run.stdout.trim();
}

// ---------------------------------------------------------------- what is attacked

type Method = 'GET' | 'POST';

export interface Target {
  /** Shown in the summary, e.g. "GET /claims [q status report]". */
  name: string;
  method: Method;
  /** Path as the app sees it, e.g. /claims or /reports/3/claims (for the URI marker, with the '*' in place). */
  path: string;
  /** The query string (GET) or the form body (POST) with the original values. */
  params: URLSearchParams;
  /** The parameters under test (sqlmap -p); the URI target tests its '*' marker ('#1*'). */
  test: string[];
  /** A page carrying the session's CSRF token (POST only). */
  csrfPage?: string;
  /** Text the original page shows when the request really reached the signed-in app with matching data. */
  expectText?: string;
  /** What the original request must answer: 200 for a page (the default), 303 to the saved record for a form. */
  baseStatus?: number;
  /** For the self-test: what sqlmap must say about each parameter. */
  expect?: 'injectable' | 'not injectable';
}

const FAR_FUTURE = '2099-12-31T00:00:00.000000Z';

interface Seed {
  editor: User;
  reviewer: User;
  bridgeReport: number;
  /** Reports the claim form is posted to, one per group of fields. */
  harbourReports: number[];
  harbourBody: string;
  listedClaim: number;
  commentClaim: number;
  source: number;
}

/** Splits a long parameter list so several sqlmap processes can share it. */
function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Every endpoint and parameter the scan covers, with original values that show data. */
function appTargets(seed: Seed): Target[] {
  const targets: Target[] = [];
  const get = (pathname: string, values: Record<string, string>, test: string[], expectText: string, chunk = 4): void => {
    for (const part of chunks(test, chunk)) {
      targets.push({ name: `GET ${pathname} [${part.join(' ')}]`, method: 'GET', path: pathname, params: new URLSearchParams(values), test: part, expectText });
    }
  };

  // The claims list: every filter at a value that keeps the two matching claims in review.
  const claimFilters = {
    q: 'bridge',
    status: 'in_review',
    report: String(seed.bridgeReport),
    claimant: 'The minister',
    tag: 'infrastructure',
    kind: 'factual',
    assignee: 'none',
    createdBy: 'me',
    from: '2000-01-01',
    to: '2099-12-31',
    sort: 'newest',
  };
  get('/claims', { ...claimFilters, after: encodeCursor([FAR_FUTURE, 2_147_483_647]) }, [...Object.keys(claimFilters), 'after'], '12,000 cars a day');

  // The review queue: claims in review, highest priority first (a cursor past priority 3 keeps all).
  get(
    '/review',
    { report: String(seed.bridgeReport), claimant: 'The minister', tag: 'infrastructure', assignee: 'none', after: encodeCursor([4, '2000-01-01T00:00:00.000000Z', 0]) },
    ['report', 'claimant', 'tag', 'assignee', 'after'],
    'The bridge carries 12,000 cars a day.',
    3,
  );

  get('/reports', { q: 'Bridge', after: encodeCursor([FAR_FUTURE, 2_147_483_647]) }, ['q', 'after'], 'Bridge opening report');
  get('/sources', { q: 'Ministry', after: encodeCursor(['', 0]) }, ['q', 'after'], 'Ministry of Transport bridge records');
  get('/api/sources', { q: 'Ministry' }, ['q'], 'Ministry of Transport bridge records');
  get('/api/claimants', { q: 'The mini' }, ['q'], 'The minister');

  // The CSV export of a filtered list: decided claims, one of them verified and matching every filter.
  get(
    '/claims/sheet.csv',
    { ...claimFilters, status: 'verified', scope: 'decided' },
    ['scope', ...Object.keys(claimFilters)],
    'The bridge was built by local firms.',
  );

  // Ids in paths (sqlmap's '*' marks the place to inject).
  for (const [pathname, text] of [
    [`/claims/${seed.listedClaim}`, 'The bridge carries 12,000 cars a day.'],
    [`/reports/${seed.bridgeReport}`, 'Bridge opening report'],
    [`/sources/${seed.source}`, 'Ministry of Transport bridge records'],
  ] as const) {
    targets.push({ name: `GET ${pathname}* [path id]`, method: 'GET', path: `${pathname}*`, params: new URLSearchParams(), test: ['#1*'], expectText: text });
  }

  // Forms. A saved form answers 303 and sqlmap follows it (without the body) to the saved record;
  // a refused one answers 400 with the form again.
  const post = (pathname: string, csrfPage: string, values: Record<string, string>, test: string[], chunk = 5): void => {
    for (const part of chunks(test, chunk)) {
      targets.push({ name: `POST ${pathname} [${part.join(' ')}]`, method: 'POST', path: pathname, params: new URLSearchParams(values), test: part, csrfPage });
    }
  };

  post(`/claims/${seed.commentClaim}/comments`, `/claims/${seed.commentClaim}`, { body: 'Checked the harbour board minutes.' }, ['body']);

  const quote = 'the harbour will double its capacity';
  const start = seed.harbourBody.indexOf(quote);
  const claimForm = {
    quote,
    quotePrefix: seed.harbourBody.slice(Math.max(0, start - 32), start),
    quoteSuffix: seed.harbourBody.slice(start + quote.length, start + quote.length + 32),
    quoteStart: String(start),
    quoteEnd: String(start + quote.length),
    statement: 'The harbour will double its capacity by 2030.',
    claimant: 'Harbour board',
    kind: 'prediction',
    tags: 'harbour, shipping',
    priority: '2',
  };
  // Each group of fields logs its claims on a report of its own: a refused form re-renders the
  // report page with every claim on it, and the claims a free-text field saves would slow the others down.
  const groups = [
    ['quote', 'quotePrefix', 'quoteSuffix'],
    ['quoteStart', 'quoteEnd', 'kind', 'priority'],
    ['statement', 'claimant', 'tags'],
  ];
  groups.forEach((group, i) => {
    const reportId = seed.harbourReports[i % seed.harbourReports.length]!;
    post(`/reports/${reportId}/claims`, '/reports/new', claimForm, group, group.length);
  });

  // A new source without a URL (every request saves one), then the URLs apart (a repeated
  // URL is refused as a duplicate, so only the field under test may change it).
  const sourceForm = {
    kind: 'document',
    title: 'Harbour board annual accounts',
    url: '',
    publisher: 'Harbour board',
    author: 'Finance office',
    publishedOn: '2024-03-01',
    accessedOn: '2025-11-20',
    archiveUrl: '',
    reliability: 'B',
    notes: 'Audited figures.',
  };
  post('/sources', '/sources/new', sourceForm, ['title', 'publisher', 'kind', 'reliability', 'author', 'publishedOn', 'accessedOn', 'notes'], 4);
  post('/sources', '/sources/new', { ...sourceForm, url: 'https://harbour.example/accounts-2024', archiveUrl: 'https://archive.example/harbour-2024' }, ['url', 'archiveUrl']);

  return targets;
}

// ---------------------------------------------------------------- data

async function seedData(db: Db): Promise<Seed> {
  const { transitionClaim } = await import('../../server/review/transitions.ts');
  const editor = await makeUser(db, { role: 'editor', displayName: 'Erin Editor' });
  const reviewer = await makeUser(db, { role: 'reviewer', displayName: 'Rui Reviewer' });

  const bridgeBody = [
    'The minister said the bridge opened in 2019 and cost 40 million euros. Critics said the bridge opened in 2021.',
    'The council said the bridge carries 12,000 cars a day. The minister added that the bridge toll will be dropped next year.',
    'A spokesperson said the bridge was built by local firms, and the minister said the bridge was built on time.',
  ].join('\n\n');
  const bridgeReport = await makeReport(db, editor, { title: 'Bridge opening report', body: bridgeBody, outlet: 'The Daily Test' });
  const harbourBody = 'The harbour board said the harbour will double its capacity by 2030. Shipping lines welcomed the plan.\n\nThe board published its annual accounts in March.';
  const harbourReports: number[] = [];
  for (const part of ['I', 'II', 'III']) harbourReports.push(await makeReport(db, editor, { title: `Harbour expansion plan, part ${part}`, body: harbourBody, outlet: 'Port News' }));
  const harbourReport = harbourReports[0]!;

  type Status = 'draft' | 'in_review' | 'verified' | 'refuted';
  const claimIn = async (status: Status, props: Parameters<typeof makeClaim>[3], reportId = bridgeReport): Promise<number> => {
    const id = await makeClaim(db, editor, reportId, props);
    if (status === 'draft') return id;
    await makeEvidence(db, editor, id, { relation: 'supports' });
    if (status === 'refuted') await makeEvidence(db, editor, id, { relation: 'contradicts' });
    const version = async () => ((await db('claims').where({ id }).first('version')) as { version: number }).version;
    await transitionClaim(db, { actor: editor, claimId: id, action: 'submit', version: await version(), comment: null, confidence: null });
    if (status === 'verified') await transitionClaim(db, { actor: reviewer, claimId: id, action: 'verify', version: await version(), comment: 'Matches the records.', confidence: 'high' });
    if (status === 'refuted') await transitionClaim(db, { actor: reviewer, claimId: id, action: 'refute', version: await version(), comment: 'The records differ.', confidence: 'moderate' });
    return id;
  };

  const minister = { claimant: 'The minister', kind: 'factual' as const, tags: ['infrastructure'], priority: 2 };
  await claimIn('draft', { ...minister, quote: 'the bridge opened in 2019', statement: 'The bridge opened in 2019.' });
  await claimIn('in_review', { ...minister, quote: 'cost 40 million euros', statement: 'The bridge cost 40 million euros.' });
  const listedClaim = await claimIn('in_review', { ...minister, quote: 'the bridge carries 12,000 cars a day', statement: 'The bridge carries 12,000 cars a day.', priority: 3 });
  await claimIn('verified', { ...minister, quote: 'the bridge was built by local firms', statement: 'The bridge was built by local firms.' });
  await claimIn('refuted', { ...minister, quote: 'the bridge was built on time', statement: 'The bridge was built on time.' });
  // Claims that the filters of the original requests leave out, so a condition that widens them shows.
  await claimIn('in_review', { claimant: 'Critics', kind: 'attributed', tags: ['dispute'], quote: 'the bridge opened in 2021', statement: 'Critics say the bridge opened in 2021.' });
  await claimIn('verified', { claimant: 'The council', kind: 'factual', tags: ['traffic'], quote: 'the bridge toll will be dropped next year', statement: 'The bridge toll will be dropped next year.' });
  const commentClaim = await claimIn('draft', { claimant: 'Harbour board', kind: 'prediction', tags: ['harbour'], quote: 'Shipping lines welcomed the plan', statement: 'Shipping lines welcomed the plan.' }, harbourReport);

  const source = await makeSource(db, editor, { title: 'Ministry of Transport bridge records', publisher: 'Ministry of Transport', url: 'https://transport.example/bridge', reliability: 'A' });
  await makeSource(db, editor, { title: 'Ministry of Finance budget lines', publisher: 'Ministry of Finance', reliability: 'B' });
  await makeSource(db, editor, { title: 'Local radio interview', publisher: 'Radio Test', reliability: 'D' });
  return { editor, reviewer, bridgeReport, harbourReports, harbourBody, listedClaim, commentClaim, source };
}

// ---------------------------------------------------------------- signing in

interface Session {
  cookie: string;
  csrf: string;
}

/** The factdesk.sid cookie a response sets, if any. */
function sessionCookieOf(res: Response): string | null {
  for (const line of res.headers.getSetCookie()) {
    const m = /^(factdesk\.sid=[^;]+)/.exec(line);
    if (m?.[1]) return m[1];
  }
  return null;
}

/** Signs in through the real sign-in form, as a browser would; returns the session cookie and its CSRF token. */
async function signIn(base: string, email: string): Promise<Session> {
  const loginPage = await fetch(`${base}/login`, { redirect: 'manual' });
  const preCookie = sessionCookieOf(loginPage);
  if (loginPage.status !== 200 || !preCookie) throw new Error(`GET /login answered ${loginPage.status}${preCookie ? '' : ' without a session cookie'}`);
  const form = new URLSearchParams({ _csrf: csrfFrom(await loginPage.text()), email, password: TEST_PASSWORD });
  const login = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: preCookie },
    body: form.toString(),
  });
  const cookie = sessionCookieOf(login);
  const location = login.headers.get('location') ?? '';
  if (login.status !== 303 || !cookie || location.startsWith('/login')) throw new Error(`sign-in as ${email} failed: ${login.status} to ${location || '(nowhere)'}`);
  const account = await fetch(`${base}/account`, { redirect: 'manual', headers: { cookie } });
  if (account.status !== 200) throw new Error(`GET /account after sign-in answered ${account.status}`);
  return { cookie, csrf: csrfFrom(await account.text()) };
}

// ---------------------------------------------------------------- what the app saw

export interface Hit {
  target: string;
  method: string;
  url: string;
  status: number;
  location: string;
  requestId: string;
}

/** Records every request a tagged sqlmap run sends, with the app's answer. */
class Recorder {
  readonly hits: Hit[] = [];

  attach(server: Server): void {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const target = req.headers['x-scan-target'];
      if (typeof target !== 'string') return;
      const record = (status: number) => {
        const location = res.getHeader('location');
        const requestId = res.getHeader('x-request-id');
        this.hits.push({
          target,
          method: req.method ?? '',
          url: req.url ?? '',
          status,
          location: typeof location === 'string' ? location : '',
          requestId: typeof requestId === 'string' ? requestId : '',
        });
      };
      res.on('finish', () => record(res.statusCode));
      res.on('close', () => {
        if (!res.writableFinished) record(0);
      });
    });
  }

  of(target: string): Hit[] {
    return this.hits.filter((h) => h.target === target);
  }
}

// ---------------------------------------------------------------- running sqlmap

export interface Run {
  target: Target;
  tag: string;
  /** sqlmap's traffic log (forms only: the bodies are not in the URL). */
  trafficFile: string | null;
  exitCode: number | null;
  timedOut: boolean;
  output: string;
  seconds: number;
}

type Verdict = 'injectable' | 'not injectable' | 'not tested';

interface Outcome {
  run: Run;
  verdicts: Map<string, Verdict>;
  /** Why the run proves nothing (connection trouble, sign-in lost, a parameter left untested...). */
  problems: string[];
  /** Worth a look though not an injection: sqlmap's heuristics, 5xx answers. */
  notes: string[];
  requests: number;
  serverErrors: Hit[];
}

const children = new Set<ChildProcess>();

function sqlmapArgs(target: Target, base: string, session: Session, tag: string, dir: string, options: Options): string[] {
  const params = new URLSearchParams(target.params);
  if (target.method === 'POST') params.set('_csrf', session.csrf);
  const query = target.method === 'GET' && [...params].length > 0 ? `?${params.toString().replace(/\+/g, '%20')}` : '';
  const args = [
    '-u',
    `${base}${target.path}${query}`,
    '--batch',
    // Standard input is not a terminal here: without this sqlmap would read targets from it.
    '--ignore-stdin',
    '--disable-coloring',
    `--output-dir=${dir}`,
    `--cookie=${session.cookie}`,
    '--drop-set-cookie',
    `--headers=X-Scan-Target: ${tag}`,
    '--dbms=PostgreSQL',
    `--level=${options.level}`,
    `--risk=${options.risk}`,
    `--technique=${options.technique}`,
    `--time-sec=${options.timeSec}`,
    '--timeout=20',
    '--retries=1',
    '--skip-waf',
    // Keep testing the other parameters after an injectable one, so every verdict is known; after a
    // form's 303, fetch the saved record (GET) rather than post the form again to it (an edit route).
    '--answers=keep testing=Y,resend original POST data=N',
  ];
  if (!target.path.includes('*')) args.push(`-p`, target.test.join(','));
  // sqlmap refuses --threads with --csrf-url (each request needs the token page first).
  if (target.method === 'GET') args.push('--threads=4');
  if (target.method === 'POST') {
    args.push(`--data=${params.toString().replace(/\+/g, '%20')}`, '--csrf-token=_csrf', `--csrf-url=${base}${target.csrfPage ?? '/account'}`);
  }
  return args;
}

function runSqlmap(target: Target, base: string, session: Session, tag: string, dir: string, options: Options): Promise<Run> {
  const args = sqlmapArgs(target, base, session, tag, dir, options);
  const trafficFile = target.method === 'POST' ? path.join(dir, 'traffic.txt') : null;
  if (trafficFile) args.push('-t', trafficFile);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(SQLMAP, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1', TERM: 'dumb' } });
    children.add(child);
    let output = '';
    let timedOut = false;
    const limit = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, 9 * 60_000);
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    let done = false;
    const finish = (exitCode: number | null) => {
      if (done) return; // 'error' can be followed by 'close'
      done = true;
      clearTimeout(limit);
      children.delete(child);
      writeFileSync(path.join(dir, 'sqlmap-output.txt'), `$ sqlmap ${args.map((a) => JSON.stringify(a)).join(' ')}\n\n${output}`);
      resolve({ target, tag, trafficFile, exitCode, timedOut, output, seconds: (Date.now() - started) / 1000 });
    };
    child.on('error', (err) => {
      output += `\n[script] could not start sqlmap: ${err.message}\n`;
      finish(null);
    });
    child.on('close', (code) => finish(code));
  });
}

// ---------------------------------------------------------------- reading sqlmap's answer

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Per parameter: what sqlmap concluded (injectable, not injectable, or no verdict), whether the
 * run can be trusted (problems), and what is worth a look anyway (notes: sqlmap's heuristics,
 * findings it ruled out, the app's 5xx answers with the parameter and the error logged).
 */
export function judge(run: Run, hits: Hit[], base: string, logs: Record<string, unknown>[]): Outcome {
  const { target, output } = run;
  const verdicts = new Map<string, Verdict>();
  const problems: string[] = [];
  const notes: string[] = [];
  const lines = output.split(/\r?\n/);

  // The block sqlmap prints when it found something: "Parameter: q (GET)" / "Parameter: #1* (URI)".
  const identified = new Set<string>();
  const block = output.indexOf('sqlmap identified the following injection point');
  const kinds: string[] = [];
  if (block !== -1) {
    const report = output.slice(block);
    for (const m of report.matchAll(/^Parameter: (.+?) \(([^)]+)\)\s*$/gm)) identified.add(m[1]!.trim());
    for (const m of report.matchAll(/^---\r?\nParameter: ([^\r\n]+)([\s\S]*?)^---/gm)) {
      const types = [...m[2]!.matchAll(/^\s+Type: (.+)$/gm)].map((t) => t[1]!.trim());
      kinds.push(`sqlmap identified ${m[1]!.trim()}: ${types.join(', ')}`);
    }
  }

  for (const name of target.test) {
    const p = escapeRe(name);
    // sqlmap's final word: the injection points it reports (after its own false-positive checks),
    // or the "is vulnerable, keep testing the others?" question it asks about each of them.
    const injectable = identified.has(name) || [...identified].some((i) => i.startsWith(`${name} `)) || new RegExp(`parameter '${p}' is vulnerable`).test(output);
    const clean = new RegExp(`parameter '${p}' does not seem to be injectable`).test(output);
    verdicts.set(name, injectable ? 'injectable' : clean ? 'not injectable' : 'not tested');
    if (!injectable && !clean) problems.push(`sqlmap gave no verdict for parameter '${name}'`);
    // A provisional finding sqlmap then dropped as a false positive: worth a look all the same.
    const provisional = new RegExp(`parameter '${p}' (?:is|appears to be) '([^']+)' injectable([^\\r\\n]*)`).exec(output);
    if (provisional && !injectable) notes.push(`sqlmap first found '${name}' ${provisional[1]} injectable${provisional[2]?.trim() ? ` ${provisional[2].trim()}` : ''}, then ruled it out`);
  }

  const found = [...verdicts.values()].includes('injectable');
  notes.push(...kinds);
  for (const line of lines) {
    if (/heuristic \(basic\) test shows that .* might be injectable/.test(line)) notes.push(`sqlmap: ${clip(line)}`);
    else if (/false positive or unexploitable/.test(line)) notes.push(`sqlmap: ${clip(line)}`);
    else if (/heuristic \((?:XSS|FI)\) test shows/.test(line)) notes.push(`sqlmap: ${clip(line)}`);
    else if (/\[(?:CRITICAL|ERROR)\]/.test(line)) {
      // The normal end of a clean run; and, once an injection is found, sqlmap's complaints about
      // exploiting it (e.g. time-based lag) do not change the verdict. Anything else (a connection
      // refused or timed out, a token not found, an unstable page) means the run cannot be trusted.
      if (/all tested parameters do not appear to be injectable/.test(line)) continue;
      if (found && /considerable lagging|time-based/.test(line)) notes.push(`sqlmap: ${clip(line)}`);
      else problems.push(`sqlmap: ${clip(line)}`);
    }
  }
  if (run.timedOut) problems.push('sqlmap ran out of time and was stopped');
  else if (run.exitCode === null) problems.push('sqlmap could not be started');
  else if (run.exitCode !== 0 && !/all tested parameters do not appear to be injectable/.test(output) && block === -1) problems.push(`sqlmap exited with code ${run.exitCode}`);

  // Did the requests reach the signed-in app? The first request for the target's own page
  // is sqlmap's original request: it must have been answered as a signed-in user would be.
  const ownPath = target.path.replace('*', '');
  const own = hits.filter((h) => h.method === target.method && (target.path.includes('*') ? h.url.startsWith(ownPath) : pathOf(h.url) === ownPath));
  const first = own[0];
  const baseStatus = target.baseStatus ?? (target.method === 'GET' ? 200 : 303);
  if (!first) problems.push(`the app never saw sqlmap's ${target.method} ${ownPath}`);
  else if (first.status !== baseStatus || first.location.startsWith('/login'))
    problems.push(
      `the original ${target.method === 'GET' ? 'request' : 'form post'} answered ${first.status}${first.location ? ` to ${first.location}` : ''}, not ${baseStatus}` +
        (target.method === 'POST' && first.status === 400 ? ' (the form values do not pass validation)' : ''),
    );
  if (own.length < 20) problems.push(`only ${own.length} requests reached ${ownPath}: too few for a scan`);
  const signedOut = hits.filter((h) => h.status === 401 || h.location.startsWith('/login'));
  if (signedOut.length > 0) problems.push(`${signedOut.length} requests were sent to sign-in (session lost), e.g. ${clip(decode(signedOut[0]!.url))}`);
  const refused = hits.filter((h) => h.status === 403);
  if (refused.length > 0) problems.push(`${refused.length} requests were refused with 403 (CSRF token not accepted?), e.g. ${target.method} ${clip(decode(refused[0]!.url))}`);
  if (target.method === 'POST' && !hits.some((h) => h.method === 'GET' && pathOf(h.url) === target.csrfPage)) problems.push(`sqlmap never fetched the CSRF token page ${target.csrfPage}`);

  const serverErrors = hits.filter((h) => h.status >= 500 || h.status === 0);
  if (serverErrors.length > 0) {
    // Which parameter caused them: from the URL for a GET, from sqlmap's traffic log for a form.
    const posted = target.method === 'POST' ? postedBodies(run.trafficFile) : new Map<string, string>();
    const bodyOf = (h: Hit) => posted.get(h.requestId) ?? null;
    const byParam = new Map<string, number>();
    for (const h of serverErrors) {
      const body = bodyOf(h);
      const param = target.method === 'GET' ? changedParam(target, new URL(h.url, base).searchParams) : body !== null ? changedParam(target, new URLSearchParams(body)) : '(form field?)';
      byParam.set(param, (byParam.get(param) ?? 0) + 1);
    }
    notes.push(`the app answered ${serverErrors.length} requests with 5xx/no answer (${[...byParam].map(([k, n]) => `${k}: ${n}`).join(', ')})`);
    for (const h of serverErrors.slice(0, 3)) {
      const logged = logs.find((l) => l.reqId === h.requestId);
      const err = logged?.err as { message?: string } | undefined;
      const body = bodyOf(h);
      const sent = body !== null ? ` ${clip(decode(body).replace(/(^|&)_csrf=[^&]*/, '$1_csrf=…'), 160)}` : '';
      notes.push(`  ${h.status || 'no answer'} ${h.method} ${clip(decode(h.url), 160)}${sent}${err?.message ? ` -> ${clip(err.message, 200)}` : logged?.msg ? ` -> ${String(logged.msg)}` : ''}`);
    }
  }
  const codes = /HTTP error codes detected during run:\s*\n([^[]+)/.exec(output)?.[1]?.trim();
  if (codes && /^5\d\d \(/m.test(codes)) notes.push(`sqlmap saw HTTP errors: ${codes.replace(/\s*\n\s*/g, '; ')}`);

  return { run, verdicts, problems, notes, requests: own.length, serverErrors };
}

function pathOf(url: string): string {
  const i = url.indexOf('?');
  return i === -1 ? url : url.slice(0, i);
}

function decode(url: string): string {
  try {
    return decodeURIComponent(url.replace(/\+/g, ' '));
  } catch {
    return url;
  }
}

function clip(s: string, max = 140): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Which parameter differs from the original (the one sqlmap was attacking). */
function changedParam(target: Target, sent: URLSearchParams): string {
  if (target.path.includes('*')) return 'path id';
  const changed = target.test.filter((k) => sent.get(k) !== target.params.get(k));
  return changed.join('+') || '(original values)';
}

/**
 * The form bodies sqlmap posted, by the X-Request-Id the app answered with, from its
 * traffic log (-t): blocks of "HTTP request [#n]: ... body" then "HTTP response [#n] (...): headers".
 */
function postedBodies(trafficFile: string | null): Map<string, string> {
  const bodies = new Map<string, string>();
  if (!trafficFile || !existsSync(trafficFile)) return bodies;
  for (const block of readFileSync(trafficFile, 'utf8').split(/\r?\n#{76}\r?\n/)) {
    const request = /HTTP request \[#\d+\]:\r?\nPOST [^\r\n]*\r?\n[\s\S]*?\r?\n\r?\n([^\r\n]*)/.exec(block);
    const requestId = /^X-Request-Id: *([\w-]+)/im.exec(block);
    if (request?.[1] !== undefined && requestId?.[1]) bodies.set(requestId[1], request[1]);
  }
  return bodies;
}

// ---------------------------------------------------------------- the self-test

/**
 * A throwaway app with routes that paste a parameter into SQL, on the same
 * database, plus a safe control. Only ever built with --self-test: it proves
 * the scan reports a real injection as injectable (and a safe route as not).
 */
function vulnerableApp(db: Db): express.Express {
  const app = express();
  const token = 'self-test-csrf-token-0123456789abcdef';
  app.use((_req, res, next) => {
    res.setHeader('X-Request-Id', randomUUID());
    next();
  });
  app.use(express.urlencoded({ extended: false }));
  const page = (rows: { id: number; title: string }[]) =>
    `<!doctype html><title>Reports</title><ul>${rows.map((r) => `<li>${r.id}: ${r.title.replace(/[<&]/g, '')}</li>`).join('')}</ul>`;
  const fail = (res: express.Response) => res.status(500).send('<!doctype html><title>Error</title><p>Something went wrong.</p>');

  // Deliberately injectable: the text is pasted into the SQL (a string context).
  app.get('/selftest/reports', async (req, res) => {
    const title = typeof req.query.title === 'string' ? req.query.title : '';
    try {
      const result = (await db.raw(`SELECT id, title FROM reports WHERE title = '${title}' ORDER BY id`)) as { rows: { id: number; title: string }[] };
      res.send(page(result.rows));
    } catch {
      fail(res);
    }
  });
  // Safe control: the same query with a bound value.
  app.get('/selftest/safe-reports', async (req, res) => {
    const title = typeof req.query.title === 'string' ? req.query.title : '';
    try {
      const result = (await db.raw('SELECT id, title FROM reports WHERE title = ? ORDER BY id', [title])) as { rows: { id: number; title: string }[] };
      res.send(page(result.rows));
    } catch {
      fail(res);
    }
  });
  // A form with a CSRF token, whose number field is pasted into the SQL (a numeric context).
  app.get('/selftest/form', (_req, res) => {
    res.send(`<!doctype html><title>Form</title><form method="post" action="/selftest/lookup"><input type="hidden" name="_csrf" value="${token}"><input name="id"></form>`);
  });
  app.post('/selftest/lookup', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    if (body._csrf !== token) {
      res.status(403).send('bad token');
      return;
    }
    try {
      const result = (await db.raw(`SELECT id, title FROM reports WHERE id = ${String(body.id)}`)) as { rows: { id: number; title: string }[] };
      res.send(page(result.rows));
    } catch {
      fail(res);
    }
  });
  return app;
}

function selfTestTargets(reportId: number): Target[] {
  return [
    { name: 'GET /selftest/reports [title] (planted injection)', method: 'GET', path: '/selftest/reports', params: new URLSearchParams({ title: 'Bridge opening report' }), test: ['title'], expectText: 'Bridge opening report', expect: 'injectable' },
    { name: 'POST /selftest/lookup [id] (planted injection, with CSRF)', method: 'POST', path: '/selftest/lookup', params: new URLSearchParams({ id: String(reportId) }), test: ['id'], csrfPage: '/selftest/form', baseStatus: 200, expect: 'injectable' },
    { name: 'GET /selftest/safe-reports [title] (safe control)', method: 'GET', path: '/selftest/safe-reports', params: new URLSearchParams({ title: 'Bridge opening report' }), test: ['title'], expectText: 'Bridge opening report', expect: 'not injectable' },
  ];
}

// ---------------------------------------------------------------- the run

/** Fetches each GET target's original request: it must answer 200 with the data it should show. */
async function preflight(targets: Target[], base: string, session: Session): Promise<string[]> {
  const problems: string[] = [];
  for (const t of targets) {
    if (t.method !== 'GET') continue;
    const query = [...t.params].length > 0 ? `?${t.params.toString()}` : '';
    const res = await fetch(`${base}${t.path.replace('*', '')}${query}`, { redirect: 'manual', headers: { cookie: session.cookie } });
    const text = await res.text();
    if (res.status !== 200) problems.push(`${t.name}: the original request answered ${res.status} ${res.headers.get('location') ?? ''}`);
    else if (t.expectText && !text.includes(t.expectText)) problems.push(`${t.name}: the original page does not show "${t.expectText}" (the filters match nothing?)`);
  }
  return problems;
}

async function pool<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}

function duration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - m * 60);
  return m > 0 ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const version = sqlmapVersion();
  if (!version) {
    console.error(`sqlmap scan: sqlmap is not installed (no '${SQLMAP}' on PATH).`);
    console.error('  Install it with:  apt-get install -y sqlmap   (Debian/Ubuntu), then run this again.');
    return 2;
  }

  const started = Date.now();
  let keepOutput = options.keep;
  const outDir = mkdtempSync(path.join(tmpdir(), 'factdesk-sqlmap-'));
  let ctx: TestContext | undefined;
  const closers: (() => Promise<void>)[] = [];
  const onSignal = () => {
    for (const child of children) child.kill('SIGTERM');
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // Warnings the app's process raised under the scan (e.g. a database client misused), with where in server/.
  const warnings = new Map<string, number>();
  const onWarning = (w: Error) => {
    const where = (w.stack ?? '').split('\n').find((l) => l.includes('/server/'))?.trim() ?? '';
    const key = `${w.name}: ${clip(w.message, 160)}${where ? ` (${where.replace(/^at /, '').replace(`${process.cwd()}/`, '')})` : ''}`;
    warnings.set(key, (warnings.get(key) ?? 0) + 1);
  };
  process.on('warning', onWarning);
  try {
    ctx = await createTestApp({ LOG_LEVEL: 'error' });
    const db = ctx.db;
    const appReady = Date.now();
    const seed = await seedData(db);
    const seeded = Date.now();
    const recorder = new Recorder();
    const served = await listen(ctx.app);
    closers.push(served.close);
    recorder.attach(served.server);
    const engine = process.env.TEST_DATABASE_URL ? 'PostgreSQL server (TEST_DATABASE_URL)' : 'embedded PostgreSQL';

    let base = served.url;
    let targets: Target[];
    if (options.selfTest) {
      const planted = await listen(vulnerableApp(db));
      closers.push(planted.close);
      recorder.attach(planted.server);
      base = planted.url;
      targets = selfTestTargets(seed.bridgeReport);
      // One at a time: the planted injection's pg_sleep stalls the shared database (the embedded
      // one runs one statement at a time), which would show as lag in the control's time-based test.
      options.jobs = 1;
      console.log(`sqlmap scan SELF-TEST: planted injectable routes on ${base} (same database), app on ${served.url}`);
    } else {
      targets = appTargets(seed);
    }
    if (options.only) targets = targets.filter((t) => t.name.includes(options.only!));
    if (targets.length === 0) {
      console.error(`sqlmap scan: no target matches --only=${options.only ?? ''}`);
      return 2;
    }

    console.log(
      `sqlmap ${version} against Factdesk on ${served.url} (${engine}); ${targets.length} targets, ${targets.reduce((n, t) => n + t.test.length, 0)} parameters; ` +
        `level ${options.level}, risk ${options.risk}, techniques ${options.technique}, time-sec ${options.timeSec}, ${options.jobs} at a time ` +
        `(app up in ${duration((appReady - started) / 1000)}, data in ${duration((seeded - appReady) / 1000)})`,
    );

    // The app's own sign-in, once to check the original requests, then one session per target.
    const checkSession = await signIn(served.url, seed.editor.email);
    const preProblems = await preflight(targets, base, checkSession);
    if (preProblems.length > 0) {
      console.error('sqlmap scan: the original requests do not reach the signed-in pages with data, so the scan would prove nothing:');
      for (const p of preProblems) console.error(`  ${p}`);
      return 1;
    }

    // GET targets first: forms add claims, comments and sources, and the lists should not change under a GET scan.
    const order = [...targets].sort((a, b) => (a.method === b.method ? 0 : a.method === 'GET' ? -1 : 1));
    let index = 0;
    const outcomes = await pool(order, options.jobs, async (target) => {
      const tag = `t${String(++index).padStart(2, '0')}`;
      const dir = path.join(outDir, `${tag}-${target.name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 60)}`);
      mkdirSync(dir, { recursive: true });
      const session = await signIn(served.url, seed.editor.email);
      const run = await runSqlmap(target, base, session, tag, dir, options);
      const outcome = judge(run, recorder.of(tag), base, ctx!.logs);
      const verdicts = [...outcome.verdicts].map(([k, v]) => (v === 'not injectable' ? k : `${k}=${v.toUpperCase()}`)).join(' ');
      const status = outcome.problems.length > 0 ? 'FAILED' : [...outcome.verdicts.values()].includes('injectable') ? 'INJECTABLE' : 'ok';
      console.log(`  ${status.padEnd(10)} ${target.name}  (${verdicts}; ${outcome.requests} requests, ${duration(run.seconds)})`);
      for (const p of outcome.problems) console.log(`             problem: ${p}`);
      for (const n of outcome.notes) console.log(`             note: ${n}`);
      if (options.verbose || outcome.problems.length > 0) {
        const tail = run.output.split('\n').filter((l) => l.trim()).slice(options.verbose ? 0 : -15);
        console.log(tail.map((l) => `             | ${l}`).join('\n'));
      }
      return outcome;
    });

    // ------------------------------------------------------------ summary
    const seconds = (Date.now() - started) / 1000;
    const tested = outcomes.reduce((n, o) => n + [...o.verdicts.values()].filter((v) => v !== 'not tested').length, 0);
    const untested = outcomes.reduce((n, o) => n + [...o.verdicts.values()].filter((v) => v === 'not tested').length, 0);
    const injectable = outcomes.flatMap((o) => [...o.verdicts].filter(([, v]) => v === 'injectable').map(([k]) => `${o.run.target.name}: ${k}`));
    const failed = outcomes.filter((o) => o.problems.length > 0);
    const errors5xx = outcomes.reduce((n, o) => n + o.serverErrors.length, 0);
    const requests = outcomes.reduce((n, o) => n + o.requests, 0);

    console.log('');
    console.log(`Targets (${outcomes.length}), in ${duration(seconds)}, ${requests} requests to the targets:`);
    const byEndpoint = new Map<string, string[]>();
    for (const o of outcomes) {
      const key = `${o.run.target.method} ${o.run.target.path}`;
      byEndpoint.set(key, [...(byEndpoint.get(key) ?? []), ...o.verdicts.keys()]);
    }
    for (const [endpoint, params] of byEndpoint) console.log(`  ${endpoint}: ${params.join(', ')}`);
    if (injectable.length > 0) {
      console.log('Injectable:');
      for (const i of injectable) console.log(`  ${i}`);
    }
    if (failed.length > 0) {
      console.log(`sqlmap failed or proved nothing on ${failed.length} target(s) (output in ${outDir}):`);
      for (const o of failed) console.log(`  ${o.run.target.name}: ${o.problems.join('; ')}`);
    }
    if (errors5xx > 0) console.log(`The app answered ${errors5xx} requests with 5xx (see the notes above).`);
    if (warnings.size > 0) {
      console.log('Warnings raised in the app process during the scan (Node reports each kind once):');
      for (const [w, n] of warnings) console.log(`  ${w}${n > 1 ? ` x${n}` : ''}`);
    }
    console.log(`sqlmap: ${tested} parameters tested, ${injectable.length} injectable${untested > 0 ? `, ${untested} not tested` : ''}${failed.length > 0 ? `, ${failed.length} target(s) failed` : ''} (${duration(seconds)})`);

    keepOutput = options.keep || failed.length > 0 || (injectable.length > 0 && !options.selfTest);
    if (keepOutput) console.log(`sqlmap's output is kept in ${outDir}`);
    if (options.selfTest) {
      const wrong = outcomes.flatMap((o) => [...o.verdicts].filter(([, v]) => v !== o.run.target.expect).map(([k, v]) => `${o.run.target.name}: ${k} was ${v}, expected ${o.run.target.expect ?? '?'}`));
      if (wrong.length > 0 || failed.length > 0) {
        console.log('self-test FAILED: the scan did not tell the planted injections from the safe route:');
        for (const w of wrong) console.log(`  ${w}`);
        return 1;
      }
      console.log('self-test passed: the planted injections were reported injectable and the safe control was not.');
      return 0;
    }
    return injectable.length > 0 || failed.length > 0 || (options.failOn5xx && errors5xx > 0) ? 1 : 0;
  } finally {
    process.off('warning', onWarning);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    for (const child of children) child.kill('SIGTERM');
    for (const close of closers.reverse()) await close();
    await ctx?.close();
    // sqlmap's output stays for a look when asked, or when something went wrong (its path is printed).
    if (!keepOutput) rmSync(outDir, { recursive: true, force: true });
  }
}

// Runs when started as a script (importing it, e.g. to try judge() on a saved sqlmap output, does not).
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error('sqlmap scan: could not run:', err instanceof Error ? (err.stack ?? err.message) : err);
      process.exitCode = 2;
    },
  );
}
