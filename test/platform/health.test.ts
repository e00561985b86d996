import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { createTestApp, type TestContext } from '../support/app.ts';

describe('health and errors', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestApp();
  });
  after(() => ctx.close());

  test('GET /healthz answers 200 with the database ok', async () => {
    const res = await request(ctx.app).get('/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok', database: 'ok' });
  });

  test('responses carry a request id and a CSP that allows no inline script', async () => {
    const res = await request(ctx.app).get('/healthz');
    assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
  });
});
