import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { JSDOM } from 'jsdom';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeClaimIn, makeDesk, makeEvidence, makeReport } from '../support/factories.ts';
import { exportsSettled } from '../exports/support.ts';

/** Bulk actions through the app: preview with the reasons a claim is left alone, apply once, each claim on its own. */
describe('bulk actions', () => {
  let ctx: TestContext;
  let people: Record<'editor' | 'editor2' | 'reviewer' | 'reviewer2', User>;
  let editor: Client;
  let reviewer: Client;
  before(async () => {
    ctx = await createTestApp();
    people = await makeDesk(ctx.db, ['editor', 'editor2', 'reviewer', 'reviewer2']);
    editor = await Client.signedIn(ctx.app, people.editor);
    reviewer = await Client.signedIn(ctx.app, people.reviewer);
  });
  after(async () => {
    await exportsSettled(ctx.db);
    await ctx.close();
  });

  const versionOf = async (id: number) => ((await ctx.db('claims').where({ id }).first('version')) as { version: number }).version;
  const ticked = async (...ids: number[]) => Promise.all(ids.map(async (id) => `${id}:${await versionOf(id)}`));
  const keyOf = (location: string | undefined) => /\/claims\/bulk\/([0-9a-f-]{36})$/.exec(location ?? '')?.[1] ?? assert.fail(`no selection in ${location}`);
  const eventsOf = (id: number, type: string) => ctx.db('claim_events').where({ claim_id: id, type });
  const text = (html: string, selector: string) => [...new JSDOM(html).window.document.querySelectorAll(selector)].map((e) => e.textContent!.replace(/\s+/g, ' ').trim());

  /** Previews an action and returns its key and the preview page. */
  async function preview(client: Client, form: Record<string, string | string[] | number>) {
    const res = await client.post('/claims/bulk', { back: '/claims', ...form } as Record<string, string>);
    assert.equal(res.status, 303, res.text);
    const key = keyOf(res.headers.location);
    return { key, page: await client.get(`/claims/bulk/${key}`) };
  }

  test('adding a tag: the preview counts what changes and groups the rest by reason; applying changes each claim once, with its own history entry', async () => {
    const report = await makeReport(ctx.db, people.editor);
    const [a, b] = [await makeClaim(ctx.db, people.editor, report), await makeClaim(ctx.db, people.editor, report, { tags: ['budget'] })];
    const inReview = await makeClaimIn(ctx.db, 'in_review', { author: people.editor, reportId: report });
    const { key, page } = await preview(editor, { bulkAction: 'add_tag', bulkTag: 'Budget', ids: await ticked(a, b, inReview) });
    assert.equal(page.status, 200);
    assert.match(text(page.text, "#bulk-summary")[0]!, /This will add the tag “budget” to 1 claim\. 2 claims will not change/);
    assert.deepEqual(text(page.text, '[data-skip-group] h3').sort(), ['It has this tag already. (1)', 'This claim is in review, so it cannot be edited now. Ask the reviewer to send it back for changes, or withdraw it and restore it to draft. (1)']);
    assert.deepEqual((await ctx.db('claims').where({ id: a }).first()).tags, [], 'nothing changes before applying');

    const applied = await editor.post(`/claims/bulk/${key}/apply`);
    assert.equal(applied.status, 303);
    assert.deepEqual((await ctx.db('claims').where({ id: a }).first()).tags, ['budget']);
    assert.equal((await eventsOf(a, 'edited')).length, 1);
    assert.equal((await eventsOf(inReview, 'edited')).length, 0);
    const result = await editor.get(applied.headers.location!);
    assert.match(text(result.text, '#bulk-summary')[0]!, /1 claim changed.*2 claims left as they were/);

    const again = await editor.post(`/claims/bulk/${key}/apply`);
    assert.equal(again.status, 303, 'the same request again');
    assert.equal((await eventsOf(a, 'edited')).length, 1, 'applied once');
  });

  test('four-eyes in bulk: a reviewer verifying their own claims has them skipped and listed; the others are verified', async () => {
    const own = await makeClaimIn(ctx.db, 'in_review', { author: people.reviewer });
    const others = [await makeClaimIn(ctx.db, 'in_review', { author: people.editor }), await makeClaimIn(ctx.db, 'in_review', { author: people.editor2 })];
    const { key, page } = await preview(reviewer, { bulkAction: 'verify', bulkConfidence: 'moderate', bulkNote: 'Checked against the records.', ids: await ticked(own, ...others) });
    const groups = text(page.text, '[data-skip-group]');
    assert.equal(groups.length, 1);
    assert.match(groups[0]!, new RegExp(`You wrote or edited it, so you may not decide it \\(the four-eyes rule\\)\\. \\(1\\) #${own} `));
    await reviewer.post(`/claims/bulk/${key}/apply`);
    for (const id of others) assert.equal((await ctx.db('claims').where({ id }).first()).status, 'verified');
    assert.equal((await ctx.db('claims').where({ id: own }).first()).status, 'in_review');
    assert.equal((await eventsOf(others[0]!, 'transition')).filter((e) => e.action === 'verify').length, 1);
  });

  test('a claim changed by someone else after the list was loaded, or after the preview, is left alone with that reason', async () => {
    const [early, late, fine] = [await makeClaim(ctx.db, people.editor, await makeReport(ctx.db, people.editor)), await makeClaim(ctx.db, people.editor, await makeReport(ctx.db, people.editor)), await makeClaim(ctx.db, people.editor, await makeReport(ctx.db, people.editor))];
    const list = await ticked(early, late, fine);
    await ctx.db('claims').where({ id: early }).increment('version', 1);
    const { key, page } = await preview(editor, { bulkAction: 'set_priority', bulkPriority: '3', ids: list });
    assert.match(text(page.text, '[data-skip-group] h3')[0]!, /Someone changed it after your list was loaded/);
    await ctx.db('claims').where({ id: late }).increment('version', 1);
    await editor.post(`/claims/bulk/${key}/apply`);
    const result = await editor.get(`/claims/bulk/${key}`);
    assert.ok(text(result.text, '[data-skip-group] h3').some((h) => /Someone changed it after the preview/.test(h)));
    assert.deepEqual((await ctx.db('claims').whereIn('id', [early, late, fine]).orderBy('id').select('priority')).map((c) => c.priority), [1, 1, 3]);
  });

  test('"all that match the filters" acts on the filter, not on ids from the browser, and refuses more than the limit', async () => {
    const report = await makeReport(ctx.db, people.editor);
    const ids = [await makeClaim(ctx.db, people.editor, report, { tags: ['dead-story'] }), await makeClaim(ctx.db, people.editor, report, { tags: ['dead-story'] })];
    await makeClaim(ctx.db, people.editor, report, { tags: ['other'] });
    const { key, page } = await preview(editor, { bulkAction: 'withdraw', bulkScope: 'matching', filters: 'tag=dead-story', list: 'claims' });
    assert.match(text(page.text, '#bulk-summary')[0]!, /withdraw 2 claims/);
    await editor.post(`/claims/bulk/${key}/apply`);
    assert.deepEqual((await ctx.db('claims').whereIn('id', ids).select('status')).map((c) => c.status), ['withdrawn', 'withdrawn']);
    const listPage = await editor.get('/claims?tag=dead-story');
    assert.match(text(listPage.text, '#bulk-form .radios')[0]!, /All 2 that match the filters/);

    const reportPage = await editor.get(`/reports/${report}`);
    assert.match(text(reportPage.text, '#bulk-form .radios')[0]!, /All 3 that match \(every claim of this report\)/);
    const { key: everyClaim, page: ofReport } = await preview(editor, { bulkAction: 'set_priority', bulkPriority: '0', bulkScope: 'matching', list: 'report', report: String(report), filters: 'tag=ignored-for-a-report' });
    assert.match(text(ofReport.text, '#bulk-summary')[0]!, /set the priority of 1 claim to 0\. 2 claims will not change/);
    await editor.post(`/claims/bulk/${everyClaim}/apply`);
  });

  test('every other action: remove a tag, assign with a note, unassign, submit (a claim without evidence skipped), mark unverifiable', async () => {
    const report = await makeReport(ctx.db, people.editor);
    const tagged = await makeClaim(ctx.db, people.editor, report, { tags: ['x', 'y'] });
    const { key: remove } = await preview(editor, { bulkAction: 'remove_tag', bulkTag: 'x', ids: await ticked(tagged) });
    await editor.post(`/claims/bulk/${remove}/apply`);
    assert.deepEqual((await ctx.db('claims').where({ id: tagged }).first()).tags, ['y']);

    const ready = await makeClaim(ctx.db, people.editor, report);
    await makeEvidence(ctx.db, people.editor, ready);
    const bare = await makeClaim(ctx.db, people.editor, report);
    const { key: submit, page } = await preview(editor, { bulkAction: 'submit', ids: await ticked(ready, bare) });
    assert.match(text(page.text, '[data-skip-group] h3')[0]!, /Link at least one source/);
    await editor.post(`/claims/bulk/${submit}/apply`);
    assert.equal((await ctx.db('claims').where({ id: ready }).first()).status, 'in_review');

    const { key: assign } = await preview(reviewer, { bulkAction: 'assign', bulkAssignee: String(people.reviewer2.id), bulkNote: 'Yours this week.', ids: await ticked(ready) });
    await reviewer.post(`/claims/bulk/${assign}/apply`);
    assert.equal((await ctx.db('claims').where({ id: ready }).first()).assignee_id, people.reviewer2.id);
    assert.equal((await eventsOf(ready, 'assigned'))[0].data.note, 'Yours this week.');
    assert.match((await reviewer.get(`/claims/${ready}`)).text, /assigned the claim to [^<]*: “Yours this week\.”/);
    const { key: unassign } = await preview(reviewer, { bulkAction: 'unassign', ids: await ticked(ready) });
    await reviewer.post(`/claims/bulk/${unassign}/apply`);
    assert.equal((await ctx.db('claims').where({ id: ready }).first()).assignee_id, null);

    const { key: unverifiable } = await preview(reviewer, { bulkAction: 'mark_unverifiable', bulkNote: 'No record either way.', ids: await ticked(ready) });
    await reviewer.post(`/claims/bulk/${unverifiable}/apply`);
    const decided = await ctx.db('claims').where({ id: ready }).first();
    assert.deepEqual([decided.status, decided.rationale], ['unverifiable', 'No record either way.']);
  });

  test('exporting the selection downloads exactly the claims chosen', async () => {
    const report = await makeReport(ctx.db, people.editor);
    const chosen = [await makeClaimIn(ctx.db, 'verified', { author: people.editor, reviewer: people.reviewer, reportId: report }), await makeClaimIn(ctx.db, 'verified', { author: people.editor, reviewer: people.reviewer, reportId: report })];
    await makeClaimIn(ctx.db, 'verified', { author: people.editor, reviewer: people.reviewer, reportId: report });
    const res = await editor.post('/claims/bulk', { back: '/claims', bulkAction: 'export', ids: await ticked(...chosen) });
    assert.equal(res.status, 303);
    const sheet = /^\/claims\/sheet\?selection=([0-9a-f-]{36})$/.exec(res.headers.location!);
    assert.ok(sheet, res.headers.location);
    const csv = parse((await editor.get(`/claims/sheet.csv?selection=${sheet[1]}`)).text.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    assert.deepEqual(csv.map((r) => Number(r['Claim ID'])).sort(), [...chosen].sort());
    assert.equal((await reviewer.get(`/claims/sheet.csv?selection=${sheet[1]}`)).text.split('\r\n').filter(Boolean).length, 1, 'another person’s selection selects nothing for them');
  });

  test('a refused form keeps the ticked claims and says what is missing beside the field; a role without the action gets 403; another person’s selection is a 404', async () => {
    const claim = await makeClaim(ctx.db, people.editor, await makeReport(ctx.db, people.editor));
    const refused = await editor.post('/claims/bulk', { back: '/claims', bulkAction: 'add_tag', bulkTag: '', ids: await ticked(claim) });
    assert.equal(refused.status, 400);
    const doc = new JSDOM(refused.text).window.document;
    assert.match(doc.getElementById('field-bulkTag-error')!.textContent!, /Enter the tag/);
    assert.deepEqual([...doc.querySelectorAll('#bulk-form input[name="ids"]')].map((i) => (i as HTMLInputElement).value), await ticked(claim));
    assert.match(doc.querySelector('[data-error-summary]')!.textContent!, /Enter the tag/);
    const none = await editor.post('/claims/bulk', { back: '/claims', bulkAction: 'withdraw' });
    assert.equal(none.status, 400);
    assert.match(new JSDOM(none.text).window.document.getElementById('field-ids')!.textContent!, /Tick the claims to act on/);

    assert.equal((await editor.post('/claims/bulk', { back: '/claims', bulkAction: 'assign', bulkAssignee: String(people.reviewer.id), ids: await ticked(claim) })).status, 403);
    const { key } = await preview(editor, { bulkAction: 'withdraw', ids: await ticked(claim) });
    assert.equal((await reviewer.get(`/claims/bulk/${key}`)).status, 404);
    assert.equal((await reviewer.post(`/claims/bulk/${key}/apply`)).status, 404);
    assert.equal((await ctx.db('claims').where({ id: claim }).first()).status, 'draft');
  });
});
