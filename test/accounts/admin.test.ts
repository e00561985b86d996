import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';
import { makeUser, TEST_PASSWORD } from '../support/factories.ts';
import { verifyPassword } from '../../server/accounts/passwords.ts';
import type { User } from '../../server/accounts/users.repo.ts';
import { followToLink } from './links.ts';
import { eventually } from '../support/eventually.ts';

describe('account administration', () => {
  let ctx: TestContext;
  let admin: User;
  let adminClient: Client;
  before(async () => {
    ctx = await createTestApp();
    admin = await makeUser(ctx.db, { role: 'admin', displayName: 'Ada Admin' });
    adminClient = await Client.signedIn(ctx.app, admin);
  });
  after(() => ctx.close());

  test('the accounts list shows each account with role, status and last sign-in', async () => {
    const res = await adminClient.get('/admin/users');
    assert.equal(res.status, 200);
    assert.match(res.text, /Ada Admin/);
    assert.match(res.text, /Last sign-in/);
    assert.match(res.text, /Active/);
  });

  test('an admin creates an account; its set-password link works once and the person can then sign in', async () => {
    const res = await adminClient.post('/admin/users', { displayName: 'Rita Reviewer', email: 'rita@desk.test', role: 'reviewer' });
    const { link } = await followToLink(adminClient, res);
    const stored = await ctx.db('users').where({ email: 'rita@desk.test' }).first();
    assert.equal(stored.role, 'reviewer');
    assert.equal(stored.password_hash, null, 'no password until the person chooses one');

    const rita = new Client(ctx.app);
    assert.equal((await rita.get(link)).status, 200);
    const weak = await rita.post(link, { password: 'password1234' });
    assert.equal(weak.status, 400);
    assert.match(weak.text, /commonly used/);
    const set = await rita.post(link, { password: 'violet kettle morning 7' });
    assert.equal(set.status, 303);
    assert.equal((await rita.get(link)).status, 404, 'the link works once');
    const signedIn = await Client.signedIn(ctx.app, { email: 'rita@desk.test' }, 'violet kettle morning 7');
    assert.equal((await signedIn.get('/account')).status, 200);
  });

  test('the log of a set-password visit holds neither the link token, the session id, the CSRF token nor the password', async () => {
    const from = ctx.logs.length;
    const res = await adminClient.post('/admin/users', { displayName: 'Lou Logged', email: 'lou@desk.test', role: 'editor' });
    const path = (await followToLink(adminClient, res)).link;
    const token = path.slice('/set-password/'.length);
    const lou = new Client(ctx.app);
    const page = await lou.get(path.toUpperCase().replace(token.toUpperCase(), token));
    assert.equal(page.status, 200, 'the link works whatever the case of its path');
    const set = await lou.post(path, { password: 'amber window falcon 9' });
    assert.equal(set.status, 303);
    const sid = /factdesk\.sid=s%3A([^.;]+)/.exec(String(page.headers['set-cookie']))?.[1];
    assert.ok(sid);

    const visits = ctx.logs.slice(from).filter((l) => JSON.stringify(l.req ?? {}).includes('[redacted]'));
    assert.deepEqual(visits.map((l) => (l.req as { method: string }).method), ['GET', 'POST'], 'both requests are logged');
    assert.equal((visits[1]!.req as { url: string }).url, '/set-password/[redacted]');
    const logged = JSON.stringify(ctx.logs);
    for (const secret of [token, sid, await lou.csrf(), 'amber window falcon 9']) assert.ok(!logged.includes(secret), `${secret.slice(0, 6)}... is not logged`);
  });

  test('creating an account with bad input is a 400 that keeps the input, with messages beside the fields', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'field-displayName-error'],
      [{ displayName: 'X', email: 'not an email', role: 'editor' }, 'field-email-error'],
      [{ displayName: 'X', email: 'x@desk.test', role: 'overlord' }, 'field-role-error'],
      [{ displayName: 'X', email: admin.email.toUpperCase(), role: 'editor' }, 'field-email-error'],
    ];
    for (const [form, errorId] of cases) {
      const res = await adminClient.post('/admin/users', form);
      assert.equal(res.status, 400, JSON.stringify(form));
      assert.match(res.text, new RegExp(`id="${errorId}"`));
      if (form.email) assert.ok(res.text.includes(`value="${form.email}"`), 'the email typed is kept');
    }
  });

  test(
    'when two admins add the same email at the same moment, the second gets the form back with the message beside the email',
    async () => {
      const email = 'twin@desk.test';
      // The first admin's insert, not yet committed: the second's check cannot see it.
      const first = await ctx.db.transaction();
      try {
        await first('users').insert({ email, display_name: 'Twin One', role: 'editor' });
        const firstPid = (await first.raw<{ rows: { pid: number }[] }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        const second = adminClient.post('/admin/users', { displayName: 'Twin Two', email: 'TWIN@desk.test', role: 'reviewer' });
        await eventually(
          async () => {
            const blocked = await ctx.db.raw<{ rows: unknown[] }>('SELECT 1 FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid))', [firstPid]);
            return blocked.rows.length > 0;
          },
          { timeout: 10_000, interval: 20, what: 'the second insert to wait for the first' },
        );
        await first.commit();
        const res = await second;
        assert.equal(res.status, 400);
        assert.match(res.text, /id="field-email-error"[^>]*>[\s\S]*?An account with this email address already exists\./);
        assert.ok(res.text.includes('value="TWIN@desk.test"'), 'the email typed is kept');
        assert.ok(res.text.includes('value="Twin Two"'), 'the name typed is kept');
      } finally {
        if (!first.isCompleted()) await first.rollback();
      }
    },
  );

  test('changing a role takes effect on the next request, and is logged without secrets', async () => {
    const user = await makeUser(ctx.db, { role: 'editor' });
    const client = await Client.signedIn(ctx.app, user);
    assert.equal((await client.get('/admin/users')).status, 403);
    const res = await adminClient.post(`/admin/users/${user.id}/role`, { role: 'admin' });
    assert.equal(res.status, 303);
    assert.equal((await client.get('/admin/users')).status, 200);
    const line = ctx.logs.find((l) => l.event === 'role_changed' && l.userId === user.id);
    assert.ok(line);
    assert.equal(line.to, 'admin');
    assert.doesNotMatch(JSON.stringify(ctx.logs), /a long test password|factdesk\.sid=|"password":"[^[]/);
  });

  test('a signed-in request reads its account with its session, not again on its own; an account gone from the database ends the session', async () => {
    const user = await makeUser(ctx.db, { role: 'editor' });
    const client = await Client.signedIn(ctx.app, user);
    const statements: string[] = [];
    const record = (q: { sql: string }) => statements.push(q.sql);
    ctx.appDb.on('query', record);
    try {
      assert.equal((await client.get('/sources')).status, 200);
    } finally {
      ctx.appDb.off('query', record);
    }
    // (The session store's own query does not pass through knex; the account read on its own would.)
    assert.ok(statements.length > 0, 'the page ran its queries');
    assert.ok(!statements.some((sql) => /from "users" where "id" = /i.test(sql)), `no second read of the account:\n${statements.join('\n')}`);

    await ctx.db('users').where({ id: user.id }).delete();
    const res = await client.get('/account');
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, '/login');
  });

  test('disabling a user ends their open session on their next request; enabling lets them sign in again', async () => {
    const user = await makeUser(ctx.db, { role: 'editor' });
    const client = await Client.signedIn(ctx.app, user);
    assert.equal((await client.get('/account')).status, 200);
    assert.equal((await adminClient.post(`/admin/users/${user.id}/disable`)).status, 303);
    const res = await client.get('/account');
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, '/login');
    const again = await new Client(ctx.app).post('/login', { email: user.email, password: TEST_PASSWORD });
    assert.equal(again.status, 401, 'a disabled account cannot sign in');
    assert.equal((await adminClient.post(`/admin/users/${user.id}/enable`)).status, 303);
    assert.equal((await Client.signedIn(ctx.app, user).then((c) => c.get('/account'))).status, 200);
  });

  test('the last enabled admin cannot be disabled or demoted, not even by themselves', async () => {
    const desk = await createTestApp();
    try {
      const only = await makeUser(desk.db, { role: 'admin' });
      const client = await Client.signedIn(desk.app, only);
      const demote = await client.post(`/admin/users/${only.id}/role`, { role: 'editor' });
      assert.equal(demote.status, 409);
      assert.match(demote.text, /only enabled admin/);
      const disable = await client.post(`/admin/users/${only.id}/disable`);
      assert.equal(disable.status, 409);
      const row = await desk.db('users').where({ id: only.id }).first();
      assert.equal(row.role, 'admin');
      assert.equal(row.disabled, false);
      // With a second admin, the first may step down.
      await makeUser(desk.db, { role: 'admin' });
      assert.equal((await client.post(`/admin/users/${only.id}/role`, { role: 'reviewer' })).status, 303);
    } finally {
      await desk.close();
    }
  });

  test('a password reset link lets the person choose a new password; the old one stops working', async () => {
    const user = await makeUser(ctx.db);
    const res = await adminClient.post(`/admin/users/${user.id}/reset-password`);
    const { link } = await followToLink(adminClient, res);
    const person = new Client(ctx.app);
    assert.equal((await person.post(link, { password: 'new quiet password 88' })).status, 303);
    assert.equal((await new Client(ctx.app).post('/login', { email: user.email, password: TEST_PASSWORD })).status, 401);
    await Client.signedIn(ctx.app, user, 'new quiet password 88');
  });

  test('unknown account ids are 404', async () => {
    assert.equal((await adminClient.get('/admin/users/999999')).status, 404);
    assert.equal((await adminClient.get('/admin/users/abc')).status, 404);
    assert.equal((await adminClient.post('/admin/users/999999/disable')).status, 404);
  });
});

