/**
 * The app the sqlmap scan attacks: the data it shows, signing in through its real
 * sign-in form, and a recorder of what its HTTP server saw from each sqlmap run.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Db } from '../../server/platform/database.ts';
import { csrfFrom } from '../support/client.ts';
import { TEST_PASSWORD, makeClaim, makeEvidence, makeReport, makeSource, makeUser } from '../support/factories.ts';
import type { Seed, Target } from './targets.ts';

// ---------------------------------------------------------------- data

/** Creates the users, reports, claims (in every status) and sources the targets' original requests show. */
export async function seedData(db: Db): Promise<Seed> {
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
  const verifiedLabel = ((await db('verdict_labels').where({ name: 'True' }).first('id')) as { id: number }).id;
  return { editor, reviewer, bridgeReport, harbourReports, harbourBody, listedClaim, commentClaim, source, verifiedLabel };
}

// ---------------------------------------------------------------- signing in

/** A signed-in session: its cookie and the CSRF token that goes with it. */
export interface Session {
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
export async function signIn(base: string, email: string): Promise<Session> {
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

/** Fetches each GET target's original request: it must answer 200 with the data it should show. */
export async function preflight(targets: Target[], base: string, session: Session): Promise<string[]> {
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

// ---------------------------------------------------------------- what the app saw

/** One request a sqlmap run sent (tagged with X-Scan-Target), with the app's answer. */
export interface Hit {
  target: string;
  method: string;
  url: string;
  status: number;
  location: string;
  requestId: string;
}

/** Records every request a tagged sqlmap run sends, with the app's answer. */
export class Recorder {
  readonly hits: Hit[] = [];

  /** Starts recording the tagged requests a server answers (status 0 when it never answered). */
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

  /** The requests of one sqlmap run, by its tag. */
  of(target: string): Hit[] {
    return this.hits.filter((h) => h.target === target);
  }
}
