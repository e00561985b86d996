import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { claimDue } from '../../server/webhooks/deliveries.repo.ts';
import { BATCH, LEASE_SECONDS } from '../../server/webhooks/dispatcher.ts';
import { DISABLE_AFTER_FAILURES, MAX_ATTEMPTS, retryDelaySeconds } from '../../server/webhooks/schedule.ts';
import { signatureOf } from '../../server/webhooks/signing.ts';
import type { TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaimIn, makeReport } from '../support/factories.ts';
import { addEndpoint, deliveries, dispatch, startReceiver, type Receiver, clearWebhooks, openWebhookDesk } from './support.ts';

describe('webhooks: the retry schedule and the signature, as rules', () => {
  test('a failed delivery waits 45 s, then twice as long each time, and 12 attempts are the last, about a day after the first', () => {
    const waits = Array.from({ length: MAX_ATTEMPTS }, (_, i) => retryDelaySeconds(i + 1));
    assert.deepEqual(waits, [45, 90, 180, 360, 720, 1440, 2880, 5760, 11520, 23040, 46080, null]);
    const hours = waits.reduce<number>((sum, s) => sum + (s ?? 0), 0) / 3600;
    assert.ok(hours > 24 && hours < 27, `the last attempt comes about ${hours.toFixed(1)} hours after the first`);
    assert.ok(DISABLE_AFTER_FAILURES < MAX_ATTEMPTS);
  });

  test('the signature is HMAC-SHA256 of "timestamp.body" in hex, after v1=', () => {
    // Worked out apart: printf '1733390000.{"id":1}' | openssl dgst -sha256 -hmac 'a secret of sixteen+'
    assert.equal(signatureOf('a secret of sixteen+', 1733390000, '{"id":1}'), 'v1=2bab47ecfc286a1c718c10630f0895b6770b705e48b4614096767eff5bb2e23d');
  });
});

