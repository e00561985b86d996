import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { appWithEditor, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeReport, makeUser } from '../support/factories.ts';

describe('the claims list and search', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  before(async () => {
    ({ ctx, editor, client } = await appWithEditor());
    const reportId = await makeReport(ctx.db, editor, { body: 'Inflation fell to three percent last year. The harbour bridge opened in 2019. Unemployment rose sharply.' });
    await makeClaim(ctx.db, editor, reportId, { quote: 'Inflation fell to three percent last year.', statement: 'Inflation fell to three percent.', tags: ['economy'] });
    await makeClaim(ctx.db, editor, reportId, { quote: 'The harbour bridge opened in 2019.', statement: 'The harbour bridge opened in 2019.', claimant: 'Mayor', tags: ['infrastructure'] });
    await makeClaim(ctx.db, editor, reportId, { quote: 'Unemployment rose sharply.', statement: 'Unemployment rose sharply.', tags: ['economy'], priority: 3 });
  });
  after(() => ctx.close());

  test('a word in a statement finds its claim, with the match highlighted', async () => {
    const res = await client.get('/claims?q=inflation');
    assert.equal(res.status, 200);
    assert.match(res.text, /<mark>Inflation<\/mark> fell to three percent/);
    const json = await client.getJson('/claims?q=inflation');
    assert.deepEqual(json.body.claims.map((c: { statement: string }) => c.statement), ['Inflation fell to three percent.']);
  });

  test('a word in no claim finds nothing', async () => {
    const json = await client.getJson('/claims?q=zeppelin');
    assert.equal(json.body.claims.length, 0);
  });

  for (const q of ["' OR 1=1 --", '&|!:*', '"unclosed', "'; DROP TABLE claims; --", '\\', '%_']) {
    test(`search input ${JSON.stringify(q)} is a normal search, never a 500`, async () => {
      const res = await client.getJson(`/claims?q=${encodeURIComponent(q)}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.claims.length, 0);
    });
  }

  test('filters by tag and claimant, and sorts by priority', async () => {
    const byTag = await client.getJson('/claims?tag=economy');
    assert.equal(byTag.body.claims.length, 2);
    const byClaimant = await client.getJson('/claims?claimant=mayor');
    assert.equal(byClaimant.body.claims.length, 1);
    const byPriority = await client.getJson('/claims?sort=priority');
    assert.equal(byPriority.body.claims[0].statement, 'Unemployment rose sharply.');
  });

  test('keyset pagination walks every claim exactly once', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: Array.from({ length: 130 }, (_, i) => `Sentence number ${i} is here.`).join(' ') });
    for (let i = 0; i < 130; i++) await makeClaim(ctx.db, editor, reportId, { quote: `Sentence number ${i} is here.`, statement: `Claim ${i}` });
    for (const sort of ['newest', 'oldest', 'priority']) {
      const seen: number[] = [];
      let after: string | null = null;
      do {
        const res = await client.getJson(`/claims?report=${reportId}&sort=${sort}${after ? `&after=${after}` : ''}`);
        assert.equal(res.status, 200);
        seen.push(...res.body.claims.map((c: { id: number }) => c.id));
        after = res.body.next;
      } while (after);
      assert.equal(seen.length, 130, sort);
      assert.equal(new Set(seen).size, 130, sort);
    }
  });

  test('an unknown status or sort is a 400 with a message', async () => {
    const status = await client.getJson('/claims?status=bogus');
    assert.equal(status.status, 400);
    assert.match(status.body.error.fields.status, /Choose a status/);
    assert.equal((await client.getJson('/claims?sort=id;drop')).status, 400);
    assert.equal((await client.getJson('/claims?report=abc')).status, 400);
  });

  test('a date that is not real shows the claims page again (400): the filter form, the message beside the date, the other filters kept', async () => {
    const res = await client.get('/claims?from=2025-13-01&claimant=Mayor&tag=economy&status=draft&status=in_review&sort=priority');
    assert.equal(res.status, 400);
    assert.match(res.text, /<h1>Claims<\/h1>/);
    assert.match(res.text, /class="error-summary"[\s\S]*href="#field-from"[^>]*>Start date must be a real date/);
    assert.match(res.text, /id="field-from-error"/);
    assert.match(res.text, /id="field-from"[^>]*value="2025-13-01"/);
    assert.match(res.text, /id="field-claimant"[^>]*value="Mayor"/);
    assert.match(res.text, /id="field-tag"[^>]*value="economy"/);
    assert.match(res.text, /id="field-status" name="status" value="draft" checked/);
    assert.match(res.text, /name="status" value="in_review" checked/);
    assert.match(res.text, /<option value="priority" selected>/);
    assert.doesNotMatch(res.text, /Unemployment rose sharply/, 'no list that ignores the refused filter');
  });

  test('an unknown status shows the form again with the message beside the statuses, the known ones still ticked', async () => {
    const res = await client.get('/claims?status=bogus&status=verified&q=bridge');
    assert.equal(res.status, 400);
    assert.match(res.text, /href="#field-status"[^>]*>Choose a status from the list/);
    assert.match(res.text, /id="field-status-error"/);
    assert.match(res.text, /name="status" value="verified" checked/);
    assert.match(res.text, /id="field-q"[^>]*value="bridge"/);
    for (const [, target] of res.text.matchAll(/href="#(field-[^"]+)"/g)) assert.match(res.text, new RegExp(`id="${target}"`));
  });

  test('the filter form holds what the URL holds: several statuses, and any person as reviewer or logger', async () => {
    const reviewer = await makeUser(ctx.db, { role: 'reviewer', displayName: 'Rita Reviewer' });
    const res = await client.get(`/claims?status=draft&status=changes_requested&assignee=${reviewer.id}&createdBy=${editor.id}`);
    assert.equal(res.status, 200);
    assert.match(res.text, /name="status" value="draft" checked/);
    assert.match(res.text, /name="status" value="changes_requested" checked/);
    assert.doesNotMatch(res.text, /name="status" value="verified" checked/);
    assert.match(res.text, /id="field-assignee"[\s\S]*?<option value="\d+" selected>Rita Reviewer<\/option>[\s\S]*?<\/select>/);
    assert.match(res.text, new RegExp(`id="field-createdBy"[\\s\\S]*?<option value="${editor.id}" selected>`));
    const unknown = await client.get('/claims?assignee=999999');
    assert.match(unknown.text, /<option value="999999" selected>Account #999999<\/option>/);
  });

  test('a report filter from the URL stays selected though the report is older than the 200 the form lists', async () => {
    const oldest = await makeReport(ctx.db, editor, { title: 'The oldest report' });
    await ctx.db('reports').insert(Array.from({ length: 200 }, (_, i) => ({ title: `Newer ${i}`, body: 'Text.', imported_by: editor.id, created_at: new Date(Date.now() + 60_000 + i) })));
    const res = await client.get(`/claims?report=${oldest}`);
    assert.equal(res.status, 200);
    assert.match(res.text, new RegExp(`<option value="${oldest}" selected>The oldest report</option>`));
  });

  test('claimant suggestions come from claimants already used', async () => {
    const res = await client.getJson('/api/claimants?q=ma');
    assert.deepEqual(res.body.claimants, ['Mayor']);
  });
});