describe('your own account', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestApp();
  });
  after(() => ctx.close());

  test('changing your password needs the current one and ends your other sessions', async () => {
    const user = await makeUser(ctx.db);
    const here = await Client.signedIn(ctx.app, user);
    const elsewhere = await Client.signedIn(ctx.app, user);
    const wrong = await here.post('/account/password', { currentPassword: 'not it at all', password: 'brand new password 1' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.text, /current password is incorrect/);
    const ok = await here.post('/account/password', { currentPassword: TEST_PASSWORD, password: 'brand new password 1' });
    assert.equal(ok.status, 303);
    assert.equal((await here.get('/account')).status, 200, 'this session goes on');
    assert.equal((await elsewhere.get('/account')).status, 302, 'the other session ended');
  });

  test('guessing the current password is throttled like sign-in: after ten wrong ones even the right one waits, here and at sign-in', async () => {
    const user = await makeUser(ctx.db);
    const here = await Client.signedIn(ctx.app, user);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push((await here.post('/account/password', { currentPassword: `wrong guess number ${i}`, password: 'brand new password 1' })).status);
    }
    assert.deepEqual(statuses, [400, 400, 400, 400, 400, 400, 400, 400, 400, 429]);
    const right = await here.post('/account/password', { currentPassword: TEST_PASSWORD, password: 'brand new password 1' });
    assert.equal(right.status, 429);
    assert.ok(Number(right.headers['retry-after']) > 0);
    assert.match(right.text, /id="field-currentPassword-error"[^>]*>(?:<span[^>]*>[^<]*<\/span>)?\s*Too many failed password attempts\. Try again in 1[45] minutes/);
    const stored = await ctx.db('users').where({ id: user.id }).first('password_hash');
    assert.equal(await verifyPassword(TEST_PASSWORD, stored.password_hash), true, 'the password is unchanged');
    const signIn = await new Client(ctx.app).post('/login', { email: user.email, password: TEST_PASSWORD });
    assert.equal(signIn.status, 429, 'the same limit holds at sign-in');
  });

  test('changing your display name; an empty one is refused beside the field', async () => {
    const user = await makeUser(ctx.db);
    const client = await Client.signedIn(ctx.app, user);
    const bad = await client.post('/account/profile', { displayName: '   ' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /id="field-displayName-error"/);
    assert.equal((await client.post('/account/profile', { displayName: 'Nadia Noor' })).status, 303);
    assert.match((await client.get('/account')).text, /Nadia Noor/);
  });
});

