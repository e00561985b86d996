/**
 * What the sqlmap scan attacks: every endpoint and parameter of the app, with original
 * values that show the data seeded by app-under-test.ts (so a widened condition shows).
 */
import { encodeCursor } from '../../server/platform/pagination.ts';
import type { User } from '../../server/accounts/users.repo.ts';

type Method = 'GET' | 'POST';

/** One sqlmap run: an endpoint, its original request, and the parameters under test. */
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

/** The records the targets point at, made by seedData() in app-under-test.ts. */
export interface Seed {
  editor: User;
  reviewer: User;
  bridgeReport: number;
  /** Reports the claim form is posted to, one per group of fields. */
  harbourReports: number[];
  harbourBody: string;
  listedClaim: number;
  commentClaim: number;
  source: number;
  /** The verdict label the seeded verified claim carries. */
  verifiedLabel: number;
}

const FAR_FUTURE = '2099-12-31T00:00:00.000000Z';

/** Splits a long parameter list so several sqlmap processes can share it. */
function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Every endpoint and parameter the scan covers, with original values that show data. */
export function appTargets(seed: Seed): Target[] {
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

  // The same export filtered by its verdict label.
  get('/claims/sheet.csv', { scope: 'decided', label: String(seed.verifiedLabel) }, ['label'], 'The bridge was built by local firms.');

  // Ids in paths (sqlmap's '*' marks the place to inject).
  for (const [pathname, text] of [
    [`/claims/${seed.listedClaim}`, 'The bridge carries 12,000 cars a day.'],
    [`/reports/${seed.bridgeReport}`, 'Bridge opening report'],
    [`/sources/${seed.source}`, 'Ministry of Transport bridge records'],
  ] as const) {
    targets.push({ name: `GET ${pathname}* [path id]`, method: 'GET', path: `${pathname}*`, params: new URLSearchParams(), test: ['#1*'], expectText: text });
  }

  targets.push(...formTargets(seed));
  return targets;
}

/**
 * The forms. A saved form answers 303 and sqlmap follows it (without the body) to the saved
 * record; a refused one answers 400 with the form again.
 */
function formTargets(seed: Seed): Target[] {
  const targets: Target[] = [];
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
