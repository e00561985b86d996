import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client } from '../support/client.ts';

describe('first-run setup', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestApp();
  });
  after(() => ctx.close());

  test('while no account exists, pages send the visitor to /setup; there is no default account', async () => {
    const client = new Client(ctx.app);
    for (const path of ['/', '/login', '/reports', '/admin/users']) {
      const res = await client.get(path);
      assert.equal(res.status, 302, path);
      assert.equal(res.headers.location, '/setup', path);
    }
    assert.equal((await ctx.db('users').count<{ count: number }[]>('* as count'))[0]!.count, 0);
  });

  test('bad input is a 400 that keeps the name and email, never the password, with a message beside each field', async () => {
    const client = new Client(ctx.app);
    const res = await client.post('/setup', { displayName: 'Ana <b>Lima</b>', email: 'not-an-email', password: 'short' });
    assert.equal(res.status, 400);
    assert.match(res.text, /There is a problem/);
    assert.match(res.text, /id="field-email-error"[^>]*>[\s\S]*correct format/);
    assert.match(res.text, /id="field-password-error"[^>]*>[\s\S]*at least 12 characters/);
    assert.match(res.text, /value="Ana &lt;b&gt;Lima&lt;\/b&gt;"/);
    assert.match(res.text, /value="not-an-email"/);
    assert.doesNotMatch(res.text, /value="short"/);
  });

  test('creates the first admin, signs them in, and then /setup is gone', async () => {
    const client = new Client(ctx.app);
    const res = await client.post('/setup', { displayName: 'Ana Lima', email: 'ana@desk.test', password: 'quiet harbour lantern 42' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/');
    const home = await client.get('/');
    assert.equal(home.status, 200);
    assert.match(home.text, /Ana Lima/);
    // The message names the menu entry as the menu does.
    assert.match(home.text, /Add your colleagues under Accounts/);
    assert.match(home.text, /<a href="\/admin\/users"[^>]*>Accounts<\/a>/);
    const user = await ctx.db('users').where({ email: 'ana@desk.test' }).first();
    assert.equal(user.role, 'admin');

    assert.equal((await new Client(ctx.app).get('/setup')).status, 404);
    const again = await new Client(ctx.app).post('/setup', { displayName: 'Eve', email: 'eve@desk.test', password: 'quiet harbour lantern 43' });
    assert.equal(again.status, 404);
    assert.equal((await ctx.db('users').count<{ count: number }[]>('* as count'))[0]!.count, 1);
  });
});