describe('CSRF', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestApp();
  });
  after(() => ctx.close());

  test('a POST without a token, or with a wrong one, is refused with 403 and changes nothing', async () => {
    const user = await makeUser(ctx.db, { displayName: 'Before' });
    const client = await Client.signedIn(ctx.app, user);
    const none = await client.agent.post('/account/profile').type('form').send('displayName=After');
    assert.equal(none.status, 403);
    assert.match(none.text, /This form has expired/);
    const wrong = await client.agent.post('/account/profile').type('form').send(`_csrf=${'a'.repeat(64)}&displayName=After`);
    assert.equal(wrong.status, 403);
    const json = await client.agent.post('/account/profile').set('Accept', 'application/json').send({ displayName: 'After' });
    assert.equal(json.status, 403);
    assert.equal(json.body.error.code, 'csrf_failed');
    assert.equal((await ctx.db('users').where({ id: user.id }).first()).display_name, 'Before');
  });

  test("a token from another session is refused", async () => {
    const a = await Client.signedIn(ctx.app, await makeUser(ctx.db));
    const b = await Client.signedIn(ctx.app, await makeUser(ctx.db));
    const res = await b.agent.post('/account/profile').type('form').send(`_csrf=${await a.csrf()}&displayName=Hijacked`);
    assert.equal(res.status, 403);
  });
});
