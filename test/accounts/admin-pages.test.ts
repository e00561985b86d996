import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeUser } from '../support/factories.ts';
import type { User } from '../../server/accounts/users.repo.ts';

/** The one-shot message at the top of a page, as text. */
const flashOf = (html: string): string =>
  (/<div class="notice notice--\w+" role="status"><p>([^<]*)<\/p>/.exec(html)?.[1] ?? '').replace(/&#39;/g, "'").replace(/&#34;/g, '"').replace(/&amp;/g, '&');

describe('what the admin pages say', () => {
  let ctx: TestContext;
  let admin: User;
  let adminClient: Client;
  before(async () => {
    ctx = await createTestApp();
    admin = await makeUser(ctx.db, { role: 'admin', displayName: 'Ada Admin' });
    adminClient = await Client.signedIn(ctx.app, admin);
  });
  after(() => ctx.close());

  const updatedAt = async (id: number): Promise<string> => String((await ctx.db('users').where({ id }).first('updated_at')).updated_at);
  const logsAbout = (from: number, event: string, userId: number) => ctx.logs.slice(from).filter((l) => l.event === event && l.userId === userId);

  test('choosing the role an account already has says nothing changed, and changes and logs nothing', async () => {
    const rick = await makeUser(ctx.db, { role: 'reviewer', displayName: 'Rick Reviewer' });
    const [from, before] = [ctx.logs.length, await updatedAt(rick.id)];
    const res = await adminClient.post(`/admin/users/${rick.id}/role`, { role: 'reviewer' });
    assert.equal(res.status, 303);
    const page = await adminClient.get(String(res.headers.location));
    assert.equal(flashOf(page.text), 'Nothing changed: Rick Reviewer is already a reviewer.');
    assert.doesNotMatch(page.text, /is now a reviewer/);
    assert.equal(logsAbout(from, 'role_changed', rick.id).length, 0, 'no role change is logged');
    assert.equal(await updatedAt(rick.id), before);

    const changed = await adminClient.post(`/admin/users/${rick.id}/role`, { role: 'editor' });
    assert.equal(flashOf((await adminClient.get(String(changed.headers.location))).text), 'Rick Reviewer is now an editor.');
    assert.equal(logsAbout(from, 'role_changed', rick.id).length, 1);
  });

  test('disabling an account that is already disabled (a second click, an old tab) says nothing changed and logs nothing', async () => {
    const dora = await makeUser(ctx.db, { displayName: 'Dora Disabled', disabled: true });
    const from = ctx.logs.length;
    const res = await adminClient.post(`/admin/users/${dora.id}/disable`);
    assert.equal(res.status, 303);
    assert.equal(flashOf((await adminClient.get(`/admin/users/${dora.id}`)).text), "Nothing changed: Dora Disabled's account is already disabled.");
    assert.equal(logsAbout(from, 'account_disabled', dora.id).length, 0);
    await adminClient.post(`/admin/users/${dora.id}/enable`);
    assert.equal(logsAbout(from, 'account_enabled', dora.id).length, 1);
  });

  test('"Disable account" asks first, naming the person; "Enable account" does not', async () => {
    const rita = await makeUser(ctx.db, { displayName: 'Rita "R" <Reviewer>' });
    const page = await adminClient.get(`/admin/users/${rita.id}`);
    assert.match(
      page.text,
      /<button type="submit" class="button button--warning"[^>]*data-confirm="Disable Rita &#34;R&#34; &lt;Reviewer&gt;\? They are signed out at once and cannot sign in until enabled again\."[^>]*>Disable account<\/button>/,
    );
    await adminClient.post(`/admin/users/${rita.id}/disable`);
    const disabled = await adminClient.get(`/admin/users/${rita.id}`);
    assert.match(disabled.text, />Enable account<\/button>/);
    assert.doesNotMatch(disabled.text, /data-confirm/);
  });

  test('your own account page offers no "Disable account", and disabling yourself is refused with a message, keeping you signed in', async () => {
    const page = await adminClient.get(`/admin/users/${admin.id}`);
    assert.doesNotMatch(page.text, /Disable account/);
    assert.match(page.text, /You cannot disable your own account\. Another admin can\./);
    await makeUser(ctx.db, { role: 'admin' }); // so the last-admin rule is not what refuses it
    const res = await adminClient.post(`/admin/users/${admin.id}/disable`);
    assert.equal(res.status, 409);
    assert.match(res.text, /href="#field-status">You cannot disable your own account\. Ask another admin to do it\./);
    assert.equal((await ctx.db('users').where({ id: admin.id }).first()).disabled, false);
    assert.equal((await adminClient.get('/admin/users')).status, 200, 'still signed in');
  });

  test('an admin who gives themselves another role lands on the dashboard, told they no longer manage accounts', async () => {
    const stepping = await makeUser(ctx.db, { role: 'admin', displayName: 'Step Down' });
    const client = await Client.signedIn(ctx.app, stepping);
    const res = await client.post(`/admin/users/${stepping.id}/role`, { role: 'reviewer' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/');
    const home = await client.get('/');
    assert.equal(home.status, 200);
    assert.equal(flashOf(home.text), 'You are now a reviewer, so you no longer manage accounts.');
  });

  test('the last enabled admin is told why they cannot step down, beside the role', async () => {
    const desk = await createTestApp();
    try {
      const only = await makeUser(desk.db, { role: 'admin' });
      const client = await Client.signedIn(desk.app, only);
      const res = await client.post(`/admin/users/${only.id}/role`, { role: 'editor' });
      assert.equal(res.status, 409);
      assert.match(res.text, /id="field-role-error"[^>]*>[\s\S]*?only enabled admin, so it cannot be given another role\. Make another account an admin first\./);
    } finally {
      await desk.close();
    }
  });
});
