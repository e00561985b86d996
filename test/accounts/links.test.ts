import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeUser } from '../support/factories.ts';
import { assertNoInjectedMarkup } from '../support/html.ts';
import type { User } from '../../server/accounts/users.repo.ts';
import { followToLink, linkIn } from './links.ts';

const sessionsHolding = async (ctx: TestContext, text: string): Promise<number> =>
  (await ctx.db('session').whereRaw('sess::text LIKE ?', [`%${text}%`])).length;

describe('set-password links are shown once, on a page of their own', () => {
  let ctx: TestContext;
  let admin: User;
  let adminClient: Client;
  before(async () => {
    ctx = await createTestApp();
    admin = await makeUser(ctx.db, { role: 'admin', displayName: 'Ada Admin' });
    adminClient = await Client.signedIn(ctx.app, admin);
  });
  after(() => ctx.close());

  test('adding an account answers 303; its page shows the link once; a refresh says so and sends nothing again; the link works once', async () => {
    const from = ctx.logs.length;
    const res = await adminClient.post('/admin/users', { displayName: 'Rick Reviewer', email: 'rick@desk.test', role: 'reviewer' });
    const { location, page, link } = await followToLink(adminClient, res);
    const token = link.slice('/set-password/'.length);
    assert.match(page.text, /<h1>Account created<\/h1>/);
    assert.match(page.text, /Give this link to <strong>Rick Reviewer<\/strong>/);
    assert.match(page.text, /for 72 hours/);
    assert.match(page.text, /href="\/admin\/users\/new">Add another account/);
    assert.match(page.text, /<div data-copy-controls hidden>\s*<button type="button"[^>]*data-copy="set-password-link"[^>]*>Copy link<\/button>/);
    assert.match(page.text, /data-copy-status role="status" aria-live="polite"/);
    assertNoInjectedMarkup(page.text, 'link page');
    assert.equal(await sessionsHolding(ctx, token), 0, 'once shown, the link is gone from the session');

    const again = await adminClient.get(location);
    assert.equal(again.status, 200);
    assert.equal(linkIn(again.text), undefined, 'a refresh does not show the link again');
    assert.ok(!again.text.includes(token));
    assert.match(again.text, /was shown once, when it was made, and cannot be shown again/);
    assert.match(again.text, new RegExp(`action="/admin/users/\\d+/reset-password"[\\s\\S]*?Make a new set-password link`));
    assert.doesNotMatch(again.text, /already exists/);
    assert.equal((await ctx.db('users').whereRaw('lower(email) = ?', ['rick@desk.test'])).length, 1);

    const rick = new Client(ctx.app);
    assert.equal((await rick.get(link)).status, 200);
    assert.equal((await rick.post(link, { password: 'violet kettle morning 7' })).status, 303);
    assert.equal((await rick.get(link)).status, 404, 'the link works once');
    assert.ok(!JSON.stringify(ctx.logs.slice(from)).includes(token), 'the token is never logged');
  });

  test('a new link made from the shown-once page replaces the old one, which stops working', async () => {
    const created = await followToLink(adminClient, await adminClient.post('/admin/users', { displayName: 'Nia New', email: 'nia@desk.test', role: 'editor' }));
    const shownOnce = await adminClient.get(created.location);
    assert.equal(linkIn(shownOnce.text), undefined);
    const fresh = await followToLink(adminClient, await adminClient.post(`${created.location.replace(/\/link$/, '')}/reset-password`));
    assert.equal(fresh.location, created.location);
    assert.notEqual(fresh.link, created.link);
    assert.match(fresh.page.text, /<h1>New set-password link<\/h1>/);
    assert.match(fresh.page.text, /for 72 hours/, 'someone who never set a password gets a new invitation');
    const nia = new Client(ctx.app);
    assert.equal((await nia.get(created.link)).status, 404, 'the earlier link stops working');
    assert.equal((await nia.get(fresh.link)).status, 200);
  });

  test('a password reset answers 303 to its page, which shows the link once', async () => {
    const user = await makeUser(ctx.db, { displayName: 'Pat Password' });
    const { location, page, link } = await followToLink(adminClient, await adminClient.post(`/admin/users/${user.id}/reset-password`));
    assert.match(page.text, /<h1>Password reset link<\/h1>/);
    assert.match(page.text, /choose a new password\. It works once, for 24 hours/);
    assert.equal(linkIn((await adminClient.get(location)).text), undefined);
    assert.equal((await new Client(ctx.app).get(link)).status, 200);
  });

  test('the link page of an account nobody made a link for shows no link; an unknown account is 404', async () => {
    const user = await makeUser(ctx.db);
    const page = await adminClient.get(`/admin/users/${user.id}/link`);
    assert.equal(page.status, 200);
    assert.equal(linkIn(page.text), undefined);
    assert.equal((await adminClient.get('/admin/users/999999/link')).status, 404);
  });

  test('a link is shown only to the admin who made it, not to another admin opening the same page', async () => {
    const other = await Client.signedIn(ctx.app, await makeUser(ctx.db, { role: 'admin' }));
    const res = await adminClient.post('/admin/users', { displayName: 'Sam Secret', email: 'sam@desk.test', role: 'editor' });
    const location = String(res.headers.location);
    assert.equal(linkIn((await other.get(location)).text), undefined);
    assert.ok(linkIn((await adminClient.get(location)).text));
  });

  test('editors and reviewers cannot open a link page', async () => {
    const editor = await makeUser(ctx.db);
    const client = await Client.signedIn(ctx.app, editor);
    assert.equal((await client.get(`/admin/users/${editor.id}/link`)).status, 403);
  });
});

describe('after setting a password', () => {
  let ctx: TestContext;
  let adminClient: Client;
  before(async () => {
    ctx = await createTestApp();
    adminClient = await Client.signedIn(ctx.app, await makeUser(ctx.db, { role: 'admin' }));
  });
  after(() => ctx.close());

  test('the sign-in page has the account’s email filled in, once, without it ever being in a URL', async () => {
    const { link } = await followToLink(adminClient, await adminClient.post('/admin/users', { displayName: 'Fay Filled', email: 'Fay@desk.test', role: 'editor' }));
    const fay = new Client(ctx.app);
    await fay.get(link);
    const set = await fay.post(link, { password: 'amber window falcon 9' });
    assert.equal(set.status, 303);
    assert.equal(set.headers.location, '/login');
    const login = await fay.get('/login');
    assert.match(login.text, /id="field-email" name="email" type="email"\s*value="Fay@desk\.test"/);
    assert.match(login.text, /Your password is set\. Sign in with your new password\./);
    assert.doesNotMatch((await fay.get('/login')).text, /value="Fay@desk\.test"/, 'filled in once, not for whoever uses the browser next');
    const signIn = await fay.post('/login', { email: 'Fay@desk.test', password: 'amber window falcon 9' });
    assert.equal(signIn.status, 303);
  });

  test('someone whose account is disabled is told so, instead of a sign-in that will fail', async () => {
    const user = await makeUser(ctx.db, { disabled: true });
    const { page, link } = await followToLink(adminClient, await adminClient.post(`/admin/users/${user.id}/reset-password`));
    assert.match(page.text, /The account is disabled: enable it, or they cannot sign in with the new password\./);
    const person = new Client(ctx.app);
    await person.get(link);
    assert.equal((await person.post(link, { password: 'copper meadow lantern 5' })).status, 303);
    assert.match((await person.get('/login')).text, /your account is disabled for now\. Sign in once an admin has enabled it again\./);
  });
});
