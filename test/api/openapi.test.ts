import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import request from 'supertest';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { ApiClient, tokenFor, type ApiExchange } from '../support/api.ts';
import { makeUser } from '../support/factories.ts';

type Doc = { paths: Record<string, Record<string, { operationId: string; responses: Record<string, { content?: Record<string, unknown> }> }>> };

/** A JSON pointer's segment, escaped (RFC 6901). */
const segment = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * Every operation of the API is called for real, and every answer it gives
 * is checked against the OpenAPI document the app serves, by a JSON Schema
 * validator (Ajv, draft 2020-12: OpenAPI 3.1's dialect); the document itself
 * is checked against the OpenAPI 3.1 schema.
 */
describe('the OpenAPI description matches what the API answers', () => {
  let ctx: TestContext;
  let doc: Doc;
  let editor: User;
  let reviewer: User;
  const exchanges: ApiExchange[] = [];
  const seen = (e: ApiExchange) => exchanges.push(e);
  let asEditor: ApiClient;
  let asReviewer: ApiClient;

  before(async () => {
    ctx = await createTestApp({ API_RATE_LIMIT: '1000' });
    editor = await makeUser(ctx.db, { role: 'editor' });
    reviewer = await makeUser(ctx.db, { role: 'reviewer' });
    asEditor = new ApiClient(ctx.app, await tokenFor(ctx.db, editor), seen);
    asReviewer = new ApiClient(ctx.app, await tokenFor(ctx.db, reviewer), seen);
    doc = (await request(ctx.app).get('/api/v1/openapi.json')).body as Doc;
  });
  after(() => ctx.close());

  test('the document is valid OpenAPI 3.1', async () => {
    const result = await new Validator().validate(doc as unknown as Parameters<Validator['validate']>[0]);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1)?.slice(0, 2000));
    assert.equal((doc as unknown as { openapi: string }).openapi, '3.1.0');
  });

  test('every operation, called in a working day’s order, answers as described', async () => {
    const version = async (id: number) => ((await asEditor.get(`/api/v1/claims/${id}`)).body as { version: number }).version;
    const report = (await asEditor.post('/api/v1/reports', { title: 'Budget report', body: 'The council said spending rose by 12 percent in 2024.\n\nThe mayor said 300 homes were built.\n\nThe tram opened in March.' })).body as { id: number };
    await asEditor.get('/api/v1/reports');
    await asEditor.get(`/api/v1/reports/${report.id}`);
    const log = async (quote: string) => ((await asEditor.post(`/api/v1/reports/${report.id}/claims`, { quote, statement: `${quote}.`, kind: 'factual', tags: ['api'] })).body as { id: number }).id;
    const [a, b, c] = [await log('spending rose by 12 percent in 2024'), await log('300 homes were built'), await log('The tram opened in March')];
    await asEditor.patch(`/api/v1/claims/${a}`, { quote: 'spending rose by 12 percent in 2024', statement: 'Spending rose by 12 percent in 2024.', kind: 'factual', version: await version(a) });
    await asEditor.get(`/api/v1/claims?tag=api`);
    await asEditor.get(`/api/v1/claims/${a}`);
    const source = (await asEditor.post('/api/v1/sources', { kind: 'dataset', title: 'Budget data', url: 'https://data.example/budget', reliability: 'A' })).body as { id: number };
    await asEditor.post('/api/v1/sources', { kind: 'dataset', title: 'Budget data again', url: 'https://data.example/budget', reliability: 'A' });
    await asEditor.get('/api/v1/sources');
    await asEditor.get(`/api/v1/sources/${source.id}`);
    for (const id of [a, b, c]) await asEditor.post(`/api/v1/claims/${id}/evidence`, { sourceId: source.id, relation: id === b ? 'contradicts' : 'supports', credibility: 2 });
    await asEditor.get(`/api/v1/claims/${a}/evidence`);
    await asEditor.post(`/api/v1/claims/${a}/comments`, { body: 'Checked against the budget data.' });
    await asEditor.get(`/api/v1/claims/${a}/comments`);
    for (const id of [a, b, c]) await asEditor.post(`/api/v1/claims/${id}/submit`, { version: await version(id) });
    await asReviewer.post('/api/v1/queue/take');
    await asReviewer.post(`/api/v1/claims/${a}/request-changes`, { version: await version(a), comment: 'Say where the figure comes from.' });
    await asEditor.post(`/api/v1/claims/${a}/resubmit`, { version: await version(a) });
    await asReviewer.post(`/api/v1/claims/${a}/verify`, { version: await version(a), confidence: 'moderate' });
    await asReviewer.post(`/api/v1/claims/${b}/refute`, { version: await version(b), comment: 'The data says 250.' });
    await asReviewer.post(`/api/v1/claims/${b}/reopen`, { version: await version(b), comment: 'New figures came out.' });
    await asEditor.post(`/api/v1/claims/${b}/withdraw`, { version: await version(b) });
    await asEditor.post(`/api/v1/claims/${b}/restore`, { version: await version(b) });
    await asReviewer.post(`/api/v1/claims/${c}/mark-unverifiable`, { version: await version(c), comment: 'No record of the opening date.' });
    await asReviewer.get('/api/v1/claimreview');
    await asReviewer.get('/api/v1/claimreview?since=start&limit=1');
    // Problems: refused input, no token, a refused role, a missing record, a stale version.
    await asEditor.post(`/api/v1/reports/${report.id}/claims`, { quote: '', statement: '' });
    await new ApiClient(ctx.app, null, seen).get('/api/v1/claims');
    await asEditor.post(`/api/v1/claims/${c}/reopen`, { version: await version(c), comment: 'Editors may not reopen.' });
    await asEditor.get('/api/v1/claims/2147483000');
    await asEditor.patch(`/api/v1/claims/${b}`, { quote: '300 homes were built', statement: 'Stale.', kind: 'factual', version: 1 });

    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema(doc as unknown as object, 'openapi');
    const templates = Object.keys(doc.paths).map((t) => ({ t, re: new RegExp(`^${t.replace(/\{\w+\}/g, '[^/]+')}$`) }));
    const covered = new Map<string, Set<number>>();
    for (const e of exchanges) {
      const template = templates.find((x) => x.re.test(e.path.split('?')[0]!))?.t;
      assert.ok(template, `${e.method} ${e.path} is in the document`);
      const op = doc.paths[template]![e.method];
      assert.ok(op, `${e.method.toUpperCase()} ${template} is described`);
      const response = op.responses[String(e.status)];
      assert.ok(response, `${op.operationId} may answer ${e.status} (${JSON.stringify(e.body).slice(0, 300)})`);
      const type = e.contentType.split(';')[0]!;
      assert.ok(response.content?.[type], `${op.operationId} ${e.status} is described as ${type}`);
      const ref = `openapi#/paths/${segment(template)}/${e.method}/responses/${e.status}/content/${segment(type)}/schema`;
      const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
      assert.ok(validate(e.body), `${op.operationId} ${e.status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(e.body).slice(0, 500)}`);
      covered.set(op.operationId, (covered.get(op.operationId) ?? new Set()).add(e.status));
    }
    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p).map((o) => o.operationId));
    const untried = operations.filter((id) => ![...(covered.get(id) ?? [])].some((s) => s >= 200 && s < 300));
    assert.deepEqual(untried, [], 'every operation answered successfully at least once');
    const problems = new Set([...covered.values()].flatMap((s) => [...s]).filter((s) => s >= 400));
    assert.deepEqual([...problems].sort(), [400, 401, 403, 404, 409]);
  });
});
