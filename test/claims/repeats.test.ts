import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeClaimIn, makeDesk, makeReport } from '../support/factories.ts';
import { exportsSettled } from '../exports/support.ts';

const ORIGINAL = 'Unemployment in the region fell to 4.1 percent in March, the lowest level since 2001.';
const REPEAT = 'In March unemployment in the region fell to 4.1%, its lowest level since 2001.';
const OTHER_FIGURE = 'Unemployment in the region fell to 4.7 percent in March, the lowest level since 2001.';

/**
 * Repeat claims through the app: a logged claim that repeats a decided one is
 * suggested with its reasons, confirmed (both histories), and decided by
 * reusing the earlier verdict, a decision under the four-eyes rule.
 */
describe('repeat claims', () => {
  let ctx: TestContext;
  let people: Record<'editor' | 'reviewer' | 'reviewer2', User>;
  let editor: Client;
  let reviewer: Client;
  let reviewer2: Client;
  let original: number;
  let reportId: number;

  before(async () => {
    ctx = await createTestApp();
    people = await makeDesk(ctx.db, ['editor', 'reviewer', 'reviewer2']);
    editor = await Client.signedIn(ctx.app, people.editor);
    reviewer = await Client.signedIn(ctx.app, people.reviewer);
    reviewer2 = await Client.signedIn(ctx.app, people.reviewer2);
    original = await makeClaimIn(ctx.db, 'verified', { author: people.editor, reviewer: people.reviewer });
    await ctx.db('claims').where({ id: original }).update({ statement: ORIGINAL });
    reportId = await makeReport(ctx.db, people.reviewer);
  });
  after(async () => {
    await exportsSettled(ctx.db);
    await ctx.close();
  });

  const logThroughForm = async (client: Client, statement: string) => {
    const res = await client.post(`/reports/${reportId}/claims`, { quote: 'the bridge opened in 2019', statement, claimant: '', kind: 'factual', tags: '', priority: 1 });
    assert.equal(res.status, 303, res.text);
    return Number(/\/claims\/(\d+)/.exec(res.headers.location!)![1]);
  };

  test('while logging, the statement is matched as typed: the earlier claim with its status and reasons (JSON for the form)', async () => {
    const res = await editor.agent.get('/api/repeats').query({ statement: REPEAT }).set('Accept', 'application/json');
    assert.equal(res.status, 200);
    const match = (res.body.matches as { id: number; status: string; verdict: string; level: string; reasons: string[] }[]).find((m) => m.id === original);
    assert.ok(match, JSON.stringify(res.body));
    assert.equal(match.status, 'Verified');
    assert.equal(match.verdict, 'True');
    assert.equal(match.level, 'confident');
    assert.match(match.reasons.join('; '), /% alike in wording; shares .*unemployment/i);
    const missing = await editor.agent.get('/api/repeats').set('Accept', 'application/json');
    assert.equal(missing.status, 400);
  });

  test('a statement whose figure differs is not the same claim: never a confident match', async () => {
    const res = await editor.agent.get('/api/repeats').query({ statement: OTHER_FIGURE }).set('Accept', 'application/json');
    const match = (res.body.matches as { id: number; level: string; reasons: string[] }[]).find((m) => m.id === original);
    assert.ok(!match || match.level === 'suggestion', JSON.stringify(match));
    if (match) assert.match(match.reasons.join('; '), /numbers differ: 4\.7% here, 4\.1% there/);
  });

  test('a logged repeat shows the suggestion on its page; confirming links both claims, in both histories', async () => {
    const id = await logThroughForm(editor, REPEAT);
    const page = await editor.agent.get(`/claims/${id}`);
    assert.match(page.text, new RegExp(`Very likely the same as <a href="/claims/${original}">#${original}</a>`));
    assert.match(page.text, /Why: \d+% alike in wording/);
    const list = await editor.agent.get('/repeats');
    assert.match(list.text, /To look at \(1\)/);
    const confirm = await editor.post(`/claims/${id}/repeats/${original}/confirm`, {});
    assert.equal(confirm.status, 303);
    assert.match((await editor.agent.get(`/claims/${id}`)).text, new RegExp(`Same claim as <a href="/claims/${original}">#${original}</a>`));
    assert.match((await editor.agent.get(`/claims/${original}`)).text, new RegExp(`Repeated by <a href="/claims/${id}">#${id}</a>`));
    const events = (await ctx.db('claim_events').where({ type: 'repeat_linked' }).orderBy('claim_id').select('claim_id')) as { claim_id: number }[];
    assert.deepEqual(events.map((e) => e.claim_id), [original, id]);
    assert.match((await editor.agent.get('/repeats')).text, /Confirmed \(1\)/);
  });

  test('a dismissed suggestion is not suggested again, even when the statement is logged again elsewhere in the history', async () => {
    const id = await logThroughForm(editor, OTHER_FIGURE.replace('4.7', '4.1'));
    assert.ok(await ctx.db('claim_repeats').where({ claim_id: id, earlier_id: original, state: 'suggested' }).first());
    assert.equal((await editor.post(`/claims/${id}/repeats/${original}/dismiss`, { back: 'suggested' })).headers.location, '/repeats?state=suggested');
    const { refreshSuggestions } = await import('../../server/claims/claim-repeats.commands.ts');
    const { DEFAULT_MATCH_SETTINGS } = await import('../../server/claims/repeat-match.ts');
    await ctx.db.transaction((trx) => refreshSuggestions(trx, id, OTHER_FIGURE.replace('4.7', '4.1'), DEFAULT_MATCH_SETTINGS));
    const row = (await ctx.db('claim_repeats').where({ claim_id: id, earlier_id: original }).first('state')) as { state: string };
    assert.equal(row.state, 'dismissed');
    assert.doesNotMatch((await editor.agent.get(`/claims/${id}`)).text, new RegExp(`(Possibly|Very likely) the same as <a href="/claims/${original}">`));
  });

  test('a claim number typed in links by hand; a later claim or a missing one is refused beside the field', async () => {
    const later = await makeClaim(ctx.db, people.editor, reportId, { quote: 'the bridge opened in 2019', statement: 'A statement about something else entirely, the library hours.' });
    const missing = await editor.post(`/claims/${later}/repeats`, { earlierId: '999999' });
    assert.equal(missing.status, 400);
    assert.match(missing.text, /There is no claim #999999/);
    assert.match(missing.text, /value="999999"/);
    const backwards = await editor.post(`/claims/${original}/repeats`, { earlierId: String(later) });
    assert.equal(backwards.status, 400);
    assert.match(backwards.text, /was logged after this one/);
    assert.equal((await editor.post(`/claims/${later}/repeats`, { earlierId: String(original) })).status, 303);
  });

  test('the repeat is submitted without evidence of its own, and the author cannot reuse the verdict (403); another reviewer can, with one action', async () => {
    // The reviewer logs the repeat this time, so they are its author.
    const id = await logThroughForm(reviewer, REPEAT.replace('In March', 'Back in March'));
    await reviewer.post(`/claims/${id}/repeats/${original}/confirm`, {});
    const version = async () => ((await ctx.db('claims').where({ id }).first('version')) as { version: number }).version;
    assert.equal((await reviewer.post(`/claims/${id}/submit`, { version: await version() })).status, 303);
    const own = await reviewer.post(`/claims/${id}/reuse/${original}`, { version: await version(), comment: '' });
    assert.equal(own.status, 403);
    assert.match(own.text, /four-eyes/);
    assert.equal((await reviewer.agent.get(`/claims/${id}/reuse/${original}`)).status, 403);
    const side = await reviewer2.agent.get(`/claims/${id}/reuse/${original}`);
    assert.equal(side.status, 200);
    assert.match(side.text, /This claim \(#\d+\)[\s\S]*The earlier claim \(#\d+\)/);
    const stale = await reviewer2.post(`/claims/${id}/reuse/${original}`, { version: (await version()) - 1, comment: '' });
    assert.equal(stale.status, 409);
    const done = await reviewer2.post(`/claims/${id}/reuse/${original}`, { version: await version(), comment: 'Same figure, same source.' });
    assert.equal(done.status, 303);
    const [claim, earlier] = (await Promise.all([id, original].map((c) => ctx.db('claims').where({ id: c }).first('status', 'verdict_label_id', 'confidence', 'decided_by', 'rationale')))) as { status: string; verdict_label_id: number; confidence: string; decided_by: number; rationale: string }[];
    assert.equal(claim!.status, 'verified');
    assert.equal(claim!.verdict_label_id, earlier!.verdict_label_id);
    assert.equal(claim!.confidence, earlier!.confidence);
    assert.equal(claim!.decided_by, people.reviewer2.id);
    assert.equal(claim!.rationale, 'Same figure, same source.');
    const copied = await ctx.db('evidence_links').where({ claim_id: id }).count<{ count: string }[]>('* as count');
    const theirs = await ctx.db('evidence_links').where({ claim_id: original }).count<{ count: string }[]>('* as count');
    assert.equal(copied[0]!.count, theirs[0]!.count);
    const history = (await editor.agent.get(`/claims/${id}`)).text;
    assert.match(history, new RegExp(`verified the claim \\(now verified\\), reusing the verdict of #${original}`));
    assert.match(history, new RegExp(`from claim #${original}`));
    const again = await reviewer2.post(`/claims/${id}/reuse/${original}`, { version: await version(), comment: '' });
    assert.equal(again.status, 409, 'a decided claim cannot be decided again');
  });

  test('reusing needs a confirmed link to a decided claim: a mere suggestion is refused with 409', async () => {
    const id = await logThroughForm(editor, REPEAT.replace('In March', 'During March'));
    const row = await ctx.db('claim_repeats').where({ claim_id: id, earlier_id: original }).first('state');
    assert.equal((row as { state: string }).state, 'suggested');
    const res = await reviewer2.agent.get(`/claims/${id}/reuse/${original}`);
    assert.equal(res.status, 409);
    assert.match(res.text, /is not a decided claim that this one is confirmed to repeat/);
  });

  test('the claim sheet names the earlier claim a claim repeats (CSV and JSON)', async () => {
    const csv = await editor.agent.get('/claims/sheet.csv').query({ scope: 'decided' });
    assert.equal(csv.status, 200);
    const rows = parse(csv.text.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    const repeats = rows.filter((r) => r['Same claim as'] === `#${original}`);
    assert.equal(repeats.length, 1, JSON.stringify(rows.map((r) => r['Same claim as'])));
    const json = await editor.agent.get('/claims/sheet.json').query({ scope: 'all' });
    const claims = (json.body.claims ?? json.body) as { id: number; sameClaimAs: { id: number }[] }[];
    assert.ok(claims.filter((c) => c.sameClaimAs.some((s) => s.id === original)).length >= 2);
  });

  test('signed out, every repeat route is refused; an editor without rights to decide gets 403 on reuse', async () => {
    const anon = new Client(ctx.app);
    assert.equal((await anon.agent.get('/api/repeats').query({ statement: REPEAT }).set('Accept', 'application/json')).status, 401);
    assert.equal((await editor.agent.get(`/claims/${original}/reuse/${original}`)).status, 403);
  });
});
