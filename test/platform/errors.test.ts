import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import request from 'supertest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/platform/config.ts';
import { createTestDatabase } from '../support/database.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { makeUser } from '../support/factories.ts';
import { Client } from '../support/client.ts';

describe('errors', () => {
  let ctx: TestContext;
  let client: Client;
  before(async () => {
    ctx = await createTestApp();
    client = await Client.signedIn(ctx.app, await makeUser(ctx.db));
  });
  after(() => ctx.close());

  test('an unknown path is a 404 page for a browser', async () => {
    const res = await client.get('/no/such/page');
    assert.equal(res.status, 404);
    assert.match(res.headers['content-type'] ?? '', /text\/html/);
    assert.match(res.text, /Page not found/);
  });

  test('an unknown path is a JSON 404 for a JSON client', async () => {
    const res = await client.getJson('/no/such/page');
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
    assert.equal(typeof res.body.error.message, 'string');
  });

  test('a signed-out visitor to a page is sent to sign in; a JSON client gets 401', async () => {
    const page = await request(ctx.app).get('/account');
    assert.equal(page.status, 302);
    assert.equal(page.headers.location, '/login');
    const json = await request(ctx.app).get('/account').set('Accept', 'application/json');
    assert.equal(json.status, 401);
    assert.equal(json.body.error.code, 'unauthorized');
  });

  test('malformed JSON is a 400, not a 500', async () => {
    const res = await client.agent
      .post('/account/profile')
      .set('Accept', 'application/json')
      .set('Content-Type', 'application/json')
      .set('X-CSRF-Token', await client.csrf())
      .send('{"displayName": ');
    assert.equal(res.status, 400);
  });

  test('a body over the size limit is a 413', async () => {
    const res = await client.agent
      .post('/account/profile')
      .set('Accept', 'application/json')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ displayName: 'x'.repeat(13 * 1024 * 1024) }));
    assert.equal(res.status, 413);
  });
});

describe('an unexpected error', () => {
  test('is a generic 500 page without internals, logged with the request id', async () => {
    const database = await createTestDatabase();
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(40), LOG_LEVEL: 'info' });
    const app = createApp({ db: database.db, config, logger: pino({ level: 'info' }, sink) });
    await database.close(); // every query from now on throws

    const res = await request(app).get('/login');
    assert.equal(res.status, 500);
    assert.match(res.text, /Something went wrong on our side/);
    assert.doesNotMatch(res.text, /knex|pool|stack|at .*\.ts/i);
    const requestId = String(res.headers['x-request-id']);
    assert.ok(res.text.includes(requestId), 'the page shows the reference');
    const logged = lines.find((l) => l.msg === 'unhandled error');
    assert.ok(logged, 'the error is logged');
    assert.equal(logged.reqId, requestId);
  });
});
