import assert from 'node:assert/strict';
import { get } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import request from 'supertest';
import { QueueFeed } from '../../server/review/live.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { listen } from '../support/browser.ts';
import { Client, csrfFrom } from '../support/client.ts';
import { makeClaimIn, makeUser, TEST_PASSWORD } from '../support/factories.ts';
import { testDatabaseUrl } from '../support/database.ts';
import { eventually } from '../support/eventually.ts';

/** Signs in through the form and returns the session cookie. */
async function cookieFor(ctx: TestContext, email: string): Promise<string> {
  const page = await request(ctx.app).get('/login');
  const first = ([] as string[]).concat(page.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
  const res = await request(ctx.app).post('/login').set('Cookie', first).type('form').send({ _csrf: csrfFrom(page.text), email, password: TEST_PASSWORD });
  return ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('factdesk.sid='))!.split(';')[0]!;
}

// Both engines are PostgreSQL servers: LISTEN/NOTIFY pushes queue changes to open pages.
describe('the queue page’s live updates', () => {
  let ctx: TestContext;
  let feed: QueueFeed;
  before(async () => {
    feed = new QueueFeed(await testDatabaseUrl(), pino({ level: 'silent' }));
    await feed.start();
    ctx = await createTestApp({}, { feed });
  });
  after(async () => {
    await feed.stop();
    await ctx.close();
  });

  test('an open queue page hears when another reviewer takes a claim', async () => {
    const editor = await makeUser(ctx.db);
    const watcher = await makeUser(ctx.db, { role: 'reviewer' });
    const taker = await makeUser(ctx.db, { role: 'reviewer' });
    await makeClaimIn(ctx.db, 'in_review', { author: editor });
    const server = await listen(ctx.app);
    try {
      const cookie = await cookieFor(ctx, watcher.email);
      let open = false;
      let text = '';
      const req = get(`${server.url}/review/events`, { headers: { cookie, Accept: 'text/event-stream' } }, (res) => {
        assert.equal(res.statusCode, 200);
        assert.match(String(res.headers['content-type']), /text\/event-stream/);
        open = true; // the server subscribed the stream before it answered
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      });
      req.on('error', () => undefined);
      await eventually(() => open, { what: 'the event stream to open' });
      const client = await Client.signedIn(ctx.app, taker);
      assert.equal((await client.postJson('/review/take-next', {})).status, 200);
      const heard = await eventually(() => text.includes('event: queue') && text, { what: 'a queue event' });
      req.destroy();
      assert.match(heard, /event: queue\ndata: \{"claimId":\d+\}/);
    } finally {
      await server.close();
    }
  });
});

/** Opens the queue's event stream; resolves with its status, and collects what arrives until it ends. */
function openStream(url: string, cookie: string): Promise<{ status: number; text: () => string; ended: Promise<void>; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = get(`${url}/review/events`, { headers: { cookie, Accept: 'text/event-stream' } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      const ended = new Promise<void>((done) => res.on('end', () => done()));
      resolve({ status: res.statusCode ?? 0, text: () => text, ended, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

describe('the queue feed when its database connection drops', () => {
  test('open streams end (pages fall back to polling), new pages are told to poll, and the feed comes back by itself', async () => {
    const applicationName = `factdesk-queue-feed-test-${process.pid}`;
    const feed = new QueueFeed(await testDatabaseUrl(), pino({ level: 'silent' }), { maxRetryDelayMs: 200, applicationName });
    await feed.start();
    const ctx = await createTestApp({}, { feed });
    const server = await listen(ctx.app);
    try {
      const editor = await makeUser(ctx.db);
      const watcher = await makeUser(ctx.db, { role: 'reviewer' });
      const cookie = await cookieFor(ctx, watcher.email);
      const stream = await openStream(server.url, cookie);
      assert.equal(stream.status, 200);
      await ctx.db.raw('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?', [applicationName]);
      await stream.ended;
      assert.equal(feed.live, false);
      const whileDown = await openStream(server.url, cookie);
      assert.equal(whileDown.status, 204, 'a page opened meanwhile polls');
      await eventually(() => feed.live, { what: 'the feed to reconnect' });
      assert.equal(feed.live, true, 'the feed reconnected');
      const again = await openStream(server.url, cookie);
      assert.equal(again.status, 200); // answered: the stream is subscribed
      await makeClaimIn(ctx.db, 'in_review', { author: editor });
      await eventually(() => again.text().includes('event: queue'), { what: 'a queue event' });
      assert.match(again.text(), /event: queue/);
      again.close();
    } finally {
      await feed.stop();
      await server.close();
      await ctx.close();
    }
  });
});

describe('the queue page without a live feed', () => {
  test('the event stream answers 204, so the page polls the change counter instead', async () => {
    const ctx = await createTestApp();
    try {
      const user = await makeUser(ctx.db, { role: 'reviewer' });
      const client = await Client.signedIn(ctx.app, user);
      assert.equal((await client.get('/review/events')).status, 204);
      assert.match((await client.get('/review')).text, /data-mode="poll"/);
      assert.equal(typeof (await client.getJson('/api/review/state')).body.stamp, 'number');
    } finally {
      await ctx.close();
    }
  });
});
