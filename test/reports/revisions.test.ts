import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '../../server/accounts/users.repo.ts';
import { appWithEditor, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeReport } from '../support/factories.ts';

describe('report revisions', () => {
  let ctx: TestContext;
  let editor: User;
  let client: Client;
  before(async () => {
    ({ ctx, editor, client } = await appWithEditor());
  });
  after(() => ctx.close());

  const original = 'Opening paragraph about the talks.\n\nThe envoy visited Miami between October 24 and 26.\n\nThe summit in Budapest remains on hold.';

  test('a revision that moves a quoted sentence keeps the claim anchored to it; one that deletes it flags the claim', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: original, title: 'Revisable' });
    const moved = await makeClaim(ctx.db, editor, reportId, { quote: 'visited Miami between October 24 and 26' });
    const deleted = await makeClaim(ctx.db, editor, reportId, { quote: 'The summit in Budapest remains on hold.' });
    const revised = 'A correction was added at the top.\n\nOpening paragraph about the talks.\n\nNew material.\n\nThe envoy visited Miami between October 24 and 26.';
    const res = await client.post(`/reports/${reportId}`, { title: 'Revisable', body: revised, version: 1, note: 'Outlet updated the story' });
    assert.equal(res.status, 303);
    const report = await ctx.db('reports').where({ id: reportId }).first();
    assert.equal(report.revision, 2);
    assert.equal((await ctx.db('report_revisions').where({ report_id: reportId })).length, 2);
    const m = await ctx.db('claims').where({ id: moved }).first();
    assert.equal(revised.slice(m.quote_start, m.quote_end), 'visited Miami between October 24 and 26');
    assert.equal(m.quote_missing, false);
    assert.equal(m.anchored_revision, 2);
    const d = await ctx.db('claims').where({ id: deleted }).first();
    assert.equal(d.quote_missing, true);
    const page = await client.get(`/reports/${reportId}`);
    assert.match(page.text, /Quote not found in the current revision/);
    assert.match((await client.get(`/claims/${deleted}`)).text, /Quote not found in the current revision/);
    assert.ok(await ctx.db('claim_events').where({ claim_id: moved, type: 'reanchored' }).first());
  });

  test('a correction that moves or loses a quote gives the claim a new version and an event, so a form opened before it is stale', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: original, title: 'Versions' });
    const moved = await makeClaim(ctx.db, editor, reportId, { quote: 'visited Miami between October 24 and 26' });
    const lost = await makeClaim(ctx.db, editor, reportId, { quote: 'The summit in Budapest remains on hold.' });
    const still = await makeClaim(ctx.db, editor, reportId, { quote: 'Opening paragraph about the talks.' });
    const revised = 'Opening paragraph about the talks.\n\nA new paragraph.\n\nThe envoy visited Miami between October 24 and 26.';
    assert.equal((await client.post(`/reports/${reportId}`, { title: 'Versions', body: revised, version: 1 })).status, 303);
    const rows = Object.fromEntries((await ctx.db('claims').where({ report_id: reportId })).map((r) => [r.id, r]));
    assert.equal(rows[moved].version, 2);
    assert.equal(rows[lost].version, 2);
    assert.equal(rows[still].version, 1, 'a quote that stayed where it was keeps its version');
    const events = await ctx.db('claim_events').whereIn('claim_id', [moved, lost, still]).where({ type: 'reanchored' }).orderBy('claim_id');
    assert.deepEqual(events.map((e) => [e.claim_id, e.data.revision, e.data.missing ?? false]), [[moved, 2, false], [lost, 2, true]]);
    const page = await client.get(`/claims/${moved}`);
    assert.match(page.text, /re-anchored the quote in revision 2/);
    assert.match((await client.get(`/claims/${lost}`)).text, /found the quote missing from revision 2/);
    // An edit form opened on revision 1 still holds version 1.
    const stale = await client.post(`/claims/${moved}`, { statement: 'Edited on the old text.', quote: 'visited Miami between October 24 and 26', quoteStart: original.indexOf('visited'), kind: 'factual', priority: 1, version: 1 });
    assert.equal(stale.status, 409);
    assert.match(stale.text, /Edited on the old text\./);
  });

  test('a short quote whose sentence was rewritten is flagged rather than attached to the same words elsewhere', async () => {
    const body = 'The minister presented the plan to parliament on Tuesday.\n\nOther news followed.';
    const reportId = await makeReport(ctx.db, editor, { body, title: 'Short quote' });
    const id = await makeClaim(ctx.db, editor, reportId, { quote: 'the plan' });
    const revised = 'Critics rejected the plan outright.\n\nOther news followed.';
    const res = await client.post(`/reports/${reportId}`, { title: 'Short quote', body: revised, version: 1 });
    assert.equal(res.status, 303);
    const row = await ctx.db('claims').where({ id }).first();
    assert.equal(row.quote_missing, true);
    assert.equal(row.version, 2);
  });

  test('errors on the report form point at fields that are on the page, the hidden version as a problem of the form', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: original, title: 'Links' });
    const res = await client.post(`/reports/${reportId}`, { title: '', body: '', version: 'abc', url: 'ftp://x', publishedOn: '2025-02-30' });
    assert.equal(res.status, 400);
    const targets = [...res.text.matchAll(/href="#(field-[^"]+)"/g)].map((m) => m[1]!);
    assert.deepEqual(targets.sort(), ['field-body', 'field-publishedOn', 'field-title', 'field-url']);
    for (const target of targets) assert.match(res.text, new RegExp(`id="${target}"`));
    assert.match(res.text, /This form is out of date/);
    const created = await client.post('/reports', { title: '', url: 'ftp://x', publishedOn: 'soon', version: 'abc', note: 'x'.repeat(600) });
    assert.equal(created.status, 400);
    for (const [, target] of created.text.matchAll(/href="#(field-[^"]+)"/g)) assert.match(created.text, new RegExp(`id="${target}"`), `${target} is on the import form`);
  });

  test('a stale report form is a 409 that keeps the user’s text', async () => {
    const reportId = await makeReport(ctx.db, editor, { body: original, title: 'Stale' });
    assert.equal((await client.post(`/reports/${reportId}`, { title: 'Stale', body: original + '\n\nFirst.', version: 1 })).status, 303);
    const res = await client.post(`/reports/${reportId}`, { title: 'Stale', body: original + '\n\nMy unsaved correction.', version: 1 });
    assert.equal(res.status, 409);
    assert.match(res.text, /My unsaved correction\./);
    assert.match(res.text, /First\./);
  });
});
