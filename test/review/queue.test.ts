import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaimIn, makeDesk, makeReport, makeUser } from '../support/factories.ts';
import { assertWorkflowInvariants } from '../support/invariants.ts';

const claimRow = (ctx: TestContext, id: number) => ctx.db('claims').where({ id }).first();

describe('the review queue', () => {
  let ctx: TestContext;
  let editor: User;
  before(async () => {
    ctx = await createTestApp();
    editor = await makeUser(ctx.db, { role: 'editor' });
  });
  after(async () => {
    await assertWorkflowInvariants(ctx.db);
    await ctx.close();
  });

  test('lists claims in review by priority then age, with evidence summary and suggested confidence', async () => {
    const low = await makeClaimIn(ctx.db, 'in_review', { author: editor });
    const urgent = await makeClaimIn(ctx.db, 'in_review', { author: editor });
    await ctx.db('claims').where({ id: urgent }).update({ priority: 3 });
    const reviewer = await makeUser(ctx.db, { role: 'reviewer' });
    const client = await Client.signedIn(ctx.app, reviewer);
    const json = await client.getJson('/review');
    const ids = json.body.items.map((i: { id: number }) => i.id);
    assert.ok(ids.indexOf(urgent) < ids.indexOf(low));
    const item = json.body.items.find((i: { id: number }) => i.id === low);
    assert.equal(item.evidence.supports, 1);
    assert.equal(item.suggestion.level, 'moderate');
    const page = await client.get('/review');
    assert.match(page.text, /Take next claim/);
    assert.match(page.text, /In review: \d+/);
  });

  test('take next assigns the next unassigned claim the reviewer did not write, and opens it', async () => {
    const reviewer = await makeUser(ctx.db, { role: 'reviewer' });
    const own = await makeClaimIn(ctx.db, 'in_review', { author: reviewer });
    await ctx.db('claims').where({ id: own }).update({ priority: 3 });
    const client = await Client.signedIn(ctx.app, reviewer);
    const res = await client.post('/review/take-next');
    assert.equal(res.status, 303);
    const id = Number(res.headers.location!.split('/').pop());
    assert.notEqual(id, own, 'never their own claim, even the most urgent');
    assert.equal((await claimRow(ctx, id)).assignee_id, reviewer.id);
  });

  test('release and assign to another reviewer; assigning to an author is refused', async () => {
    const { reviewer, reviewer2: other } = await makeDesk(ctx.db, ['reviewer', 'reviewer2']);
    const claimId = await makeClaimIn(ctx.db, 'in_review', { author: editor });
    const client = await Client.signedIn(ctx.app, reviewer);
    assert.equal((await client.post(`/claims/${claimId}/assign`, { assignee: 'me', expected: '' })).status, 303);
    assert.equal((await client.post(`/claims/${claimId}/assign`, { assignee: 'me', expected: '' })).status, 409, 'stale expectation');
    assert.equal((await client.post(`/claims/${claimId}/assign`, { assignee: other.id, expected: reviewer.id })).status, 303);
    assert.equal((await claimRow(ctx, claimId)).assignee_id, other.id);
    assert.equal((await client.post(`/claims/${claimId}/assign`, { assignee: 'none', expected: other.id })).status, 303);
    assert.equal((await claimRow(ctx, claimId)).assignee_id, null);
    const toEditor = await client.post(`/claims/${claimId}/assign`, { assignee: editor.id, expected: '' });
    assert.equal(toEditor.status, 400, 'an editor is no choice for review: bad input');
    assert.match(toEditor.text, /id="field-assignee-error"[^>]*>(?:(?!<\/p>).)*Choose an enabled reviewer/);
    // A reviewer who wrote the claim is a choice the four-eyes policy refuses: 403, with the message beside the field.
    const byOther = await makeClaimIn(ctx.db, 'in_review', { author: other });
    const toAuthor = await client.post(`/claims/${byOther}/assign`, { assignee: other.id, expected: '' });
    assert.equal(toAuthor.status, 403);
    assert.match(toAuthor.text, /id="field-assignee-error"[^>]*>(?:(?!<\/p>).)*wrote or edited this claim, so they cannot review it/);
    assert.equal((await claimRow(ctx, byOther)).assignee_id, null, 'nothing stored');
    const json = await client.postJson(`/claims/${byOther}/assign`, { assignee: other.id, expected: null });
    assert.equal(json.status, 403);
    assert.match((json.body as { error: { fields: { assignee: string } } }).error.fields.assignee, /cannot review it/);
    const editorClient = await Client.signedIn(ctx.app, editor);
    assert.equal((await editorClient.post(`/claims/${claimId}/assign`, { assignee: 'me', expected: '' })).status, 403);
  });

  test('queue filters: a refused one comes back beside its field with the others kept; a reviewer from the URL stays chosen', async () => {
    const reviewer = await makeUser(ctx.db, { role: 'reviewer', displayName: 'Queue Filter Reviewer' });
    const client = await Client.signedIn(ctx.app, reviewer);
    const refused = await client.get('/review?report=not-a-report&tag=budapest');
    assert.equal(refused.status, 400);
    assert.match(refused.text, /id="field-report-error"/);
    assert.match(refused.text, /href="#field-report"/);
    assert.match(refused.text, /id="field-tag"[^>]*value="budapest"/);
    assert.match(refused.text, /Correct the filters marked above/);
    const claimId = await makeClaimIn(ctx.db, 'in_review', { author: editor });
    await ctx.db('claims').where({ id: claimId }).update({ assignee_id: reviewer.id });
    const mine = await client.get(`/review?assignee=${reviewer.id}`);
    assert.equal(mine.status, 200);
    assert.match(mine.text, new RegExp(`<option value="${reviewer.id}" selected>Queue Filter Reviewer</option>`));
    assert.match(mine.text, new RegExp(`href="/claims/${claimId}"`));
  });

  test('the live-update counter moves when a claim is taken', async () => {
    const reviewer = await makeUser(ctx.db, { role: 'reviewer' });
    await makeClaimIn(ctx.db, 'in_review', { author: editor });
    const client = await Client.signedIn(ctx.app, reviewer);
    const before = (await client.getJson('/api/review/state')).body.stamp;
    await client.post('/review/take-next');
    assert.ok((await client.getJson('/api/review/state')).body.stamp > before);
  });
});