describe('webhooks: the dispatcher', () => {
  let ctx: TestContext;
  let people: Record<'editor' | 'reviewer' | 'admin', User>;
  let admin: Client;
  let receiver: Receiver | undefined;
  before(async () => {
    ({ ctx, people, admin } = await openWebhookDesk());
  });
  afterEach(async () => {
    await clearWebhooks(ctx, receiver);
  });
  after(() => ctx.close());

  test('retries back off from 45 s; after 10 failures in a row the endpoint is disabled with a notice; enabled again, the delivery is dead after its 12th attempt', async () => {
    receiver = await startReceiver(() => 500);
    const id = await addEndpoint(admin, { url: receiver.url, events: ['claim.withdrawn'] });
    await makeClaimIn(ctx.db, 'withdrawn', { author: people.editor });
    const row = async () => (await deliveries(ctx.db))[0]!;
    // The clock of each pass is the moment the delivery is due (a millisecond on: the database keeps microseconds).
    const passWhenDue = async () => dispatch(ctx, { now: new Date((await row()).next_attempt_at!.getTime() + 1) });

    for (let n = 1; n <= DISABLE_AFTER_FAILURES; n++) {
      const pass = await passWhenDue();
      assert.equal(pass.failed, 1, `attempt ${n} fails`);
      const d = await row();
      if (n < DISABLE_AFTER_FAILURES) assert.equal((d.next_attempt_at!.getTime() - d.last_attempt_at!.getTime()) / 1000, retryDelaySeconds(n), `wait after attempt ${n}`);
      assert.deepEqual(pass.disabledEndpoints, n === DISABLE_AFTER_FAILURES ? [id] : []);
    }
    assert.equal((await passWhenDue()).claimed, 0, 'a disabled endpoint’s deliveries wait');
    const page = await admin.get(`/admin/webhooks/${id}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /id="disabled-notice"[\s\S]*This endpoint is disabled since <time datetime="[^"]+">[^<]+<\/time>\.<\/strong> 10 attempts in a row failed, the last with: The receiver answered HTTP 500/);
    assert.match(page.text, /Enable endpoint/);
    const list = await admin.get('/admin/webhooks');
    assert.match(list.text, /Disabled/);

    assert.equal((await admin.post(`/admin/webhooks/${id}/enable`)).status, 303);
    assert.deepEqual(await ctx.db('webhook_endpoints').where({ id }).first('enabled', 'consecutive_failures', 'disabled_at'), { enabled: true, consecutive_failures: 0, disabled_at: null });
    assert.doesNotMatch((await admin.get(`/admin/webhooks/${id}`)).text, /disabled-notice/);
    for (let n = DISABLE_AFTER_FAILURES + 1; n <= MAX_ATTEMPTS; n++) assert.equal((await passWhenDue()).failed, 1, `attempt ${n} fails`);
    const dead = await row();
    assert.deepEqual([dead.state, dead.attempts, dead.next_attempt_at], ['dead', MAX_ATTEMPTS, null]);
    assert.equal(receiver.received.length, MAX_ATTEMPTS, 'twelve tries, then no more');
    assert.equal((await dispatch(ctx, { now: new Date(Date.now() + 7 * 86_400_000) })).claimed, 0, 'a dead delivery is never sent again by itself');
  });

  test('at every sending the outbound guard is asked again: a host no longer allowed is not contacted', async () => {
    receiver = await startReceiver();
    await addEndpoint(admin, { url: receiver.url, events: ['claim.submitted'] });
    await makeClaimIn(ctx.db, 'in_review', { author: people.editor });
    const pass = await dispatch(ctx, { rules: { allowHosts: [] } });
    assert.equal(pass.failed, 1);
    const [d] = await deliveries(ctx.db);
    assert.equal(d!.last_status, null);
    assert.match(d!.last_error!, /127\.0\.0\.1 is this machine itself \(a loopback address\)/);
    assert.equal(receiver.received.length, 0, 'the receiver was never contacted');
  });

  test('an endpoint deleted while its delivery is being sent leaves nothing to record, and the pass goes on', async () => {
    await addEndpoint(admin, { url: 'http://127.0.0.1:9/gone', events: ['claim.submitted'] });
    await makeClaimIn(ctx.db, 'in_review', { author: people.editor });
    const pass = await dispatch(ctx, {
      send: async () => {
        await ctx.db('webhook_endpoints').delete();
        return { status: 204, body: Buffer.alloc(0) };
      },
    });
    assert.deepEqual([pass.claimed, pass.delivered, pass.failed], [1, 0, 0]);
    assert.deepEqual(await deliveries(ctx.db), []);
  });

  test('several passes at once never send one delivery twice, and a claimed delivery whose sender died goes out after its lease', async () => {
    receiver = await startReceiver();
    await addEndpoint(admin, { url: receiver.url, events: ['claim.submitted'] });
    const reportId = await makeReport(ctx.db, people.editor);
    for (let i = 0; i < BATCH + 5; i++) await makeClaimIn(ctx.db, 'in_review', { author: people.editor, reportId });
    const results = await Promise.all([dispatch(ctx), dispatch(ctx), dispatch(ctx)]);
    await dispatch(ctx);
    const ids = receiver.received.map((r) => r.headers['factdesk-webhook-id']);
    assert.equal(ids.length, BATCH + 5, `every delivery sent (passes claimed ${results.map((r) => r.claimed).join(', ')})`);
    assert.equal(new Set(ids).size, ids.length, 'none twice');

    // A process claims a delivery and dies before it sends it.
    await makeClaimIn(ctx.db, 'in_review', { author: people.editor, reportId });
    const [claimed] = await claimDue(ctx.appDb, { now: null, leaseSeconds: LEASE_SECONDS, batch: 1 });
    assert.ok(claimed);
    assert.equal((await dispatch(ctx)).claimed, 0, 'held by its lease');
    const later = await dispatch(ctx, { now: new Date(Date.now() + (LEASE_SECONDS + 5) * 1000) });
    assert.equal(later.delivered, 1, 'sent once the lease ran out');
    assert.equal(receiver.received.at(-1)!.headers['factdesk-webhook-id'], String(claimed.id));
  });
});
