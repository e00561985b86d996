import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { ApiClient, tokenFor } from '../support/api.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeClaimIn, makeEvidence, makeReport, makeSource, makeUser } from '../support/factories.ts';

const BODY = 'The council said the bridge cost 48 million euros in 2024.\n\nCritics said it opened two years late.';

describe('the JSON API: the same rules as the web pages', () => {
  let ctx: TestContext;
  let editor: User;
  let reviewer: User;
  let asEditor: ApiClient;
  let asReviewer: ApiClient;
  before(async () => {
    ctx = await createTestApp();
    editor = await makeUser(ctx.db, { role: 'editor' });
    reviewer = await makeUser(ctx.db, { role: 'reviewer' });
    asEditor = new ApiClient(ctx.app, await tokenFor(ctx.db, editor));
    asReviewer = new ApiClient(ctx.app, await tokenFor(ctx.db, reviewer));
  });
  after(() => ctx.close());

  test('an editor imports a report, logs a claim, links a source and submits it; a reviewer takes and verifies it', async () => {
    const report = await asEditor.post('/api/v1/reports', { title: 'Bridge costs', body: BODY, outlet: 'Daily Example' });
    assert.equal(report.status, 201, JSON.stringify(report.body));
    assert.equal(report.headers.location, `/api/v1/reports/${report.body.id}`);
    const quote = 'the bridge cost 48 million euros in 2024';
    const logged = await asEditor.post(`/api/v1/reports/${report.body.id}/claims`, { quote, statement: 'The bridge cost 48 million euros in 2024.', kind: 'factual' });
    assert.equal(logged.status, 201, JSON.stringify(logged.body));
    const claim = logged.body as { id: number; version: number; status: string; quoteStart: number };
    assert.equal(claim.status, 'draft');
    assert.equal(claim.quoteStart, BODY.indexOf(quote));

    const source = await asEditor.post('/api/v1/sources', { kind: 'document', title: 'Audit office report', url: 'https://audit.example/bridge', reliability: 'A' });
    assert.equal(source.status, 201, JSON.stringify(source.body));
    const linked = await asEditor.post(`/api/v1/claims/${claim.id}/evidence`, { sourceId: source.body.id, relation: 'supports', credibility: 2, excerpt: 'The bridge cost EUR 48m.' });
    assert.equal(linked.status, 201, JSON.stringify(linked.body));
    const current = (await asEditor.get(`/api/v1/claims/${claim.id}`)).body as { version: number };
    const submitted = await asEditor.post(`/api/v1/claims/${claim.id}/submit`, { version: current.version });
    assert.equal(submitted.status, 200, JSON.stringify(submitted.body));
    assert.equal(submitted.body.status, 'in_review');

    const taken = await asReviewer.post('/api/v1/queue/take');
    assert.equal(taken.status, 200);
    assert.equal(taken.body.id, claim.id);
    const verified = await asReviewer.post(`/api/v1/claims/${claim.id}/verify`, { version: taken.body.version, confidence: 'moderate', comment: 'Matches the audit.' });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.status, 'verified');
    const history = await ctx.db('claim_events').where({ claim_id: claim.id, type: 'transition' }).orderBy('id').select('action', 'actor_id');
    assert.deepEqual(history, [
      { action: 'submit', actor_id: editor.id },
      { action: 'verify', actor_id: reviewer.id },
    ], 'the same history entries as the web pages write');
    assert.equal((await asReviewer.post('/api/v1/queue/take')).status, 404, 'the queue is empty now');
  });

  test('the four-eyes rule holds through the API: a reviewer may not decide a claim they wrote', async () => {
    const own = await makeClaimIn(ctx.db, 'in_review', { author: reviewer });
    const version = ((await ctx.db('claims').where({ id: own }).first('version')) as { version: number }).version;
    const refused = await asReviewer.post(`/api/v1/claims/${own}/verify`, { version, confidence: 'high' });
    assert.equal(refused.status, 403);
    assert.match(String(refused.headers['content-type']), /^application\/problem\+json/);
    assert.match(refused.body.detail, /four-eyes/);
    assert.equal(((await ctx.db('claims').where({ id: own }).first('status')) as { status: string }).status, 'in_review');
  });

  test('a stale version is a 409 with the claim as it is now; bad input is a 400 naming each field', async () => {
    const claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const claim = (await asEditor.get(`/api/v1/claims/${claimId}`)).body as { version: number; statement: string; quote: string; kind: string };
    const edit = { quote: claim.quote, statement: 'First edit of the statement.', kind: claim.kind, version: claim.version };
    assert.equal((await asEditor.patch(`/api/v1/claims/${claimId}`, edit)).status, 200);
    const stale = await asEditor.patch(`/api/v1/claims/${claimId}`, { ...edit, statement: 'A second edit from the old version.' });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.code, 'stale_version');
    assert.equal(stale.body.current.statement, 'First edit of the statement.');
    const bad = await asEditor.patch(`/api/v1/claims/${claimId}`, { ...edit, statement: '', kind: 'gossip', version: claim.version + 1 });
    assert.equal(bad.status, 400);
    assert.deepEqual((bad.body.errors as { pointer: string }[]).map((e) => e.pointer).sort(), ['#/kind', '#/statement']);
  });

  test('without a token, with a bad one, or with only a browser session, the API answers 401 and does nothing', async () => {
    const anonymous = new ApiClient(ctx.app, null);
    const res = await anonymous.get('/api/v1/claims');
    assert.equal(res.status, 401);
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="factdesk"');
    assert.match(res.body.detail, /needs a personal access token.*Authorization: Bearer/, 'a program is told what to send, not to sign in');
    assert.equal((await new ApiClient(ctx.app, 'fdk_not-a-real-token').get('/api/v1/claims')).status, 401);
    const browser = await Client.signedIn(ctx.app, editor);
    const reports = await ctx.db('reports').count<{ n: string }[]>({ n: '*' });
    const withCookie = await browser.agent.post('/api/v1/reports').send({ title: 'By cookie', body: 'A report sent with a cookie only.' });
    assert.equal(withCookie.status, 401, 'a session cookie never authenticates the API');
    assert.deepEqual(await ctx.db('reports').count<{ n: string }[]>({ n: '*' }), reports);
  });

  test('a body that is not JSON is refused with 415; an unknown address is a 404 problem', async () => {
    const token = await tokenFor(ctx.db, editor);
    const form = await request(ctx.app).post('/api/v1/reports').set('Authorization', `Bearer ${token}`).type('form').send('title=x&body=y');
    assert.equal(form.status, 415);
    const missing = await asEditor.get('/api/v1/nothing-here');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'not_found');
  });

  test('lists page with a cursor; filters are the claims list’s', async () => {
    const reportId = await makeReport(ctx.db, editor);
    for (let i = 0; i < 3; i++) await makeClaim(ctx.db, editor, reportId, { tags: ['paged'] });
    const first = await asEditor.get(`/api/v1/claims?tag=paged&report=${reportId}`);
    assert.equal(first.status, 200);
    assert.equal(first.body.items.length, 3);
    assert.equal(first.body.next, null);
    const refused = await asEditor.get('/api/v1/claims?status=nonsense');
    assert.equal(refused.status, 400);
    assert.equal(refused.body.errors[0].pointer, '#/status');
    const source = await makeSource(ctx.db, editor, { title: 'Zz paged source' });
    await makeEvidence(ctx.db, editor, (first.body.items as { id: number }[])[0]!.id, { sourceId: source });
    const sources = await asEditor.get('/api/v1/sources?q=paged');
    assert.ok((sources.body.items as { id: number }[]).some((s) => s.id === source));
  });
});
