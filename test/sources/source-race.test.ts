import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeReport, makeUser } from '../support/factories.ts';

const ROUNDS = 25;

describe('two people adding the same new source at the same moment', () => {
  let ctx: TestContext;
  let alice: Client;
  let bob: Client;
  let editor: User;
  before(async () => {
    ctx = await createTestApp();
    editor = await makeUser(ctx.db);
    alice = await Client.signedIn(ctx.app, editor);
    bob = await Client.signedIn(ctx.app, await makeUser(ctx.db));
  });
  after(() => ctx.close());

  test('inline on two claims: one adds the source, the other is offered it (409), never a 500', async () => {
    const reportId = await makeReport(ctx.db, editor);
    for (let round = 0; round < ROUNDS; round++) {
      const a = await makeClaim(ctx.db, editor, reportId);
      const b = await makeClaim(ctx.db, editor, reportId);
      const form = { relation: 'supports', credibility: 2, newTitle: `Race ${round}`, newUrl: `https://race.example/inline/${round}` };
      const [ra, rb] = await Promise.all([alice.post(`/claims/${a}/evidence`, form), bob.post(`/claims/${b}/evidence`, form)]);
      const statuses = [ra.status, rb.status].sort();
      assert.ok(statuses.every((s) => s === 303 || s === 409), `round ${round}: ${statuses.join(', ')}`);
      const sources = await ctx.db('sources').where({ url_normalized: `https://race.example/inline/${round}` });
      assert.equal(sources.length, 1, `round ${round}: one source`);
      for (const res of [ra, rb].filter((r) => r.status === 409)) {
        assert.match(res.text, /already in the library as “Race/);
        assert.match(res.text, new RegExp(`name="sourceId" value="${sources[0].id}"[^>]* checked`));
      }
    }
  });

  test('in the library: one adds the source, the other gets the existing-source offer, never a 500', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const form = { kind: 'web_page', title: `Library race ${round}`, url: `https://race.example/library/${round}`, reliability: 'C' };
      const [ra, rb] = await Promise.all([alice.post('/sources', form), bob.post('/sources', form)]);
      const statuses = [ra.status, rb.status].sort();
      assert.ok(statuses.every((s) => s === 303 || s === 409), `round ${round}: ${statuses.join(', ')}`);
      const sources = await ctx.db('sources').where({ url_normalized: `https://race.example/library/${round}` });
      assert.equal(sources.length, 1, `round ${round}: one source`);
      for (const res of [ra, rb].filter((r) => r.status === 409)) {
        assert.match(res.text, new RegExp(`already in the library as <a href="/sources/${sources[0].id}"`));
        assert.match(res.text, /value="Library race/, 'the input is kept');
      }
    }
  });
});
