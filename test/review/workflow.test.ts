import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeClaimIn, makeDesk, makeEvidence, makeReport, makeUser } from '../support/factories.ts';
import { assertWorkflowInvariants } from '../support/invariants.ts';

const claimRow = (ctx: TestContext, id: number) => ctx.db('claims').where({ id }).first();

describe('the verification workflow over HTTP', () => {
  let ctx: TestContext;
  let editor: User;
  let reviewer: User;
  let editorClient: Client;
  let reviewerClient: Client;
  before(async () => {
    ctx = await createTestApp();
    ({ editor, reviewer } = await makeDesk(ctx.db, ['editor', 'reviewer']));
    editorClient = await Client.signedIn(ctx.app, editor);
    reviewerClient = await Client.signedIn(ctx.app, reviewer);
  });
  after(async () => {
    await assertWorkflowInvariants(ctx.db);
    await ctx.close();
  });

  test('a claim goes from draft to verified through the UI routes, each step an event with its actor', async () => {
    const claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    await makeEvidence(ctx.db, editor, claimId, { relation: 'supports', reliability: 'A', credibility: 2 });
    let row = await claimRow(ctx, claimId);
    assert.equal((await editorClient.post(`/claims/${claimId}/submit`, { version: row.version })).status, 303);
    row = await claimRow(ctx, claimId);
    assert.equal(row.status, 'in_review');
    const page = await reviewerClient.get(`/claims/${claimId}`);
    assert.match(page.text, /formaction="\/claims\/\d+\/verify"/, 'the reviewer sees the decision panel');
    assert.doesNotMatch((await editorClient.get(`/claims/${claimId}`)).text, /formaction="\/claims\/\d+\/verify"/, 'the editor does not');
    const res = await reviewerClient.post(`/claims/${claimId}/verify`, { version: row.version, confidence: 'high', comment: 'Records confirm it.' });
    assert.equal(res.status, 303);
    row = await claimRow(ctx, claimId);
    assert.equal(row.status, 'verified');
    assert.equal(row.confidence, 'high');
    assert.equal(row.decided_by, reviewer.id);
    assert.equal(row.rationale, 'Records confirm it.');
    const transitions = await ctx.db('claim_events').where({ claim_id: claimId, type: 'transition' }).orderBy('id');
    assert.deepEqual(transitions.map((e) => [e.action, e.from_status, e.to_status, e.actor_id]), [
      ['submit', 'draft', 'in_review', editor.id],
      ['verify', 'in_review', 'verified', reviewer.id],
    ]);
  });

  test('a reviewer who created a claim gets 403 on every decision, also when posting by hand', async () => {
    const claimId = await makeClaimIn(ctx.db, 'in_review', { author: reviewer });
    const row = await claimRow(ctx, claimId);
    assert.doesNotMatch((await reviewerClient.get(`/claims/${claimId}`)).text, /formaction=/, 'no decision buttons');
    for (const action of ['verify', 'refute', 'mark-unverifiable', 'request-changes']) {
      const res = await reviewerClient.post(`/claims/${claimId}/${action}`, { version: row.version, confidence: 'high', comment: 'Deciding my own claim.' });
      assert.equal(res.status, 403, action);
      assert.match(res.text, /four-eyes rule/);
    }
    assert.equal((await claimRow(ctx, claimId)).status, 'in_review');
  });

  test('a reviewer who edited the statement of a claim gets 403 on every decision', async () => {
    const claimId = await makeClaimIn(ctx.db, 'changes_requested', { author: editor });
    let row = await claimRow(ctx, claimId);
    const edited = await reviewerClient.post(`/claims/${claimId}`, {
      statement: 'Reworded by the reviewer.', quote: row.quote, claimant: row.claimant ?? '', kind: row.kind, tags: '', priority: row.priority, version: row.version,
    });
    assert.equal(edited.status, 303);
    row = await claimRow(ctx, claimId);
    assert.equal((await editorClient.post(`/claims/${claimId}/resubmit`, { version: row.version })).status, 303);
    row = await claimRow(ctx, claimId);
    for (const action of ['verify', 'refute', 'mark-unverifiable', 'request-changes']) {
      assert.equal((await reviewerClient.post(`/claims/${claimId}/${action}`, { version: row.version, confidence: 'high', comment: 'x' })).status, 403, action);
    }
  });

  test('an admin who wrote the claim is bound by the four-eyes rule too', async () => {
    const admin = await makeUser(ctx.db, { role: 'admin' });
    const claimId = await makeClaimIn(ctx.db, 'in_review', { author: admin });
    const row = await claimRow(ctx, claimId);
    const res = await (await Client.signedIn(ctx.app, admin)).post(`/claims/${claimId}/verify`, { version: row.version, confidence: 'high' });
    assert.equal(res.status, 403);
  });

  test('the database itself refuses a decision by an author, made directly in SQL', async () => {
    const claimId = await makeClaimIn(ctx.db, 'in_review', { author: reviewer });
    await assert.rejects(
      ctx.db('claims').where({ id: claimId }).update({ status: 'verified', status_changed_by: reviewer.id, decided_by: reviewer.id }),
      /four-eyes rule/,
    );
    await assert.rejects(ctx.db('claims').where({ id: claimId }).update({ status: 'verified' }), /four-eyes rule/, 'without naming a decider, the last one (the submitter) counts');
    await assert.rejects(ctx.db('claims').where({ id: claimId }).update({ authors: [] }), /authors of a claim can only grow|claims_authors_check/);
    await assert.rejects(ctx.db('claims').where({ id: claimId }).update({ assignee_id: reviewer.id }), /cannot be assigned to one of its authors/);
  });

  test('the database refuses an author as the decider whichever column names them, and a status change off the table', async () => {
    const other = await makeUser(ctx.db, { role: 'reviewer' });
    const inReview = await makeClaimIn(ctx.db, 'in_review', { author: editor });
    const decidedByAuthor = { status: 'refuted', status_changed_by: other.id, decided_by: editor.id, decided_at: ctx.db.fn.now(), version: ctx.db.raw('version + 1') };
    // Refused twice over: the decider is an author, and not the person who changed the status.
    await assert.rejects(ctx.db('claims').where({ id: inReview }).update(decidedByAuthor), /claims_decider_not_author|names as its decider the person who made it/);
    await assert.rejects(ctx.db('claims').where({ id: inReview }).update({ ...decidedByAuthor, status_changed_by: editor.id }), /four-eyes rule/);
    const draft = await makeClaimIn(ctx.db, 'draft', { author: editor });
    await assert.rejects(
      ctx.db('claims').where({ id: draft }).update({ status: 'verified', status_changed_by: other.id, decided_by: other.id, decided_at: ctx.db.fn.now(), version: ctx.db.raw('version + 1') }),
      /cannot go from draft to verified/,
    );
    const rows = await ctx.db('claims').whereIn('id', [inReview, draft]).orderBy('id').select('status');
    assert.deepEqual(rows.map((r) => r.status), ['in_review', 'draft']);
  });

  const guards: [string, 'draft' | 'in_review' | 'verified', string, Record<string, string>, RegExp][] = [
    ['submit without evidence', 'draft', 'submit', {}, /Link at least one source/],
    ['verify without a confidence level', 'in_review', 'verify', { comment: 'ok' }, /Choose how confident/],
    ['refute without a contradicting link', 'in_review', 'refute', { comment: 'Wrong.' }, /at least one contradicting source/],
    ['refute without a rationale', 'in_review', 'refute', {}, /Write the rationale: what shows/],
    ['mark unverifiable without a rationale', 'in_review', 'mark-unverifiable', {}, /Write the rationale: why the claim can be neither/],
    ['request changes without a comment', 'in_review', 'request-changes', {}, /Write what needs to change/],
    ['reopen without a reason', 'verified', 'reopen', {}, /Write why the claim is reopened/],
  ];
  for (const [what, status, path, form, message] of guards) {
    test(`${what} is refused with 400 and its message; the claim is unchanged`, async () => {
      const claimId = status === 'draft' ? await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor)) : await makeClaimIn(ctx.db, status, { author: editor });
      const before = await claimRow(ctx, claimId);
      const client = path === 'submit' ? editorClient : reviewerClient;
      const res = await client.post(`/claims/${claimId}/${path}`, { version: before.version, ...form });
      assert.equal(res.status, 400);
      assert.match(res.text, message);
      assert.deepEqual(await claimRow(ctx, claimId), before);
    });
  }

  test('verify with contradicting evidence needs a note', async () => {
    const claimId = await makeClaimIn(ctx.db, 'in_review', { author: editor });
    await makeEvidence(ctx.db, editor, claimId, { relation: 'contradicts', reliability: 'D' });
    const row = await claimRow(ctx, claimId);
    const res = await reviewerClient.post(`/claims/${claimId}/verify`, { version: row.version, confidence: 'moderate' });
    assert.equal(res.status, 400);
    assert.match(res.text, /Some evidence contradicts this claim/);
    assert.equal((await reviewerClient.post(`/claims/${claimId}/verify`, { version: row.version, confidence: 'moderate', comment: 'The contradicting blog misread the records.' })).status, 303);
  });

  test('a claim whose quote a correction removed cannot be verified until it is anchored again; it can be sent back', async () => {
    const claimId = await makeClaimIn(ctx.db, 'in_review', { author: editor });
    await ctx.db('claims').where({ id: claimId }).update({ quote_missing: true });
    const before = await claimRow(ctx, claimId);
    const res = await reviewerClient.post(`/claims/${claimId}/verify`, { version: before.version, confidence: 'high', comment: 'Fine.' });
    assert.equal(res.status, 400);
    assert.match(res.text, /The quote is no longer in the report’s current text/);
    assert.match(res.text, /id="field-quote"/, 'the message sits in the decision panel, where the summary links to it');
    assert.deepEqual(await claimRow(ctx, claimId), before);
    const back = await reviewerClient.post(`/claims/${claimId}/request-changes`, { version: before.version, comment: 'Anchor it to the corrected text.' });
    assert.equal(back.status, 303);
  });

  test('refuting without choosing a confidence keeps the level set before', async () => {
    const claimId = await makeClaimIn(ctx.db, 'in_review', { author: editor });
    await makeEvidence(ctx.db, editor, claimId, { relation: 'contradicts', reliability: 'A', credibility: 2 });
    await ctx.db('claims').where({ id: claimId }).update({ confidence: 'moderate' });
    const row = await claimRow(ctx, claimId);
    const res = await reviewerClient.postJson(`/claims/${claimId}/refute`, { version: row.version, comment: 'The records say 2021.' });
    assert.equal(res.status, 200);
    const after = await claimRow(ctx, claimId);
    assert.equal(after.status, 'refuted');
    assert.equal(after.confidence, 'moderate');
  });

  test('a transition from a status that does not allow it is a 409', async () => {
    const claimId = await makeClaimIn(ctx.db, 'verified', { author: editor });
    const row = await claimRow(ctx, claimId);
    const res = await reviewerClient.post(`/claims/${claimId}/refute`, { version: row.version, comment: 'x' });
    assert.equal(res.status, 409);
    assert.match(res.text, /A claim that is verified cannot be refuted/);
  });

  test('a stale version is a 409 that says what changed', async () => {
    const claimId = await makeClaimIn(ctx.db, 'in_review', { author: editor });
    const row = await claimRow(ctx, claimId);
    assert.equal((await reviewerClient.post(`/claims/${claimId}/request-changes`, { version: row.version, comment: 'Add the origin.' })).status, 303);
    const other = await Client.signedIn(ctx.app, await makeUser(ctx.db, { role: 'reviewer' }));
    const res = await other.post(`/claims/${claimId}/verify`, { version: row.version, confidence: 'high' });
    assert.equal(res.status, 409);
    assert.match(res.text, /changed after you opened it: it is now changes requested/);
  });

  test('a decided claim cannot be edited or get evidence until reopened; reopen needs a reason and lands in changes_requested', async () => {
    const claimId = await makeClaimIn(ctx.db, 'verified', { author: editor });
    let row = await claimRow(ctx, claimId);
    const edit = await editorClient.post(`/claims/${claimId}`, { statement: 'Changed after the verdict', quote: row.quote, kind: row.kind, version: row.version, priority: 1 });
    assert.equal(edit.status, 409);
    const ev = await editorClient.post(`/claims/${claimId}/evidence`, { relation: 'supports', credibility: 2, newTitle: 'Late', newUrl: 'https://late.example/x' });
    assert.equal(ev.status, 409);
    assert.equal((await editorClient.post(`/claims/${claimId}/reopen`, { version: row.version, comment: 'x' })).status, 403, 'editors cannot reopen');
    assert.equal((await reviewerClient.post(`/claims/${claimId}/reopen`, { version: row.version })).status, 400);
    assert.equal((await reviewerClient.post(`/claims/${claimId}/reopen`, { version: row.version, comment: 'A correction came in.' })).status, 303);
    row = await claimRow(ctx, claimId);
    assert.equal(row.status, 'changes_requested');
    assert.equal(row.decided_by, null);
    assert.equal((await editorClient.post(`/claims/${claimId}/evidence`, { relation: 'supports', credibility: 2, newTitle: 'Late', newUrl: 'https://late.example/x' })).status, 303);
  });

  test('withdraw and restore: withdrawn claims return to draft', async () => {
    const claimId = await makeClaimIn(ctx.db, 'in_review', { author: editor });
    let row = await claimRow(ctx, claimId);
    assert.equal((await editorClient.post(`/claims/${claimId}/withdraw`, { version: row.version })).status, 303);
    row = await claimRow(ctx, claimId);
    assert.equal(row.status, 'withdrawn');
    assert.equal((await editorClient.post(`/claims/${claimId}/restore`, { version: row.version })).status, 303);
    assert.equal((await claimRow(ctx, claimId)).status, 'draft');
  });

  test('comments join the claim’s history; an empty one is refused beside the field', async () => {
    const claimId = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    assert.equal((await reviewerClient.post(`/claims/${claimId}/comments`, { body: '  ' })).status, 400);
    assert.equal((await reviewerClient.post(`/claims/${claimId}/comments`, { body: 'Which Axios report is this?' })).status, 303);
    const page = await editorClient.get(`/claims/${claimId}`);
    assert.match(page.text, /Which Axios report is this\?/);
    assert.match(page.text, /commented/);
  });
});
