import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaimIn, makeDesk, makeReport } from '../support/factories.ts';

interface DashboardJson {
  counts: Record<string, number>;
  ages: { underHour: number; underDay: number; older: number; total: number };
  recent: { id: number; title: string }[];
  decisions: { day: string; counts: { verified: number; refuted: number; unverifiable: number } }[];
}

describe('the dashboard', () => {
  let ctx: TestContext;
  let editor: User;
  let reviewer: User;
  let client: Client;
  let reportId: number;
  before(async () => {
    ctx = await createTestApp();
    ({ editor, reviewer } = await makeDesk(ctx.db, ['editor', 'reviewer']));
    client = await Client.signedIn(ctx.app, editor);
    reportId = await makeReport(ctx.db, editor, { title: 'Harbour bridge report' });
    const people = { author: editor, reviewer, reportId };
    // Three claims waiting: one just submitted, one since this morning, one since last week.
    const waiting = [await makeClaimIn(ctx.db, 'in_review', people), await makeClaimIn(ctx.db, 'in_review', people), await makeClaimIn(ctx.db, 'in_review', people)];
    await ctx.db('claims').where({ id: waiting[1] }).update({ submitted_at: ctx.db.raw(`now() - interval '5 hours'`) });
    await ctx.db('claims').where({ id: waiting[2] }).update({ submitted_at: ctx.db.raw(`now() - interval '7 days'`) });
    await makeClaimIn(ctx.db, 'verified', people);
    await makeClaimIn(ctx.db, 'verified', people);
    await makeClaimIn(ctx.db, 'refuted', people);
    await makeClaimIn(ctx.db, 'draft', people);
  });
  after(async () => ctx.close());

  test('counts claims per status, sorts the queue by how long claims have waited, and counts today’s decisions', async () => {
    const res = await client.getJson('/');
    assert.equal(res.status, 200);
    const body = res.body as DashboardJson;
    assert.equal(body.counts.in_review, 3);
    assert.equal(body.counts.verified, 2);
    assert.equal(body.counts.refuted, 1);
    assert.equal(body.counts.draft, 1);
    assert.deepEqual(body.ages, { underHour: 1, underDay: 1, older: 1, total: 3 });
    assert.equal(body.decisions.length, 14, 'every one of the last 14 days is present');
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(body.decisions.at(-1)?.day, today, 'the last day is today (UTC)');
    assert.deepEqual(body.decisions.at(-1)?.counts, { verified: 2, refuted: 1, unverifiable: 0 });
    assert.equal(body.decisions.slice(0, -1).reduce((n, d) => n + d.counts.verified + d.counts.refuted + d.counts.unverifiable, 0), 0);
    assert.deepEqual(body.recent.map((r) => r.title), ['Harbour bridge report']);
  });

  test('the page draws the charts with their text equivalents and links each count to its claims', async () => {
    const res = await client.get('/');
    assert.equal(res.status, 200);
    assert.match(res.text, /1 waiting under an hour, 1 under a day, 1 a day or more\./);
    assert.match(res.text, /2 verified, <span class="key key--refuted"><\/span> 1 refuted, <span class="key key--unverifiable"><\/span> 0 unverifiable in 14 days\./);
    assert.equal(res.text.match(/<svg class="chart[^"]*"[^>]*role="img"/g)?.length, 2, "two charts, each an image with a text equivalent");
    assert.match(res.text, /href="\/claims\?status=in_review"><span class="stat__value">3<\/span>/);
    assert.match(res.text, new RegExp(`href="/reports/${reportId}"`));
  });

  test('signed out, the dashboard sends the visitor to sign in', async () => {
    const res = await new Client(ctx.app).get('/');
    assert.equal(res.status, 302);
    assert.match(res.headers.location ?? '', /^\/login/);
  });
});
