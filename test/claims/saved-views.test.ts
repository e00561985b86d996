import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { JSDOM } from 'jsdom';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeClaim, makeClaimIn, makeDesk, makeReport } from '../support/factories.ts';

/** Saved views: a list's filters under a name, in the lists' views menu with live counts; built-in views for everyone. */
describe('saved views', () => {
  let ctx: TestContext;
  let people: Record<'editor' | 'editor2' | 'reviewer' | 'admin', User>;
  let editor: Client;
  let editor2: Client;
  before(async () => {
    ctx = await createTestApp();
    people = await makeDesk(ctx.db, ['editor', 'editor2', 'reviewer', 'admin']);
    editor = await Client.signedIn(ctx.app, people.editor);
    editor2 = await Client.signedIn(ctx.app, people.editor2);
  });
  after(() => ctx.close());

  /** The views menu of a list page, as "name count" lines. */
  const menu = async (client: Client, path: string) => {
    const page = await client.get(path);
    assert.equal(page.status, 200);
    return [...new JSDOM(page.text).window.document.querySelectorAll('nav[aria-label="Views"] li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
  };

  test('a person saves the filters of the list for themselves or for the desk; the menu shows each with its live count; the view is an address', async () => {
    const report = await makeReport(ctx.db, people.editor);
    for (let i = 0; i < 3; i++) await makeClaim(ctx.db, people.editor, report, { tags: ['budget'] });
    const form = await editor.get('/views/new?list=claims&query=tag%3Dbudget');
    assert.equal(form.status, 200);
    const saved = await editor.post('/views', { name: 'Budget claims', list: 'claims', query: 'tag=budget&bogus=1' });
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.location, '/claims?tag=budget', 'only the filters the list knows are kept');
    assert.ok((await menu(editor, '/claims')).includes('Budget claims 3'));
    assert.ok(!(await menu(editor2, '/claims')).some((l) => l.startsWith('Budget claims')), 'a personal view is its owner’s');

    assert.equal((await editor.post('/views', { name: 'Budget for all', list: 'claims', query: 'tag=budget', shared: 'yes' })).status, 303);
    assert.ok((await menu(editor2, '/review')).includes('Budget for all 3 (desk)'));
    await makeClaim(ctx.db, people.editor, report, { tags: ['budget'] });
    assert.ok((await menu(editor2, '/claims')).includes('Budget for all 4 (desk)'), 'the count is live');

    const id = (await ctx.db('saved_views').where({ name: 'Budget for all' }).first()).id;
    const opened = await editor2.get(`/views/${id}`);
    assert.equal(opened.status, 302);
    assert.equal(opened.headers.location, '/claims?tag=budget');
  });

  test('built-in views: assigned to me, my claims, waiting longest, with their counts', async () => {
    const reviewer = await Client.signedIn(ctx.app, people.reviewer);
    const claim = await makeClaimIn(ctx.db, 'in_review', { author: people.editor2 });
    await ctx.db('claims').where({ id: claim }).update({ assignee_id: people.reviewer.id });
    const lines = await menu(reviewer, '/review?assignee=me');
    assert.ok(lines.includes('Assigned to me 1'), lines.join(' | '));
    const page = new JSDOM((await reviewer.get('/review?assignee=me')).text).window.document;
    assert.equal(page.querySelector('nav[aria-label="Views"] a[aria-current="page"]')!.textContent, 'Assigned to me');
    const mine = (await ctx.db('claims').where({ created_by: people.editor2.id }).count('* as n').first()) as { n: number };
    assert.ok((await menu(editor2, '/claims')).includes(`My claims ${Number(mine.n)}`));
    const waiting = (await ctx.db('claims').where({ status: 'in_review' }).count('* as n').first()) as { n: number };
    assert.ok((await menu(editor2, '/claims')).includes(`Waiting longest ${Number(waiting.n)}`));
  });

  test('a name already taken is refused beside the field with the input kept; only the owner (or an admin, for a desk view) removes a view', async () => {
    await editor.post('/views', { name: 'Mine', list: 'claims', query: 'status=draft' });
    const taken = await editor.post('/views', { name: 'mine', list: 'claims', query: 'status=verified' });
    assert.equal(taken.status, 400);
    const doc = new JSDOM(taken.text).window.document;
    assert.match(doc.getElementById('field-name-error')!.textContent!, /You already have a view called “mine”/);
    assert.equal((doc.getElementById('field-name') as HTMLInputElement).value, 'mine');
    assert.equal((await editor.post('/views', { name: '', list: 'claims', query: '' })).status, 400);
    assert.equal((await editor2.post('/views', { name: 'Mine', list: 'claims', query: 'status=draft' })).status, 303, 'another person may use the name');

    const own = (await ctx.db('saved_views').where({ owner_id: people.editor.id, name: 'Mine' }).first()).id;
    assert.equal((await editor2.post(`/views/${own}/delete`)).status, 403);
    const desk = (await ctx.db('saved_views').where({ name: 'Budget for all' }).first()).id;
    assert.equal((await editor2.post(`/views/${desk}/delete`)).status, 403);
    const admin = await Client.signedIn(ctx.app, people.admin);
    assert.equal((await admin.post(`/views/${own}/delete`)).status, 403, 'a personal view is not the admin’s to remove');
    assert.equal((await admin.post(`/views/${desk}/delete`)).status, 303);
    assert.equal((await editor.post(`/views/${own}/delete`)).status, 303);
    assert.equal((await ctx.db('saved_views').whereIn('id', [own, desk])).length, 0);
    assert.equal((await editor.get('/views/999999')).status, 404);
  });
});
