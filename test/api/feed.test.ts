import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { ApiClient, tokenFor } from '../support/api.ts';
import { makeClaimIn, makeUser } from '../support/factories.ts';

interface Feed {
  reviews: { claimReviewed: string; url: string; reviewRating: { alternateName: string } }[];
  since: string | null;
  more: boolean;
}

describe('the ClaimReview feed', () => {
  let open: TestContext;
  let closed: TestContext;
  before(async () => {
    open = await createTestApp({ CLAIMREVIEW_FEED: 'public', PUBLIC_REVIEW_URL: 'https://news.example/checks/{id}' });
    closed = await createTestApp();
  });
  after(async () => {
    await open.close();
    await closed.close();
  });

  const decide = async (ctx: TestContext, people: { author: User; reviewer: User }, status: 'verified' | 'refuted' | 'in_review') => makeClaimIn(ctx.db, status, people);

  test('public: anyone reads the newest decisions, then only what is decided after the cursor it was given', async () => {
    const people = { author: await makeUser(open.db, { role: 'editor' }), reviewer: await makeUser(open.db, { role: 'reviewer' }) };
    const first = await decide(open, people, 'verified');
    const second = await decide(open, people, 'refuted');
    await decide(open, people, 'in_review');
    const anyone = new ApiClient(open.app, null);
    const newest = (await anyone.get('/api/v1/claimreview')).body as Feed;
    assert.deepEqual(newest.reviews.map((r) => r.url), [`https://news.example/checks/${second}`, `https://news.example/checks/${first}`], 'decided claims only, newest first');
    assert.equal(newest.reviews[1]!.reviewRating.alternateName, 'True');
    const nothingNew = (await anyone.get(`/api/v1/claimreview?since=${newest.since}`)).body as Feed;
    assert.deepEqual(nothingNew.reviews, []);
    assert.equal(nothingNew.since, newest.since, 'the cursor stays where it was');
    const third = await decide(open, people, 'verified');
    const after = (await anyone.get(`/api/v1/claimreview?since=${newest.since}`)).body as Feed;
    assert.deepEqual(after.reviews.map((r) => r.url), [`https://news.example/checks/${third}`]);

    const all: string[] = [];
    let since = 'start';
    for (let more = true; more; ) {
      const page = (await anyone.get(`/api/v1/claimreview?since=${since}&limit=1`)).body as Feed;
      all.push(...page.reviews.map((r) => r.url));
      since = page.since!;
      more = page.more;
    }
    assert.deepEqual(all, [first, second, third].map((id) => `https://news.example/checks/${id}`), 'since=start pages through every decision, oldest first');
    assert.equal((await anyone.get('/api/v1/claimreview?limit=0')).status, 400);
  });

  test('by default the feed is for token holders only', async () => {
    assert.equal((await new ApiClient(closed.app, null).get('/api/v1/claimreview')).status, 401);
    const reader = await makeUser(closed.db, { role: 'editor' });
    assert.equal((await new ApiClient(closed.app, await tokenFor(closed.db, reader, 'read')).get('/api/v1/claimreview')).status, 200);
  });
});
