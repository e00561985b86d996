import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { transitionClaim } from '../../server/review/transitions.ts';
import { linkLibrarySource } from '../../server/sources/evidence.commands.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeClaimIn, makeDesk, makeReport, makeSource, makeUser } from '../support/factories.ts';

const form = (props: Record<string, string | number> = {}) => ({ kind: 'web_page', title: 'Ministry statement', url: 'https://gov.example/statement', publisher: 'Ministry', reliability: 'A', ...props });

describe('editing a source that claims cite', () => {
  let ctx: TestContext;
  let editor: User;
  let reviewer: User;
  let client: Client;
  let reviewerClient: Client;
  let sourceId: number;
  let verified: number;
  let inReview: number;
  let draft: number;
  const claim = async (id: number) => (await ctx.db('claims').where({ id }).first('status', 'version')) as { status: string; version: number };
  const sourceVersion = async () => ((await ctx.db('sources').where({ id: sourceId }).first('version')) as { version: number }).version;

  before(async () => {
    ctx = await createTestApp();
    ({ editor, reviewer } = await makeDesk(ctx.db, ['editor', 'reviewer']));
    client = await Client.signedIn(ctx.app, editor);
    reviewerClient = await Client.signedIn(ctx.app, reviewer);
  });
  after(() => ctx.close());

  beforeEach(async () => {
    const reportId = await makeReport(ctx.db, editor);
    sourceId = await makeSource(ctx.db, editor, { title: 'Ministry statement', url: `https://gov.example/${Math.random()}`, publisher: 'Ministry', reliability: 'A' });
    const cite = (claimId: number) => linkLibrarySource(ctx.db, editor, claimId, { sourceId, relation: 'supports', credibility: 2 });
    verified = await makeClaimIn(ctx.db, 'in_review', { author: editor, reportId });
    await cite(verified);
    const v = await claim(verified);
    await transitionClaim(ctx.db, { actor: reviewer, claimId: verified, action: 'verify', version: v.version, comment: 'Confirmed.', confidence: 'high' });
    inReview = await makeClaimIn(ctx.db, 'in_review', { author: editor, reportId });
    await cite(inReview);
    draft = await makeClaim(ctx.db, editor, reportId);
    await cite(draft);
  });

  const url = async () => ((await ctx.db('sources').where({ id: sourceId }).first('url')) as { url: string }).url;

  test('re-rating it from A to E records the change on every claim citing it; decided claims keep their status and version', async () => {
    const before = { verified: await claim(verified), inReview: await claim(inReview), draft: await claim(draft) };
    const res = await client.post(`/sources/${sourceId}`, form({ url: await url(), reliability: 'E', version: await sourceVersion() }));
    assert.equal(res.status, 303);
    for (const [id, status] of [[verified, 'verified'], [inReview, 'in_review'], [draft, 'draft']] as const) {
      const events = await ctx.db('claim_events').where({ claim_id: id, type: 'source_changed' });
      assert.equal(events.length, 1, `claim ${id}`);
      assert.equal(events[0].actor_id, editor.id);
      assert.deepEqual(events[0].data.changes, { reliability: { from: 'A', to: 'E' } });
      assert.equal(events[0].data.sourceId, sourceId);
      assert.equal(events[0].data.claimStatus, status);
    }
    assert.deepEqual(await claim(verified), before.verified, 'a decided claim keeps its status and version');
    assert.deepEqual(await claim(inReview), { status: 'in_review', version: before.inReview.version + 1 });
    assert.deepEqual(await claim(draft), { status: 'draft', version: before.draft.version + 1 });
    const page = await client.get(`/claims/${verified}`);
    assert.match(page.text, /changed the library source “Ministry statement” that this claim cites/);
    assert.match(page.text, /<dt>reliability<\/dt><dd><del class="user-text">A<\/del> → <ins class="user-text">E<\/ins>/);
  });

  test('a verify form opened before the source was re-rated is refused with 409, and the claim stays in review', async () => {
    const opened = await claim(inReview);
    await client.post(`/sources/${sourceId}`, form({ url: await url(), reliability: 'E', version: await sourceVersion() }));
    const res = await reviewerClient.post(`/claims/${inReview}/verify`, { version: opened.version, confidence: 'high', comment: 'Looks right.' });
    assert.equal(res.status, 409);
    assert.equal((await claim(inReview)).status, 'in_review');
    const fresh = await reviewerClient.post(`/claims/${inReview}/verify`, { version: (await claim(inReview)).version, confidence: 'high', comment: 'Looks right.' });
    assert.equal(fresh.status, 303, 'with the current version the decision goes through');
  });

  test('a change to the title, URL and publisher is recorded with each before and after', async () => {
    const oldUrl = await url();
    await client.post(`/sources/${sourceId}`, form({ title: 'Ministry statement (corrected)', url: 'https://gov.example/statement-v2', publisher: 'Ministry of Finance', version: await sourceVersion() }));
    const event = await ctx.db('claim_events').where({ claim_id: draft, type: 'source_changed' }).first();
    assert.deepEqual(event.data.changes, {
      title: { from: 'Ministry statement', to: 'Ministry statement (corrected)' },
      url: { from: oldUrl, to: 'https://gov.example/statement-v2' },
      publisher: { from: 'Ministry', to: 'Ministry of Finance' },
    });
    assert.equal(event.data.sourceTitle, 'Ministry statement (corrected)');
  });

  test('a change to the notes only, which claims do not show, writes no event and leaves the claims as they were', async () => {
    const before = await claim(draft);
    const res = await client.post(`/sources/${sourceId}`, form({ url: await url(), notes: 'Called the press office.', version: await sourceVersion() }));
    assert.equal(res.status, 303);
    assert.equal((await ctx.db('claim_events').where({ type: 'source_changed' }).whereIn('claim_id', [verified, inReview, draft])).length, 0);
    assert.deepEqual(await claim(draft), before);
  });

  test('the source page and the edit form say, before saving, how many claims cite it and how many are decided', async () => {
    const expected = /3 claims cite this source: 1 verified and 2 not yet decided\. Saving a change to its title, URL, publisher or reliability records it in the history of each of them, decided ones included\./;
    assert.match((await client.get(`/sources/${sourceId}`)).text, expected);
    assert.match((await client.get(`/sources/${sourceId}/edit`)).text, expected);
  });
});

