import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaimIn, makeUser } from '../support/factories.ts';

const versionOf = async (ctx: TestContext, id: number) => ((await ctx.db('claims').where({ id }).first('version')) as { version: number }).version;

describe('the review panel on the claim page', () => {
  let ctx: TestContext;
  let editor: User;
  let reviewer: User;
  let colleague: User;
  let editorClient: Client;
  let reviewerClient: Client;
  before(async () => {
    ctx = await createTestApp();
    editor = await makeUser(ctx.db, { role: 'editor', displayName: 'Eve Editor' });
    reviewer = await makeUser(ctx.db, { role: 'reviewer', displayName: 'Rick Reviewer' });
    colleague = await makeUser(ctx.db, { role: 'reviewer', displayName: 'Rosa Colleague' });
    editorClient = await Client.signedIn(ctx.app, editor);
    reviewerClient = await Client.signedIn(ctx.app, reviewer);
  });
  after(async () => ctx.close());

  test('pressing Enter in the decision form decides nothing: its first button is a disabled one', async () => {
    const claimId = await makeClaimIn(ctx.db, 'in_review', { author: editor });
    const page = await reviewerClient.get(`/claims/${claimId}`);
    const form = /<form[^>]*aria-labelledby="decision-heading"[^>]*>([\s\S]*?)<\/form>/.exec(page.text)?.[1] ?? '';
    const firstButton = /<button[^>]*>/.exec(form)?.[0] ?? '';
    assert.match(firstButton, /type="submit"/);
    assert.match(firstButton, /\bdisabled\b/, 'the implicit-submission button is disabled');
  });

  test('a reviewer reassigns a claim to a colleague from a list that leaves out its authors', async () => {
    const claimId = await makeClaimIn(ctx.db, 'in_review', { author: editor });
    const page = await reviewerClient.get(`/claims/${claimId}`);
    const picker = /<select[^>]*name="assignee"[^>]*>([\s\S]*?)<\/select>/.exec(page.text)?.[1] ?? '';
    assert.match(picker, new RegExp(`value="${colleague.id}"[^>]*>Rosa Colleague`));
    assert.doesNotMatch(picker, new RegExp(`value="${editor.id}"`), 'the author is not offered');
    const res = await reviewerClient.post(`/claims/${claimId}/assign`, { assignee: colleague.id, expected: '' });
    assert.equal(res.status, 303);
    assert.equal((await ctx.db('claims').where({ id: claimId }).first('assignee_id')).assignee_id, colleague.id);
  });

  test('assigning to an author is refused with the message beside the reviewer field, the picker open', async () => {
    const author = await makeUser(ctx.db, { role: 'reviewer', displayName: 'Ada Author' });
    const claimId = await makeClaimIn(ctx.db, 'in_review', { author });
    const res = await reviewerClient.post(`/claims/${claimId}/assign`, { assignee: author.id, expected: '' });
    assert.equal(res.status, 403, 'a policy refusal');
    assert.match(res.text, /<details class="assign" open>/);
    assert.match(res.text, /id="field-assignee-error"[^>]*>[\s\S]*?Ada Author wrote or edited this claim/);
    assert.match(res.text, /href="#field-assignee"/, 'the error summary links to the field, which exists');
    assert.match(res.text, /id="field-assignee"/);
  });

  test('while changes are requested, the editors see the request in the review panel', async () => {
    const claimId = await makeClaimIn(ctx.db, 'in_review', { author: editor });
    const res = await reviewerClient.post(`/claims/${claimId}/request-changes`, { version: await versionOf(ctx, claimId), comment: 'Link the Axios report as the origin.' });
    assert.equal(res.status, 303);
    const page = await editorClient.get(`/claims/${claimId}`);
    const panel = /<section class="panel" aria-labelledby="actions-heading"[\s\S]*?<\/section>/.exec(page.text)?.[0] ?? '';
    assert.match(panel, /Rick Reviewer asked for changes/);
    assert.match(panel, /Link the Axios report as the origin\./);
  });

  test('after a decision the reviewer is offered the next claim, and reopening sits behind a disclosure', async () => {
    const claimId = await makeClaimIn(ctx.db, 'verified', { author: editor, reviewer });
    const page = await reviewerClient.get(`/claims/${claimId}`);
    assert.match(page.text, /action="\/review\/take-next"[\s\S]*?Take the next claim in the queue/);
    assert.match(page.text, /<details class="action-details"><summary>Reopen this claim<\/summary>/);
    const editorPage = await editorClient.get(`/claims/${claimId}`);
    assert.doesNotMatch(editorPage.text, /Take the next claim in the queue/, 'editors do not work the queue');
  });

  test('a refused decision lists its problems once, in the page’s error summary', async () => {
    const claimId = await makeClaimIn(ctx.db, 'in_review', { author: editor });
    const res = await reviewerClient.post(`/claims/${claimId}/refute`, { version: await versionOf(ctx, claimId) });
    assert.equal(res.status, 400);
    assert.equal(res.text.match(/class="error-summary"/g)?.length, 1);
  });

  test('signed-in pages tell the browser to keep no copy', async () => {
    const claimId = await makeClaimIn(ctx.db, 'draft', { author: editor });
    const res = await editorClient.get(`/claims/${claimId}`);
    assert.equal(res.headers['cache-control'], 'no-store');
  });
});
