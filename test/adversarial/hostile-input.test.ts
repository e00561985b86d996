import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeClaimIn, makeDesk, makeEvidence, makeReport, makeSource } from '../support/factories.ts';
import { assertNoInjectedMarkup } from '../support/html.ts';
import { missingShared } from '../support/shared.ts';
import { hostilePayloads, type Payload } from './payloads.ts';

/** A form of the app: where it posts, a valid filling, and its free-text fields. */
interface FormCase {
  name: string;
  /** Fields where a 100,000-character value is fine: a report's text (limit 1 MB), or hints the server recomputes and never stores (quote context). */
  long?: string[];
  path: (ids: Ids) => Promise<string> | string;
  valid: (ids: Ids) => Promise<Record<string, string | number>> | Record<string, string | number>;
  fields: string[];
  as: 'editor' | 'reviewer' | 'admin';
  /** For forms whose every try needs its own record: makes it and says where to post. */
  prepare?: (ids: Ids) => Promise<{ path: string; valid: Record<string, string | number> }>;
}

interface Ids {
  db: TestContext['db'];
  editor: User;
  reportId: number;
  /** A report no form changes, for claims made during the test. */
  quietReportId: number;
  claimId: number;
  sourceId: number;
  linkId: number;
}

const version = async (ids: Ids, table: string, id: number) => ((await ids.db(table).where({ id }).first('version')) as { version: number }).version;

const FORMS: FormCase[] = [
  { name: 'import report', as: 'editor', path: () => '/reports', valid: () => ({ title: 'T', body: 'Body text.' }), fields: ['title', 'outlet', 'byline', 'url', 'publishedOn', 'body'], long: ['body'] },
  {
    name: 'correct report',
    as: 'editor',
    path: (ids) => `/reports/${ids.reportId}`,
    valid: async (ids) => ({ title: 'T', body: 'The minister said the bridge opened in 2019.', version: await version(ids, 'reports', ids.reportId) }),
    fields: ['title', 'outlet', 'byline', 'url', 'body', 'note', 'version'],
    long: ['body'],
  },
  {
    name: 'log claim',
    as: 'editor',
    path: (ids) => `/reports/${ids.reportId}/claims`,
    valid: () => ({ quote: 'the bridge opened in 2019', statement: 'S', kind: 'factual' }),
    fields: ['quote', 'statement', 'claimant', 'tags', 'kind', 'priority', 'quotePrefix', 'quoteSuffix', 'quoteStart', 'quoteEnd'],
    long: ['quotePrefix', 'quoteSuffix', 'quoteStart', 'quoteEnd'],
  },
  {
    name: 'edit claim',
    as: 'editor',
    path: (ids) => `/claims/${ids.claimId}`,
    valid: async (ids) => ({ quote: 'the bridge opened in 2019', statement: 'S', kind: 'factual', priority: 1, version: await version(ids, 'claims', ids.claimId) }),
    fields: ['statement', 'quote', 'claimant', 'tags', 'confidence', 'version'],
  },
  { name: 'add source', as: 'editor', path: () => '/sources', valid: () => ({ kind: 'web_page', title: 'T', reliability: 'C' }), fields: ['title', 'url', 'publisher', 'author', 'archiveUrl', 'notes', 'accessedOn'] },
  {
    name: 'edit source',
    as: 'editor',
    path: (ids) => `/sources/${ids.sourceId}`,
    valid: async (ids) => ({ kind: 'web_page', title: 'T', reliability: 'C', version: await version(ids, 'sources', ids.sourceId) }),
    fields: ['title', 'publisher', 'notes'],
  },
  {
    name: 'add evidence',
    as: 'editor',
    // A fresh claim for every try, so the page shown again stays small.
    prepare: async (ids) => ({ path: `/claims/${await makeClaim(ids.db, ids.editor, ids.quietReportId)}/evidence`, valid: { relation: 'context', credibility: 3, newTitle: 'N' } }),
    path: () => '/unused',
    valid: () => ({}),
    fields: ['excerpt', 'locator', 'note', 'newTitle', 'newUrl', 'newPublisher', 'sourceId', 'relation', 'credibility'],
  },
  {
    name: 'change evidence',
    as: 'editor',
    path: (ids) => `/claims/${ids.claimId}/evidence/${ids.linkId}`,
    valid: async (ids) => ({ relation: 'supports', credibility: 2, version: await version(ids, 'evidence_links', ids.linkId) }),
    fields: ['excerpt', 'locator', 'note'],
  },
  { name: 'comment', as: 'reviewer', path: (ids) => `/claims/${ids.claimId}/comments`, valid: () => ({ body: 'C' }), fields: ['body'] },
  {
    name: 'request changes',
    as: 'reviewer',
    // A fresh claim in review for every try: a success moves it on.
    prepare: async (ids) => {
      const id = await makeClaimIn(ids.db, 'in_review', { author: ids.editor, reportId: ids.quietReportId });
      return { path: `/claims/${id}/request-changes`, valid: { comment: 'C', version: await version(ids, 'claims', id) } };
    },
    path: () => '/unused',
    valid: () => ({}),
    fields: ['comment'],
  },
  { name: 'add account', as: 'admin', path: () => '/admin/users', valid: () => ({ displayName: 'N', email: `n${Date.now()}${Math.random()}@desk.test`, role: 'editor' }), fields: ['displayName', 'email', 'role'] },
  { name: 'profile', as: 'editor', path: () => '/account/profile', valid: () => ({ displayName: 'Eli' }), fields: ['displayName'] },
  { name: 'sign in', as: 'editor', path: () => '/login', valid: () => ({ email: 'nobody@desk.test', password: 'wrong password here' }), fields: ['email', 'password'] },
];