describe('concurrency', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestApp();
  });
  after(() => ctx.close());

  test('20 reviewers press "Take next" at once on 20 claims: 20 different claims, none twice', async () => {
    const author = await makeUser(ctx.db, { role: 'editor' });
    const reportId = await makeReport(ctx.db, author);
    const claims = [];
    for (let i = 0; i < 20; i++) claims.push(await makeClaimIn(ctx.db, 'in_review', { author, reportId }));
    const reviewers = await Promise.all(Array.from({ length: 20 }, () => makeUser(ctx.db, { role: 'reviewer' })));
    const clients = [];
    for (const r of reviewers) clients.push(await Client.signedIn(ctx.app, r));
    await Promise.all(clients.map((c) => c.csrf()));
    const taken = await Promise.all(clients.map(async (c) => (await c.postJson('/review/take-next', {})).body.id as number));
    const assigned = await ctx.db('claims').whereIn('id', claims).select('id', 'assignee_id');
    assert.equal(new Set(taken).size, 20, `taken: ${taken.join(',')}`);
    assert.deepEqual([...taken].sort((a, b) => a - b), [...claims].sort((a, b) => a - b));
    assert.equal(new Set(assigned.map((r) => r.assignee_id)).size, 20, 'each reviewer holds one claim');
  });

  test('10 parallel "verify" requests for one claim: exactly one succeeds, the rest get 409, one transition event', async () => {
    const author = await makeUser(ctx.db, { role: 'editor' });
    const claimId = await makeClaimIn(ctx.db, 'in_review', { author });
    const version = (await claimRow(ctx, claimId)).version;
    const clients = [];
    for (let i = 0; i < 10; i++) clients.push(await Client.signedIn(ctx.app, await makeUser(ctx.db, { role: 'reviewer' })));
    await Promise.all(clients.map((c) => c.csrf()));
    const statuses = (await Promise.all(clients.map((c) => c.postJson(`/claims/${claimId}/verify`, { version, confidence: 'high' })))).map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 1, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 409).length, 9, statuses.join(','));
    const events = await ctx.db('claim_events').where({ claim_id: claimId, type: 'transition', action: 'verify' });
    assert.equal(events.length, 1);
    await assertWorkflowInvariants(ctx.db);
  });
});