describe('editing a source cited by many claims', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestApp();
  });
  after(() => ctx.close());

  test('every citing claim gets its event', async () => {
    const editor = await makeUser(ctx.db);
    const client = await Client.signedIn(ctx.app, editor);
    const reportId = await makeReport(ctx.db, editor);
    const sourceId = await makeSource(ctx.db, editor, { url: 'https://wide.example/', title: 'Wide', publisher: null, reliability: 'B' });
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      const id = await makeClaim(ctx.db, editor, reportId);
      await linkLibrarySource(ctx.db, editor, id, { sourceId, relation: 'context', credibility: 3 });
      ids.push(id);
    }
    const res = await client.post(`/sources/${sourceId}`, { kind: 'web_page', title: 'Wide', url: 'https://wide.example/', reliability: 'D', version: 1 });
    assert.equal(res.status, 303);
    const events = await ctx.db('claim_events').where({ type: 'source_changed' }).orderBy('claim_id').pluck('claim_id');
    assert.deepEqual(events, ids);
  });
});

describe('a stale source form', () => {
  let ctx: TestContext;
  let client: Client;
  before(async () => {
    ctx = await createTestApp();
    client = await Client.signedIn(ctx.app, await makeUser(ctx.db));
  });
  after(() => ctx.close());

  test('is a 409 that shows the saved version beside the unsaved one and keeps what was typed', async () => {
    const created = await client.post('/sources', form({ title: 'Versioned', url: 'https://versioned.example/', publisher: 'Desk', reliability: 'B' }));
    const id = created.headers.location!.split('/').pop();
    const theirs = await client.post(`/sources/${id}`, form({ title: 'First edit', url: 'https://versioned.example/', publisher: 'Desk', reliability: 'C', version: 1 }));
    assert.equal(theirs.status, 303);
    const mine = form({ title: 'My lost edit', url: 'https://versioned.example/?utm_source=mail', publisher: 'Desk', reliability: 'E', notes: 'My note', version: 1 });
    const stale = await client.post(`/sources/${id}`, mine);
    assert.equal(stale.status, 409);
    // Both versions, field by field, where they differ.
    const row = (field: string) => new RegExp(`<tr data-field="${field}"><th scope="row">[^<]+</th><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td></tr>`).exec(stale.text)?.slice(1);
    assert.deepEqual(row('title'), ['First edit', 'My lost edit']);
    assert.deepEqual(row('reliability'), ['C · Fairly reliable', 'E · Unreliable']);
    assert.deepEqual(row('notes'), ['(none)', 'My note']);
    assert.equal(row('publisher'), undefined, 'a field both versions share is not listed');
    assert.equal(row('url'), undefined, 'the same URL with a tracking parameter is the same URL');
    // The form keeps the unsaved version, ready to save over theirs.
    assert.match(stale.text, /value="My lost edit"/);
    assert.match(stale.text, /name="reliability" value="E" checked/);
    assert.match(stale.text, />My note<\/textarea>/);
    assert.match(stale.text, /<input type="hidden" name="version" value="2">/);
    const json = await client.postJson(`/sources/${id}`, mine);
    assert.equal(json.status, 409);
    assert.equal(json.body.error.current.title, 'First edit');
    const saved = await client.post(`/sources/${id}`, { ...mine, version: 2 });
    assert.equal(saved.status, 303);
    assert.equal((await ctx.db('sources').where({ id }).first()).title, 'My lost edit');
  });
});