// Tables whose row counts a refused request must leave as they were.
const JSON_PAYLOADS = new Set(['xss polyglot 1', 'NUL bytes', 'lone surrogates', '100,000 characters', 'SQL metacharacters']);

const TABLES = ['reports', 'report_revisions', 'claims', 'sources', 'evidence_links', 'comments', 'claim_events', 'users'];

describe('hostile text in every free-text field of every form', { skip: missingShared('data/xss-polyglots.txt') }, () => {
  let ctx: TestContext;
  let ids: Ids;
  const clients = {} as Record<FormCase['as'], Client>;
  let tried = 0;

  before(async () => {
    ctx = await createTestApp({ LOGIN_MAX_FAILS_PER_IP: '100000' });
    const { editor, reviewer, admin } = await makeDesk(ctx.db, ['editor', 'reviewer', 'admin']);
    const reportId = await makeReport(ctx.db, editor);
    const claimId = await makeClaim(ctx.db, editor, reportId);
    const sourceId = await makeSource(ctx.db, editor);
    const linkId = await makeEvidence(ctx.db, editor, claimId, { sourceId });
    ids = { db: ctx.db, editor, reportId, quietReportId: await makeReport(ctx.db, editor), claimId, sourceId, linkId };
    clients.editor = await Client.signedIn(ctx.app, editor);
    clients.reviewer = await Client.signedIn(ctx.app, reviewer);
    clients.admin = await Client.signedIn(ctx.app, admin);
  });
  after(async () => {
    console.log(`hostile input: ${tried} payload x field x encoding requests, 0 server errors`);
    await ctx.close();
  });

  const counts = async () =>
    (await ctx.db.raw<{ rows: Record<string, number>[] }>(`SELECT ${TABLES.map((t) => `(SELECT count(*) FROM ${t})::int AS ${t}`).join(', ')}`)).rows[0]!;

  /** Sends the form with one field replaced by the payload, as a form or as JSON. */
  const send = async (form: FormCase, field: string, payload: Payload, encoding: 'form' | 'json', target: { path: string; valid: Record<string, string | number> }) => {
    const client = clients[form.as];
    const path = target.path;
    const values = { ...target.valid, [field]: payload.value };
    if (encoding === 'json') return { path, res: await client.postJson(path, values) };
    if (payload.rawForm) {
      const body = new URLSearchParams(Object.entries(values).map(([k, v]) => [k, String(v)]));
      body.set('_csrf', await client.csrf());
      body.delete(field);
      return { path, res: await client.agent.post(path).type('form').send(`${body.toString()}&${encodeURIComponent(field)}=${payload.rawForm}`) };
    }
    return { path, res: await client.post(path, values) };
  };

  for (const form of FORMS) {
    test(`${form.name}: never a 5xx, a refusal stores nothing, an acceptance is shown escaped`, async () => {
      for (const field of form.fields) {
        for (const payload of hostilePayloads()) {
          for (const encoding of ['form', 'json'] as const) {
            // JSON carries a few payloads per field (forms carry them all); sign-in costs a password hash per try.
            if (encoding === 'json' && (payload.rawForm || !JSON_PAYLOADS.has(payload.name) || form.name === 'sign in')) continue;
            const target = form.prepare ? await form.prepare(ids) : { path: await form.path(ids), valid: await form.valid(ids) };
            const before = await counts();
            const { path, res } = await send(form, field, payload, encoding, target);
            tried += 1;
            const where = `${form.name} ${field}=${payload.name} (${encoding}) -> ${res.status}`;
            assert.ok(res.status < 500, where);
            if (res.status >= 400) {
              assert.deepEqual(await counts(), before, `${where}: a refused request stored something`);
              if (res.status === 400 && encoding === 'form' && res.type === 'text/html') assertNoInjectedMarkup(res.text, where);
            }
            if (payload.value.length >= 100_000 && form.name !== 'sign in' && !form.long?.includes(field)) {
              assert.ok(res.status === 400 || res.status === 413, `${where}: 100,000 characters must be refused, not cut`);
            }
            // Accepted values are checked where they are shown, by the page test below.
            void path;
          }
        }
      }
    });
  }

  test('every page that shows the stored payloads shows them as text', async () => {
    const client = clients.admin;
    const claims = await ctx.db('claims').select('id').orderBy('id', 'desc').limit(20);
    // Only claims that may be edited have an edit form (the others answer 409 with the claim page).
    const editable = await ctx.db('claims').select('id').whereIn('status', ['draft', 'changes_requested']).orderBy('id', 'desc').limit(3);
    const sources = await ctx.db('sources').select('id').orderBy('id', 'desc').limit(10);
    const reports = await ctx.db('reports').select('id').orderBy('id', 'desc').limit(5);
    const pages = [
      '/', '/reports', '/claims', '/claims?q=alert', '/review', '/sources', '/sources?q=script', '/admin/users', '/account', '/claims/sheet?scope=decided',
      ...claims.map((c) => `/claims/${c.id}`),
      ...editable.map((c) => `/claims/${c.id}/edit`),
      ...sources.map((s) => `/sources/${s.id}`),
      ...reports.flatMap((r) => [`/reports/${r.id}`, `/reports/${r.id}/edit`, `/reports/${r.id}/sheet?scope=decided`, `/reports/${r.id}/revisions`]),
    ];
    for (const page of pages) {
      const res = await client.get(page);
      assert.equal(res.status, 200, page);
      assertNoInjectedMarkup(res.text, page);
    }
  });

  test('search and filter parameters with hostile text are normal searches', async () => {
    for (const payload of hostilePayloads()) {
      // As a browser sends them: lone surrogates become U+FFFD; broken UTF-8 goes as raw bytes.
      const q = payload.rawForm ?? encodeURIComponent(payload.value.slice(0, 150).toWellFormed());
      for (const path of [`/claims?q=${q}`, `/claims?claimant=${q}&tag=${q}`, `/sources?q=${q}`, `/reports?q=${q}`, `/review?tag=${q}&claimant=${q}`, `/api/claimants?q=${q}`, `/api/sources?q=${q}`]) {
        const res = await clients.editor.get(path);
        tried += 1;
        assert.ok(res.status === 200 || res.status === 400, `${path}: ${res.status}`);
        if (res.type === 'text/html') assertNoInjectedMarkup(res.text, path);
      }
    }
  });
});
