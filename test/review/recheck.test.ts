import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { User } from '../../server/accounts/users.repo.ts';
import { addMonths, recheckStanding, resolveRecheckDates } from '../../server/claims/recheck-dates.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaimIn, makeDesk } from '../support/factories.ts';
import { exportsSettled } from '../exports/support.ts';

describe('re-check dates: the rules', () => {
  test('a period from a day: months, the 31st of a shorter month becoming its last day', () => {
    assert.equal(addMonths('2026-12-04', 3), '2027-03-04');
    assert.equal(addMonths('2027-01-31', 1), '2027-02-28');
    assert.equal(addMonths('2028-01-31', 1), '2028-02-29');
    assert.equal(addMonths('2026-11-30', 12), '2027-11-30');
  });

  test('due on its day and after, soon within 30 days, none without a day', () => {
    assert.equal(recheckStanding(null, '2026-12-04'), 'none');
    assert.equal(recheckStanding('2026-12-04', '2026-12-04'), 'due');
    assert.equal(recheckStanding('2026-11-01', '2026-12-04'), 'due');
    assert.equal(recheckStanding('2027-01-03', '2026-12-04'), 'soon');
    assert.equal(recheckStanding('2027-01-04', '2026-12-04'), 'later');
  });

  test('true as of a day that has come; checked again on a day to come, by a day or a period, not both', () => {
    const today = '2026-12-04';
    assert.deepEqual(resolveRecheckDates({ trueAsOf: '2026-11-30', recheckBy: null, recheckIn: '6' }, today), { trueAsOf: '2026-11-30', recheckBy: '2027-06-04' });
    assert.deepEqual(resolveRecheckDates({ trueAsOf: null, recheckBy: null, recheckIn: null }, today), { trueAsOf: null, recheckBy: null });
    assert.match(JSON.stringify(resolveRecheckDates({ trueAsOf: '2026-12-05', recheckBy: null, recheckIn: null }, today)), /trueAsOf.*a day that has come/);
    assert.match(JSON.stringify(resolveRecheckDates({ trueAsOf: null, recheckBy: today, recheckIn: null }, today)), /recheckBy.*a day after today/);
    assert.match(JSON.stringify(resolveRecheckDates({ trueAsOf: null, recheckBy: '2027-01-01', recheckIn: '3' }, today)), /recheckBy.*not both/);
  });
});

