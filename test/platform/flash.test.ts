import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeUser } from '../support/factories.ts';

describe('the notice of the last action', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestApp();
  });
  after(() => ctx.close());

  test('a JSON request made meanwhile (an autocomplete from the old page) leaves it for the next page, which shows it once', async () => {
    const reviewer = await Client.signedIn(ctx.app, await makeUser(ctx.db, { role: 'reviewer' }));
    const taken = await reviewer.post('/review/take-next', {});
    assert.equal(taken.status, 303);
    assert.equal((await reviewer.getJson('/api/review/state')).status, 200);
    assert.equal((await reviewer.getJson('/api/claimants?q=a')).status, 200);
    assert.match((await reviewer.get('/review')).text, /Nothing to take/);
    assert.doesNotMatch((await reviewer.get('/review')).text, /Nothing to take/, 'shown once');
  });
});
