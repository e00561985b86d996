import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeReport, makeUser } from '../support/factories.ts';

describe('the claims list as a page', () => {
  let ctx: TestContext;
  let client: Client;
  let id: number;
  before(async () => {
    ctx = await createTestApp();
    const editor: User = await makeUser(ctx.db);
    client = await Client.signedIn(ctx.app, editor);
    const reportId = await makeReport(ctx.db, editor, { body: 'Inflation fell to three percent <last> year, the minister said.' });
    id = await makeClaim(ctx.db, editor, reportId, { quote: 'Inflation fell to three percent <last> year', statement: 'Inflation fell to three percent <last> year.', claimant: 'Minister' });
  });
  after(() => ctx.close());

  test('the statement is the link to its claim, with search matches marked inside it and escaped', async () => {
    const res = await client.get('/claims?q=inflation');
    assert.equal(res.status, 200);
    assert.match(res.text, new RegExp(`<a href="/claims/${id}"><span class="muted">#${id}</span> <mark>Inflation</mark> fell to three percent &lt;last&gt; year\\.</a>`));
    const plain = await client.get('/claims');
    assert.match(plain.text, new RegExp(`<a href="/claims/${id}"><span class="muted">#${id}</span> Inflation fell to three percent &lt;last&gt; year\\.</a>`));
  });

  test('the table becomes one card per row on narrow screens: it uses the stacking pattern, each cell but the statement labelled', async () => {
    const res = await client.get('/claims');
    assert.match(res.text, /<table class="table table--stack">/);
    const row = /<tbody>\s*<tr>([^]*?)<\/tr>/.exec(res.text)![1]!;
    const cells = [...row.matchAll(/<td([^>]*)>/g)].map((m) => /data-label="([^"]+)"/.exec(m[1]!)?.[1] ?? null);
    assert.deepEqual(cells, ['Select', null, 'Status', 'Claimant', 'Evidence', 'Report', 'Logged'], 'the bulk box first, then the statement');
  });
});
