import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { after, afterEach, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { TRANSITION_ACTIONS } from '../../server/review/states.ts';
import { EVENT_OF_ACTION } from '../../server/webhooks/events.ts';
import type { TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeClaimIn, makeEvidence, makeReport } from '../support/factories.ts';
import { addEndpoint, deliveries, dispatch, move, retriesDueNow, startReceiver, type Received, type Receiver, clearWebhooks, openWebhookDesk } from './support.ts';

// The README's verification recipe ("Webhooks"), word for word but for the types.
function verifyFactdesk(secret: string, headers: Record<string, string | string[] | undefined>, rawBody: string) {
  const timestamp = headers['factdesk-webhook-timestamp'];
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`);
  const given = Buffer.from(String(headers['factdesk-webhook-signature'] ?? ''));
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300; // refuse anything older than 5 minutes
  return fresh && given.length === expected.length && timingSafeEqual(given, expected);
}

const SECRET = 'the newsroom CMS shared secret';

describe('webhooks: what a receiver gets', () => {
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

  test('a claim submitted and verified is delivered twice, signed, and the signature verifies with the README’s recipe', async () => {
    receiver = await startReceiver();
    await addEndpoint(admin, { url: receiver.url, secret: SECRET });
    const reportId = await makeReport(ctx.db, people.editor, { title: 'The bridge, checked' });
    const claimId = await makeClaimIn(ctx.db, 'in_review', { author: people.editor, reportId });
    await move(ctx.db, people.reviewer, claimId, 'verify', { comment: 'The opening is in the council’s records.', confidence: 'high' });

    const pass = await dispatch(ctx);
    assert.deepEqual({ claimed: pass.claimed, delivered: pass.delivered, failed: pass.failed }, { claimed: 2, delivered: 2, failed: 0 });
    assert.equal(receiver.received.length, 2);
    for (const { headers, body } of receiver.received) {
      assert.equal(verifyFactdesk(SECRET, headers, body), true, 'the signature verifies');
      assert.equal(verifyFactdesk('another secret of 16+ chars', headers, body), false, 'not with another secret');
      assert.equal(verifyFactdesk(SECRET, headers, body.replace('verified', 'refuted').replace('in_review', 'draft')), false, 'not for a changed body');
      assert.match(String(headers['factdesk-webhook-signature']), /^v1=[0-9a-f]{64}$/);
      assert.match(String(headers['content-type']), /^application\/json/);
      const parsed = JSON.parse(body) as { id: number; event: string };
      assert.equal(headers['factdesk-webhook-id'], String(parsed.id));
      assert.equal(headers['factdesk-webhook-event'], parsed.event);
    }
    const bodies = receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    const decided = bodies.find((b) => b.event === 'claim.decided')!;
    const submitted = bodies.find((b) => b.event === 'claim.submitted')!;
    assert.match(String(decided.occurredAt), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(decided, {
      id: decided.id,
      event: 'claim.decided',
      occurredAt: decided.occurredAt,
      claim: {
        id: claimId,
        url: `http://factdesk.test/claims/${claimId}`,
        statement: 'The bridge opened in 2019.',
        status: 'verified',
        verdict: 'True',
        confidence: 'high',
        report: { id: reportId, title: 'The bridge, checked' },
      },
      actor: { id: people.reviewer.id, name: people.reviewer.displayName },
      comment: 'The opening is in the council’s records.',
    });
    assert.deepEqual(submitted.claim, { ...(decided.claim as object), status: 'in_review', verdict: null, confidence: null });
    assert.deepEqual(submitted.actor, { id: people.editor.id, name: people.editor.displayName });
    assert.deepEqual(Object.keys(decided), ['id', 'event', 'occurredAt', 'claim', 'actor', 'comment'], 'the fields in the documented order');
    const rows = await deliveries(ctx.db);
    assert.deepEqual(rows.map((d) => [d.state, d.attempts, d.last_status, d.next_attempt_at]), [['delivered', 1, 204, null], ['delivered', 1, 204, null]]);
    assert.equal((await dispatch(ctx)).claimed, 0, 'a delivered delivery is not sent again');
  });

  test('a receiver that fails three times, then succeeds, gets exactly one successful delivery of each event', async () => {
    receiver = await startReceiver((n) => (n < 3 ? 503 : 204));
    await addEndpoint(admin, { url: receiver.url, secret: SECRET });
    const claimId = await makeClaimIn(ctx.db, 'in_review', { author: people.editor });
    await move(ctx.db, people.reviewer, claimId, 'verify', { confidence: 'moderate' });
    await move(ctx.db, people.reviewer, claimId, 'reopen', { comment: 'A newer record disagrees.' });
    await move(ctx.db, people.editor, claimId, 'withdraw');

    const first = await dispatch(ctx);
    assert.deepEqual({ delivered: first.delivered, failed: first.failed }, { delivered: 1, failed: 3 });
    const waiting = (await deliveries(ctx.db)).filter((d) => d.state === 'failed');
    assert.equal(waiting.length, 3);
    for (const d of waiting) {
      assert.equal(d.attempts, 1);
      assert.equal(d.last_status, 503);
      assert.match(d.last_error!, /HTTP 503: Not now, try later/);
      assert.equal((d.next_attempt_at!.getTime() - d.last_attempt_at!.getTime()) / 1000, 45, 'the first retry comes 45 seconds later');
    }
    assert.equal((await dispatch(ctx)).claimed, 0, 'nothing is sent again before its retry is due');

    await retriesDueNow(ctx.db);
    assert.deepEqual((await dispatch(ctx)).delivered, 3);
    await retriesDueNow(ctx.db);
    assert.equal((await dispatch(ctx)).claimed, 0, 'nothing is left to send');

    const accepted = receiver.accepted().map((r) => JSON.parse(r.body) as { id: number; event: string });
    assert.deepEqual(accepted.map((b) => b.event).sort(), ['claim.decided', 'claim.reopened', 'claim.submitted', 'claim.withdrawn'], 'one successful delivery of each event');
    assert.equal(new Set(accepted.map((b) => b.id)).size, 4, 'each delivery succeeded once');
    assert.ok(receiver.received.every((r) => verifyFactdesk(SECRET, r.headers, r.body)), 'every try is signed');
    for (const failed of receiver.received.filter((r) => r.answered === 503)) {
      const retried: Received | undefined = receiver.accepted().find((r) => r.headers['factdesk-webhook-id'] === failed.headers['factdesk-webhook-id']);
      assert.equal(retried?.body, failed.body, 'a retry sends the same id and body');
    }
    assert.equal(Number((await ctx.db('webhook_attempts').count<{ n: number }[]>('* as n'))[0]!.n), 7, 'seven attempts recorded');
    const endpoint = await ctx.db('webhook_endpoints').first('enabled', 'consecutive_failures');
    assert.deepEqual(endpoint, { enabled: true, consecutive_failures: 0 }, 'a success ends the run of failures');
  });

  test('each action of the state table sends the event the README names; requesting changes and restoring send nothing', async () => {
    const all = await addEndpoint(admin, { url: 'http://127.0.0.1:9/hook' });
    const decisionsOnly = await addEndpoint(admin, { url: 'http://127.0.0.1:9/decisions', events: ['claim.decided'] });
    const disabled = await addEndpoint(admin, { url: 'http://127.0.0.1:9/off' });
    assert.equal((await admin.post(`/admin/webhooks/${disabled}/disable`)).status, 303);
    const since = Number((await ctx.db('claim_events').max<{ max: number }[]>('id as max'))[0]!.max);

    const claimId = await makeClaimIn(ctx.db, 'in_review', { author: people.editor });
    for (const [actor, action, comment] of [
      [people.reviewer, 'request_changes', 'Add the origin.'],
      [people.editor, 'resubmit', null],
      [people.reviewer, 'mark_unverifiable', 'No record either way.'],
      [people.reviewer, 'reopen', 'A record turned up.'],
      [people.editor, 'withdraw', null],
      [people.editor, 'restore', null],
    ] as const) {
      await move(ctx.db, actor, claimId, action, comment ? { comment } : {});
    }
    await makeClaimIn(ctx.db, 'refuted', { author: people.editor, reviewer: people.reviewer });
    await makeClaimIn(ctx.db, 'verified', { author: people.editor, reviewer: people.reviewer });

    const transitions = (await ctx.db('claim_events').where('id', '>', since).andWhere({ type: 'transition' }).orderBy('id').select('id', 'action')) as { id: number; action: string }[];
    const rows = (await ctx.db('webhook_deliveries').orderBy('id').select('claim_event_id', 'endpoint_id', 'event')) as { claim_event_id: number; endpoint_id: number; event: string }[];
    const expected = transitions.flatMap((t) => {
      const event = EVENT_OF_ACTION[t.action];
      if (!event) return [];
      return [{ claim_event_id: t.id, endpoint_id: all, event }, ...(event === 'claim.decided' ? [{ claim_event_id: t.id, endpoint_id: decisionsOnly, event }] : [])];
    });
    assert.deepEqual(rows.sort((a, b) => a.claim_event_id - b.claim_event_id || a.endpoint_id - b.endpoint_id), expected);
    assert.deepEqual([...new Set(transitions.map((t) => t.action))].sort(), ['mark_unverifiable', 'refute', 'reopen', 'request_changes', 'restore', 'resubmit', 'submit', 'verify', 'withdraw'], 'every action was taken');
    assert.deepEqual(TRANSITION_ACTIONS.filter((a) => !EVENT_OF_ACTION[a]).sort(), ['request_changes', 'restore'], 'every other action of the state table sends an event');
    assert.ok(!rows.some((r) => r.endpoint_id === disabled), 'a disabled endpoint gets no deliveries');
  });

  test('a decision rolled back after its event was recorded sends nothing', async () => {
    receiver = await startReceiver();
    await addEndpoint(admin, { url: receiver.url, events: ['claim.decided'] });
    const claimId = await makeClaim(ctx.db, people.editor, await makeReport(ctx.db, people.editor));
    await makeEvidence(ctx.db, people.editor, claimId);
    await move(ctx.db, people.editor, claimId, 'submit');
    const { transitionClaim } = await import('../../server/review/transitions.ts');
    const version = ((await ctx.db('claims').where({ id: claimId }).first('version')) as { version: number }).version;
    await assert.rejects(
      ctx.appDb.transaction(async (trx) => {
        await transitionClaim(trx, { actor: people.reviewer, claimId, action: 'verify', version, comment: null, confidence: 'high' });
        const inside = await trx('webhook_deliveries').count<{ n: number }[]>('* as n');
        assert.equal(Number(inside[0]!.n), 1, 'inside the transaction, the decision has its delivery');
        throw new Error('the desk changed its mind before the commit');
      }),
      /changed its mind/,
    );
    assert.equal((await ctx.db('claims').where({ id: claimId }).first('status')).status, 'in_review', 'the decision was rolled back');
    assert.deepEqual(await deliveries(ctx.db), [], 'and so was its delivery');
    assert.equal((await dispatch(ctx)).claimed, 0);
    assert.equal(receiver.received.length, 0, 'the receiver heard nothing');
  });
});