describe('re-check dates: decide, come due, confirm or reopen', () => {
  let ctx: TestContext;
  let now = new Date('2026-12-04T10:00:00Z');
  let people: Record<'editor' | 'reviewer' | 'reviewer2', User>;
  let reviewer: Client;
  let other: Client;
  let editor: Client;
  let claimId: number;
  const version = async (id = claimId) => ((await ctx.db('claims').where({ id }).first('version')) as { version: number }).version;
  const row = async (id = claimId) => (await ctx.db('claims').where({ id }).first('status', 'true_as_of', 'recheck_by', 'rechecked_by')) as Record<string, unknown>;

  before(async () => {
    ctx = await createTestApp({ PUBLIC_REVIEW_URL: 'https://news.example/checks/{id}' }, { clock: () => now });
    people = await makeDesk(ctx.db, ['editor', 'reviewer', 'reviewer2']);
    reviewer = await Client.signedIn(ctx.app, people.reviewer);
    other = await Client.signedIn(ctx.app, people.reviewer2);
    editor = await Client.signedIn(ctx.app, people.editor);
    claimId = await makeClaimIn(ctx.db, 'in_review', { author: people.editor });
  });
  after(async () => {
    await exportsSettled(ctx.db);
    await ctx.close();
  });

  test('a verdict with days that are wrong is refused beside the fields, and nothing is decided', async () => {
    const v = await version();
    const past = await reviewer.post(`/claims/${claimId}/verify`, { version: v, confidence: 'high', trueAsOf: '2026-12-05', recheckBy: '2026-12-01' });
    assert.equal(past.status, 400);
    assert.match(past.text, /id="field-trueAsOf-error"[^>]*>(?:(?!<\/p>).)*a day that has come/);
    assert.match(past.text, /id="field-recheckBy-error"[^>]*>(?:(?!<\/p>).)*a day after today/);
    assert.match(past.text, /id="field-trueAsOf"[^>]*value="2026-12-05"/, 'what was typed is kept');
    assert.deepEqual(await row(), { status: 'in_review', true_as_of: null, recheck_by: null, rechecked_by: null });
  });

  test('a verdict true as of a day, to be checked again in three months: stored, recorded, and not yet due', async () => {
    const res = await reviewer.post(`/claims/${claimId}/verify`, { version: await version(), confidence: 'high', trueAsOf: '2026-11-30', recheckIn: '3' });
    assert.equal(res.status, 303);
    assert.deepEqual(await row(), { status: 'verified', true_as_of: '2026-11-30', recheck_by: '2027-03-04', rechecked_by: null });
    const event = await ctx.db('claim_events').where({ claim_id: claimId, type: 'transition', to_status: 'verified' }).first('data');
    assert.deepEqual(event.data, { confidence: 'high', label: 'True', trueAsOf: '2026-11-30', recheckBy: '2027-03-04' });
    const page = await reviewer.get(`/claims/${claimId}`);
    assert.match(page.text, /<dt>True as of<\/dt><dd><time datetime="2026-11-30">/);
    assert.match(page.text, /<dt>Check again by<\/dt><dd><time datetime="2027-03-04">/);
    assert.doesNotMatch(page.text, /Re-check due/);
    assert.doesNotMatch((await reviewer.get('/review/rechecks')).text, new RegExp(`href="/claims/${claimId}"`));
  });

  test('on its day the claim is flagged, still verified, on its page, the re-check list and the dashboard', async () => {
    now = new Date('2027-03-04T08:00:00Z');
    const page = await reviewer.get(`/claims/${claimId}`);
    assert.match(page.text, /Re-check due/);
    assert.match(page.text, /<details class="action-details" id="recheck" open>/, 'the re-check form is open for the reviewer');
    assert.equal((await row()).status, 'verified');
    const list = await reviewer.get('/review/rechecks');
    assert.match(list.text, new RegExp(`href="/claims/${claimId}"[\\s\\S]*?Re-check due`));
    const json = await reviewer.getJson('/review/rechecks');
    assert.deepEqual((json.body as { claims: { id: number; due: boolean }[] }).claims.map((c) => [c.id, c.due]), [[claimId, true]]);
    assert.match((await reviewer.get('/')).text, /1 decided claim is due for a re-check today or earlier/);
  });

  test('exports carry the days: CSV columns, JSON fields, ClaimReview expires, the sheet\'s "as of"', async () => {
    const csv = parse((await editor.get('/claims/sheet.csv')).text, { columns: true }) as Record<string, string>[];
    assert.equal(csv[0]!['True as of'], '2026-11-30');
    assert.equal(csv[0]!['Check again by'], '2027-03-04');
    const json = JSON.parse((await editor.get('/claims/sheet.json')).text) as { claims: { trueAsOf: string; recheckBy: string }[] };
    assert.deepEqual([json.claims[0]!.trueAsOf, json.claims[0]!.recheckBy], ['2026-11-30', '2027-03-04']);
    const review = (JSON.parse((await editor.get('/claims/sheet.jsonld')).text) as { '@graph': Record<string, unknown>[] })['@graph'][0]!;
    assert.equal(review.expires, '2027-03-04');
    assert.equal(review.url, `https://news.example/checks/${claimId}`);
    assert.match((await editor.get('/claims/sheet')).text, /<dt>True as of<\/dt><dd>30 Nov 2026 \(check again by 4 Mar 2027\)/);
  });

  test('only a reviewer who could decide it confirms it: the editor and an author are refused with 403', async () => {
    assert.equal((await editor.post(`/claims/${claimId}/recheck`, { version: await version(), recheckIn: '6' })).status, 403);
    const ownClaim = await makeClaimIn(ctx.db, 'verified', { author: people.reviewer2, reviewer: people.reviewer });
    assert.equal((await other.post(`/claims/${ownClaim}/recheck`, { version: await version(ownClaim), recheckIn: '6' })).status, 403);
    assert.equal((await row()).recheck_by, '2027-03-04');
  });

  test('confirmed: true as of today, the next check in six months, recorded in the history; a stale form is a 409', async () => {
    const v = await version();
    const res = await reviewer.post(`/claims/${claimId}/recheck`, { version: v, recheckIn: '6', note: 'The office confirmed the figure.' });
    assert.equal(res.status, 303);
    assert.deepEqual(await row(), { status: 'verified', true_as_of: '2027-03-04', recheck_by: '2027-09-04', rechecked_by: people.reviewer.id });
    const event = await ctx.db('claim_events').where({ claim_id: claimId, type: 'rechecked' }).first('actor_id', 'comment', 'data');
    assert.deepEqual(event, { actor_id: people.reviewer.id, comment: 'The office confirmed the figure.', data: { trueAsOf: '2027-03-04', recheckBy: '2027-09-04' } });
    const page = await reviewer.get(`/claims/${claimId}`);
    assert.match(page.text, /checked the claim again and confirmed it, true as of 2027-03-04; next check by 2027-09-04/);
    assert.doesNotMatch(page.text, /Re-check due/);
    assert.equal((await reviewer.post(`/claims/${claimId}/recheck`, { version: v, recheckIn: '6' })).status, 409);
  });

  test('the database lets the days of a decided claim change only as a re-check by a reviewer who did not write it', async () => {
    await assert.rejects(ctx.appDb('claims').where({ id: claimId }).update({ recheck_by: '2099-01-01' }), /checks it again/);
    await assert.rejects(
      ctx.appDb('claims').where({ id: claimId }).update({ recheck_by: '2099-01-01', rechecked_at: ctx.appDb.fn.now(), rechecked_by: people.editor.id }),
      /checks it again/,
    );
    await assert.rejects(ctx.appDb('claims').where({ id: claimId }).update({ status: 'in_review' }), /cannot go from verified to in_review|needs a new version/);
    assert.equal((await row()).recheck_by, '2027-09-04');
  });

  test('reopened, the claim is no longer decided and carries no days', async () => {
    const res = await reviewer.post(`/claims/${claimId}/reopen`, { version: await version(), comment: 'The office withdrew the figure.' });
    assert.equal(res.status, 303);
    assert.deepEqual(await row(), { status: 'changes_requested', true_as_of: null, recheck_by: null, rechecked_by: null });
  });
});
