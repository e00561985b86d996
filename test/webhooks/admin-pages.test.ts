import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { signatureOf } from '../../server/webhooks/signing.ts';
import type { TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaimIn } from '../support/factories.ts';
import { addEndpoint, dispatch, retriesDueNow, startReceiver, type Receiver, clearWebhooks, openWebhookDesk } from './support.ts';

/** The message shown beside a field of a refused form. */
const besideField = (html: string, field: string) => new RegExp(`id="field-${field}-error"><span class="visually-hidden">Error:</span> ([^<]*)</p>`).exec(html)?.[1] ?? null;

describe('webhooks: the admin pages', () => {
  let ctx: TestContext;
  let people: Record<'editor' | 'reviewer' | 'admin', User>;
  let admin: Client;
  let receiver: Receiver | undefined;
  before(async () => {
    ({ ctx, people, admin } = await openWebhookDesk());
  });
  afterEach(async () => {
    await clearWebhooks(ctx, receiver);
    receiver = undefined;
  });
  after(() => ctx.close());

  test('signed out, the pages send the visitor to sign in; an editor and a reviewer are refused with 403 and see no link to them', async () => {
    const id = await addEndpoint(admin, { url: 'http://127.0.0.1:9/hook' });
    const gets = ['/admin/webhooks', '/admin/webhooks/new', `/admin/webhooks/${id}`];
    const posts = ['/admin/webhooks', `/admin/webhooks/${id}/disable`, `/admin/webhooks/${id}/enable`, `/admin/webhooks/${id}/delete`, `/admin/webhooks/${id}/deliveries/1/replay`];
    const anon = new Client(ctx.app);
    for (const path of gets) assert.equal((await anon.get(path)).headers.location, '/login', path);
    for (const role of ['editor', 'reviewer'] as const) {
      const client = await Client.signedIn(ctx.app, people[role]);
      for (const path of gets) assert.equal((await client.get(path)).status, 403, `${role} GET ${path}`);
      for (const path of posts) assert.equal((await client.post(path, { url: 'http://127.0.0.1:9/x', events: 'claim.decided' })).status, 403, `${role} POST ${path}`);
      assert.doesNotMatch((await client.get('/')).text, /href="\/admin\/webhooks"/);
    }
    assert.match((await admin.get('/')).text, /<a href="\/admin\/webhooks">Webhooks<\/a>/, 'the admin’s navigation links the pages');
    assert.equal(await ctx.db('webhook_endpoints').where({ id }).first('enabled').then((r: { enabled: boolean }) => r.enabled), true, 'nothing changed');
  });

  test('an admin registers an endpoint: a secret left empty is made, stored and shown once; a typed one is never shown', async () => {
    const form = await admin.get('/admin/webhooks/new');
    assert.equal(form.status, 200);
    for (const field of ['field-url', 'field-events', 'field-secret']) assert.match(form.text, new RegExp(`id="${field}"`));
    const id = await addEndpoint(admin, { url: 'http://127.0.0.1:9/hook', events: ['claim.decided', 'claim.reopened'] });
    const page = await admin.get(`/admin/webhooks/${id}`);
    const shown = /id="webhook-secret" readonly value="([^"]+)"/.exec(page.text)?.[1];
    assert.match(shown ?? '', /^[A-Za-z0-9_-]{43}$/, 'a 32-byte secret, base64url');
    assert.equal((await ctx.db('webhook_endpoints').where({ id }).first('secret')).secret, shown);
    assert.match(page.text, /Claim decided, Claim reopened/);
    const again = await admin.get(`/admin/webhooks/${id}`);
    assert.doesNotMatch(again.text, /webhook-secret/, 'shown only once');
    assert.match(again.text, /Set \(never shown again\)/);

    const typed = await addEndpoint(admin, { url: 'http://127.0.0.1:9/other', secret: '  my own secret, typed in  ' });
    assert.doesNotMatch((await admin.get(`/admin/webhooks/${typed}`)).text, /webhook-secret|my own secret/);
    assert.equal((await ctx.db('webhook_endpoints').where({ id: typed }).first('secret')).secret, 'my own secret, typed in');
    const list = await admin.get('/admin/webhooks');
    assert.match(list.text, /http:\/\/127\.0\.0\.1:9\/hook[\s\S]*None yet/);
  });

  test('bad input is refused with 400: each message beside its field, linked from the summary, and the input kept', async () => {
    const empty = await admin.post('/admin/webhooks', { url: '', secret: 'too short' });
    assert.equal(empty.status, 400);
    assert.equal(besideField(empty.text, 'url'), 'Enter the address that receives the events.');
    assert.equal(besideField(empty.text, 'events'), 'Choose at least one event to send.');
    assert.equal(besideField(empty.text, 'secret'), 'The secret must be at least 16 characters long, or leave it empty to have one made.');
    for (const field of ['url', 'events', 'secret']) assert.match(empty.text, new RegExp(`<a href="#field-${field}">`));
    assert.match(empty.text, /id="field-secret"[^>]*value="too short"/);

    const ftp = await admin.post('/admin/webhooks', { url: 'ftp://files.example/hook', events: ['claim.decided', 'claim.bogus'] });
    assert.equal(ftp.status, 400);
    assert.match(besideField(ftp.text, 'url')!, /starting with https:\/\//);
    assert.equal(besideField(ftp.text, 'events'), 'Choose events from the list.');
    assert.match(ftp.text, /value="ftp:\/\/files\.example\/hook"/);
    assert.match(ftp.text, /value="claim\.decided" checked/, 'the ticked event stays ticked');
    assert.equal(Number((await ctx.db('webhook_endpoints').count<{ n: number }[]>('* as n'))[0]!.n), 0);
  });

  test('an address on a private network, the metadata service or this machine is refused beside the field, unless FETCH_ALLOW_HOSTS names its host', async () => {
    for (const [url, words] of [
      ['http://10.1.2.3/hook', /10\.1\.2\.3 is a private network/],
      ['http://169.254.169.254/latest/meta-data', /link-local address \(such as a cloud metadata service\)/],
      ['http://localhost:8080/hook', /localhost is at (127\.0\.0\.1|::1), this machine itself/],
      ['http://[::1]/hook', /this machine itself/],
      ['http://user:pass@127.0.0.1/hook', /user name or password/],
    ] as const) {
      const res = await admin.post('/admin/webhooks', { url, events: 'claim.decided' });
      assert.equal(res.status, 400, url);
      assert.match(besideField(res.text, 'url') ?? '', words, url);
      assert.match(res.text, new RegExp(`id="field-url"[^>]*value="${url.replace(/[.[\]]/g, '\\$&')}"`), `${url} is kept`);
    }
    await addEndpoint(admin, { url: 'http://127.0.0.1:9/hook' }); // named in FETCH_ALLOW_HOSTS
  });

  test('the log shows each delivery’s event, status, response time, attempts, error and next attempt; a replay sends the same id and body, newly signed', async () => {
    receiver = await startReceiver((n) => (n === 0 ? 500 : 204));
    const id = await addEndpoint(admin, { url: receiver.url, events: ['claim.decided'], secret: 'a secret for the replay test' });
    const claimId = await makeClaimIn(ctx.db, 'in_review', { author: people.editor });
    const reviewer = await Client.signedIn(ctx.app, people.reviewer);
    const version = ((await ctx.db('claims').where({ id: claimId }).first('version')) as { version: number }).version;
    assert.equal((await reviewer.post(`/claims/${claimId}/verify`, { version, confidence: 'high', comment: 'Checked.' })).status, 303, 'decided through the app');

    await dispatch(ctx);
    const failed = await admin.get(`/admin/webhooks/${id}`);
    const row = () => /<tr id="delivery-\d+">([\s\S]*?)<\/tr>/.exec(failed.text)![1]!;
    assert.match(row(), /Claim decided/);
    assert.match(row(), new RegExp(`href="/claims/${claimId}"`));
    assert.match(row(), /Failed, will retry/);
    assert.match(row(), /data-label="Status" class="num">500</);
    assert.match(row(), /data-label="Response time" class="num">\d+ ms</);
    assert.match(row(), /data-label="Attempts" class="num">1</);
    assert.match(row(), /The receiver answered HTTP 500/);
    assert.match(row(), /data-label="Next attempt"><time datetime="/);
    assert.match((await admin.get('/admin/webhooks')).text, /Failing[\s\S]*1 attempt in a row/);

    await retriesDueNow(ctx.db);
    await dispatch(ctx);
    const delivered = await admin.get(`/admin/webhooks/${id}`);
    assert.match(delivered.text, /Delivered[\s\S]*data-label="Status" class="num">204<[\s\S]*data-label="Attempts" class="num">2<[\s\S]*data-label="Next attempt">—/);

    const deliveryId = Number(receiver.received[0]!.headers['factdesk-webhook-id']);
    const replay = await admin.post(`/admin/webhooks/${id}/deliveries/${deliveryId}/replay`);
    assert.equal(replay.status, 303);
    assert.match((await admin.get(`/admin/webhooks/${id}`)).text, new RegExp(`Delivery #${deliveryId} will be sent again`));
    await dispatch(ctx, { now: new Date(Date.now() + 5_000) });
    const [first, , replayed] = receiver.received;
    assert.equal(replayed!.headers['factdesk-webhook-id'], String(deliveryId));
    assert.equal(replayed!.body, first!.body, 'the same body');
    assert.notEqual(replayed!.headers['factdesk-webhook-timestamp'], first!.headers['factdesk-webhook-timestamp'], 'a new timestamp');
    const ts = Number(replayed!.headers['factdesk-webhook-timestamp']);
    assert.equal(replayed!.headers['factdesk-webhook-signature'], signatureOf('a secret for the replay test', ts, replayed!.body), 'signed anew');
    assert.match((await admin.get(`/admin/webhooks/${id}`)).text, /data-label="Attempts" class="num">3</);
  });

  test('an admin disables, enables and deletes an endpoint; its deliveries and attempts go with it', async () => {
    receiver = await startReceiver();
    const id = await addEndpoint(admin, { url: receiver.url, events: ['claim.submitted'] });
    await makeClaimIn(ctx.db, 'in_review', { author: people.editor });
    await dispatch(ctx);
    assert.equal((await admin.post(`/admin/webhooks/${id}/disable`)).status, 303);
    const page = await admin.get(`/admin/webhooks/${id}`);
    assert.match(page.text, new RegExp(`This endpoint is disabled since[\\s\\S]*Disabled by ${people.admin.displayName}\\.`));
    assert.equal((await admin.post(`/admin/webhooks/${id}/disable`)).status, 303);
    assert.match((await admin.get(`/admin/webhooks/${id}`)).text, /Nothing changed: the endpoint is already disabled/);
    assert.equal((await admin.post(`/admin/webhooks/${id}/enable`)).status, 303);
    assert.match((await admin.get(`/admin/webhooks/${id}`)).text, /Endpoint enabled/);

    const removed = await admin.post(`/admin/webhooks/${id}/delete`);
    assert.deepEqual([removed.status, removed.headers.location], [303, '/admin/webhooks']);
    assert.equal((await admin.get(`/admin/webhooks/${id}`)).status, 404);
    for (const table of ['webhook_endpoints', 'webhook_deliveries', 'webhook_attempts']) {
      assert.equal(Number((await ctx.db(table).count<{ n: number }[]>('* as n'))[0]!.n), 0, `${table} is empty`);
    }
  });

  test('an endpoint or a delivery that does not exist is a 404, whatever the action', async () => {
    const id = await addEndpoint(admin, { url: 'http://127.0.0.1:9/hook' });
    const other = await addEndpoint(admin, { url: 'http://127.0.0.1:9/other' });
    await makeClaimIn(ctx.db, 'in_review', { author: people.editor });
    const ofOther = (await ctx.db('webhook_deliveries').where({ endpoint_id: other }).first('id')) as { id: number };
    for (const path of ['/admin/webhooks/2147483000', '/admin/webhooks/abc', '/admin/webhooks/0']) assert.equal((await admin.get(path)).status, 404, path);
    for (const action of ['enable', 'disable', 'delete', 'deliveries/1/replay']) assert.equal((await admin.post(`/admin/webhooks/2147483000/${action}`)).status, 404, action);
    assert.equal((await admin.post(`/admin/webhooks/${id}/deliveries/${ofOther.id}/replay`)).status, 404, 'a delivery of another endpoint');
    assert.equal((await admin.post(`/admin/webhooks/${id}/deliveries/nope/replay`)).status, 404);
    assert.equal((await admin.post(`/admin/webhooks/${other}/deliveries/${ofOther.id}/replay`)).status, 303, 'its own endpoint replays it');
  });
});
