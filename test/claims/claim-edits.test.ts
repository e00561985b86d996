import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeClaimIn, makeEvidence, makeReport, makeUser } from '../support/factories.ts';

describe('editing claims', () => {
  let ctx: TestContext;
  let editor: User;
  before(async () => {
    ctx = await createTestApp();
    editor = await makeUser(ctx.db, { role: 'editor' });
  });
  after(() => ctx.close());

  const form = (claim: { version: number }, changes: Record<string, string | number>) => ({
    statement: 'The bridge opened in 2019.',
    quote: 'the bridge opened in 2019',
    claimant: 'The minister',
    kind: 'factual',
    tags: '',
    priority: 1,
    version: claim.version,
    ...changes,
  });

  test('an edit is saved with an event holding the fields before and after', async () => {
    const client = await Client.signedIn(ctx.app, editor);
    const id = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const res = await client.post(`/claims/${id}`, form({ version: 1 }, { statement: 'The bridge opened in the year 2019.', tags: 'Infrastructure, bridges' }));
    assert.equal(res.status, 303);
    const row = await ctx.db('claims').where({ id }).first();
    assert.equal(row.statement, 'The bridge opened in the year 2019.');
    assert.deepEqual(row.tags, ['infrastructure', 'bridges']);
    assert.equal(row.version, 2);
    const event = await ctx.db('claim_events').where({ claim_id: id, type: 'edited' }).first();
    assert.deepEqual(event.data.changes.statement, { from: 'The bridge opened in 2019.', to: 'The bridge opened in the year 2019.' });
    assert.deepEqual(event.data.changes.tags, { from: [], to: ['infrastructure', 'bridges'] });
  });

  test('two sessions edit the same claim: the second save is a 409, the first is kept, the second user’s text is on the conflict page', async () => {
    const id = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const other = await makeUser(ctx.db, { role: 'editor' });
    const a = await Client.signedIn(ctx.app, editor);
    const b = await Client.signedIn(ctx.app, other);
    // Both open the edit form at version 1.
    assert.match((await a.get(`/claims/${id}/edit`)).text, /name="version" value="1"/);
    assert.match((await b.get(`/claims/${id}/edit`)).text, /name="version" value="1"/);
    assert.equal((await a.post(`/claims/${id}`, form({ version: 1 }, { statement: 'First save wins.' }))).status, 303);
    const second = await b.post(`/claims/${id}`, form({ version: 1 }, { statement: 'Second, unsaved text that must not be lost.' }));
    assert.equal(second.status, 409);
    assert.match(second.text, /Someone else changed this claim/);
    assert.match(second.text, /First save wins\./, 'the current version is shown');
    assert.match(second.text, /Second, unsaved text that must not be lost\./, 'the user’s text is kept');
    assert.match(second.text, /name="version" value="2"/, 'saving again is possible, deliberately');
    const row = await ctx.db('claims').where({ id }).first();
    assert.equal(row.statement, 'First save wins.');
  });

  test('editing the statement makes the editor an author', async () => {
    const id = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const reviewer = await makeUser(ctx.db, { role: 'reviewer' });
    const client = await Client.signedIn(ctx.app, reviewer);
    await client.post(`/claims/${id}`, form({ version: 1 }, { priority: 3 }));
    assert.deepEqual((await ctx.db('claims').where({ id }).first()).authors, [editor.id], 'changing the priority does not');
    await client.post(`/claims/${id}`, form({ version: 2 }, { statement: 'Reworded.' }));
    assert.deepEqual((await ctx.db('claims').where({ id }).first()).authors, [editor.id, reviewer.id]);
  });

  test('moving the quote to another occurrence of the same words is a quote edit: both places recorded, the editor made an author', async () => {
    const body = 'First the bridge opened in 2019, the minister said. Later the bridge opened in 2019 again, critics said.';
    const reportId = await makeReport(ctx.db, editor, { body });
    const first = body.indexOf('the bridge opened in 2019');
    const second = body.lastIndexOf('the bridge opened in 2019');
    const quote = 'the bridge opened in 2019';
    const at = (start: number) => ({ quote, quoteStart: start, quoteEnd: start + quote.length, quotePrefix: body.slice(Math.max(0, start - 32), start), quoteSuffix: body.slice(start + quote.length, start + quote.length + 32) });
    const author = await Client.signedIn(ctx.app, editor);
    const logged = await author.post(`/reports/${reportId}/claims`, { ...at(first), statement: 'The bridge opened in 2019.', claimant: 'The minister', kind: 'factual' });
    assert.equal(logged.status, 303);
    const id = Number(logged.headers.location!.split('/').pop());
    const reviewer = await makeUser(ctx.db, { role: 'reviewer' });
    const client = await Client.signedIn(ctx.app, reviewer);
    const res = await client.post(`/claims/${id}`, form({ version: 1 }, at(second)));
    assert.equal(res.status, 303);
    const row = await ctx.db('claims').where({ id }).first();
    assert.equal(row.quote_start, second);
    assert.deepEqual(row.authors, [editor.id, reviewer.id]);
    const event = await ctx.db('claim_events').where({ claim_id: id, type: 'edited' }).first();
    assert.deepEqual(event.data.changes.quote, { from: { text: quote, start: first, end: first + quote.length }, to: { text: quote, start: second, end: second + quote.length } });
    assert.match((await client.get(`/claims/${id}`)).text, new RegExp(`characters ${first}–${first + quote.length}`));
    // The four-eyes rule now applies to the reviewer.
    await makeEvidence(ctx.db, editor, id, { relation: 'supports' });
    const version = async () => (await ctx.db('claims').where({ id }).first()).version as number;
    assert.equal((await author.post(`/claims/${id}/submit`, { version: await version() })).status, 303);
    const verify = await client.post(`/claims/${id}/verify`, { version: await version(), confidence: 'high', comment: 'Checked.' });
    assert.equal(verify.status, 403);
  });

  for (const status of ['in_review', 'verified', 'withdrawn'] as const) {
    test(`the edit page of a claim that is ${status.replace('_', ' ')} is a 409 on the claim page that says why and what to do`, async () => {
      const id = await makeClaimIn(ctx.db, status, { author: editor });
      const client = await Client.signedIn(ctx.app, editor);
      const res = await client.get(`/claims/${id}/edit`);
      assert.equal(res.status, 409);
      assert.doesNotMatch(res.text, /Save claim/, 'no form that cannot be saved');
      assert.match(res.text, new RegExp(`Claim #${id}`));
      const expected = { in_review: /in review, so it cannot be edited now\. Ask the reviewer to send it back for changes, or withdraw it/, verified: /decided \(verified\), so it is frozen\. A reviewer can reopen it/, withdrawn: /withdrawn, so it cannot be edited\. Restore it to draft first/ }[status];
      assert.match(res.text, expected);
      const json = await client.getJson(`/claims/${id}/edit`);
      assert.equal(json.status, 409);
      assert.equal(json.body.error.code, 'not_editable');
    });
  }

  test('errors on the version field, which the form keeps hidden, are shown as a problem of the form', async () => {
    const id = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    const client = await Client.signedIn(ctx.app, editor);
    const res = await client.post(`/claims/${id}`, form({ version: 1 }, { version: 'x', statement: '' }));
    assert.equal(res.status, 400);
    assert.doesNotMatch(res.text, /href="#field-version"/);
    for (const [, target] of res.text.matchAll(/href="#(field-[^"]+)"/g)) assert.match(res.text, new RegExp(`id="${target}"`), `${target} is on the page`);
    assert.match(res.text, /This form is out of date/);
  });

  test('a claim in review cannot be edited (409 with a message)', async () => {
    const id = await makeClaim(ctx.db, editor, await makeReport(ctx.db, editor));
    await ctx.db('claims').where({ id }).update({ status: 'in_review', status_changed_by: editor.id, version: 2 });
    const client = await Client.signedIn(ctx.app, editor);
    const res = await client.post(`/claims/${id}`, form({ version: 2 }, { statement: 'Changed in review' }));
    assert.equal(res.status, 409);
    assert.match(res.text, /cannot be edited now/);
    assert.equal((await ctx.db('claims').where({ id }).first()).statement, 'The bridge opened in 2019.');
  });
});
