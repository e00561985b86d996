import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeUser, TEST_PASSWORD } from '../support/factories.ts';
import type { User } from '../../server/accounts/users.repo.ts';
import { followToLink } from './links.ts';

/** The fields the error summary links to, in its order. */
const summaryFields = (html: string): string[] => {
  const summary = /<div class="error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/href="#field-(\w+)"/g)].map((m) => m[1]!);
};

const messageBeside = (html: string, field: string): string =>
  new RegExp(`id="field-${field}-error"[^>]*>(?:<span[^>]*>Error:</span>)?\\s*([^<]*)`).exec(html)?.[1]?.trim() ?? '';

describe('account forms list every problem at once, in the form’s order', () => {
  let ctx: TestContext;
  let admin: User;
  let adminClient: Client;
  before(async () => {
    ctx = await createTestApp();
    admin = await makeUser(ctx.db, { role: 'admin' });
    adminClient = await Client.signedIn(ctx.app, admin);
  });
  after(() => ctx.close());

  test('changing your password with a wrong current one and a short new one reports both, never echoing either', async () => {
    const user = await makeUser(ctx.db);
    const client = await Client.signedIn(ctx.app, user);
    const before = (await ctx.db('users').where({ id: user.id }).first()).password_hash as string;
    const cases: [Record<string, string>, Record<string, RegExp>][] = [
      [{ currentPassword: 'not it at all', password: 'short' }, { currentPassword: /current password is incorrect/, password: /at least 12 characters/ }],
      [{ currentPassword: 'not it at all', password: '' }, { currentPassword: /current password is incorrect/, password: /Enter a new password/ }],
      [{ currentPassword: '', password: 'password1234' }, { currentPassword: /Enter your current password/, password: /commonly used/ }],
      [{ currentPassword: 'not it at all', password: user.email }, { currentPassword: /current password is incorrect/, password: /not be your email/ }],
      [{ currentPassword: TEST_PASSWORD, password: 'short' }, { password: /at least 12 characters/ }],
    ];
    for (const [form, expected] of cases) {
      const res = await client.post('/account/password', form);
      const where = JSON.stringify(form);
      assert.equal(res.status, 400, where);
      assert.deepEqual(summaryFields(res.text), Object.keys(expected), where);
      for (const [field, message] of Object.entries(expected)) assert.match(messageBeside(res.text, field), message, `${where}: ${field}`);
      for (const secret of [form.currentPassword, form.password]) {
        if (secret && secret !== user.email) assert.ok(!res.text.includes(`value="${secret}"`), `${where}: not echoed`);
      }
    }
    assert.equal((await ctx.db('users').where({ id: user.id }).first()).password_hash, before, 'the password is unchanged');
  });

  test('adding an account with no name and an email already in use reports both, keeping what was typed', async () => {
    const res = await adminClient.post('/admin/users', { displayName: '', email: admin.email.toUpperCase(), role: 'reviewer' });
    assert.equal(res.status, 400);
    assert.deepEqual(summaryFields(res.text), ['displayName', 'email']);
    assert.match(messageBeside(res.text, 'email'), /already exists/);
    assert.ok(res.text.includes(`value="${admin.email.toUpperCase()}"`));
    assert.match(res.text, /value="reviewer" checked/);
  });

  test('adding an account with every field wrong reports each one', async () => {
    const res = await adminClient.post('/admin/users', { displayName: '', email: 'not an email', role: 'overlord' });
    assert.equal(res.status, 400);
    assert.deepEqual(summaryFields(res.text), ['displayName', 'email', 'role']);
  });

  test('the set-password form refuses the account’s own email beside its one field', async () => {
    const { link } = await followToLink(adminClient, await adminClient.post('/admin/users', { displayName: 'Em Ail', email: 'em.ail.person@desk.test', role: 'editor' }));
    const person = new Client(ctx.app);
    await person.get(link);
    for (const [password, message] of [['', /Enter a password/], ['short', /at least 12/], ['em.ail.person@desk.test', /not be your email/]] as const) {
      const res = await person.post(link, { password });
      assert.equal(res.status, 400, password);
      assert.deepEqual(summaryFields(res.text), ['password']);
      assert.match(messageBeside(res.text, 'password'), message);
    }
  });
});

describe('the setup form lists every problem at once', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestApp();
  });
  after(() => ctx.close());

  test('a form without its name field and with a short password reports both, name first', async () => {
    const client = new Client(ctx.app);
    const res = await client.post('/setup', { email: 'ana@desk.test', password: 'short' });
    assert.equal(res.status, 400);
    assert.deepEqual(summaryFields(res.text), ['displayName', 'password']);
  });

  test('an empty name, a bad email and a common password are all reported', async () => {
    const client = new Client(ctx.app);
    const res = await client.post('/setup', { displayName: ' ', email: 'ana at desk', password: 'password1234' });
    assert.equal(res.status, 400);
    assert.deepEqual(summaryFields(res.text), ['displayName', 'email', 'password']);
    assert.match(messageBeside(res.text, 'password'), /commonly used/);
  });

  test('a password that is the email is refused beside the password', async () => {
    const client = new Client(ctx.app);
    const res = await client.post('/setup', { displayName: 'Ana', email: 'ana.lima.desk@desk.test', password: 'ANA.LIMA.DESK@desk.test' });
    assert.equal(res.status, 400);
    assert.deepEqual(summaryFields(res.text), ['password']);
    assert.match(messageBeside(res.text, 'password'), /not be your email/);
  });
});
