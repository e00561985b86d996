import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import type { User } from '../../server/accounts/users.repo.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { csrfFrom } from '../support/client.ts';
import { makeUser, TEST_PASSWORD } from '../support/factories.ts';

/** Signs in through the form and returns the session cookie ("factdesk.sid=s%3A<sid>.<signature>"). */
async function signIn(ctx: TestContext, user: User): Promise<string> {
  const page = await request(ctx.app).get('/login');
  const first = ([] as string[]).concat(page.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
  const res = await request(ctx.app).post('/login').set('Cookie', first).type('form').send({ _csrf: csrfFrom(page.text), email: user.email, password: TEST_PASSWORD });
  assert.equal(res.status, 303);
  return ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('factdesk.sid='))!.split(';')[0]!;
}

const sidOf = (cookie: string) => decodeURIComponent(cookie.split('=')[1]!).slice(2).split('.')[0]!;
const signedIn = async (ctx: TestContext, cookie: string) => (await request(ctx.app).get('/account').set('Cookie', cookie)).status === 200;

describe('sessions under attack', () => {
  let ctx: TestContext;
  let user: User;
  before(async () => {
    ctx = await createTestApp();
    user = await makeUser(ctx.db);
  });
  after(() => ctx.close());

  test('an expired session is not signed in', async () => {
    const cookie = await signIn(ctx, user);
    assert.ok(await signedIn(ctx, cookie));
    await ctx.db('session').where({ sid: sidOf(cookie) }).update({ expire: ctx.db.raw("now() - interval '1 minute'") });
    assert.equal(await signedIn(ctx, cookie), false);
  });

  test('a tampered cookie (signature or id changed) is not signed in', async () => {
    const cookie = await signIn(ctx, user);
    const [name, value] = cookie.split('=') as [string, string];
    const decoded = decodeURIComponent(value);
    const flipped = decoded.slice(0, -2) + (decoded.endsWith('A') ? 'BB' : 'AA');
    assert.equal(await signedIn(ctx, `${name}=${encodeURIComponent(flipped)}`), false, 'bad signature');
    const otherSid = `s:${'x'.repeat(32)}.${decoded.split('.')[1]}`;
    assert.equal(await signedIn(ctx, `${name}=${encodeURIComponent(otherSid)}`), false, 'another id with the old signature');
    // A correctly signed cookie for an id that is not in the store is no better.
    const forged = `s:forged-session-id.${createHmac('sha256', 'not-the-secret').update('forged-session-id').digest('base64').replace(/=+$/, '')}`;
    assert.equal(await signedIn(ctx, `${name}=${encodeURIComponent(forged)}`), false, 'signed with a wrong secret');
  });

  test('a cookie replayed after sign-out is not signed in', async () => {
    const cookie = await signIn(ctx, user);
    const page = await request(ctx.app).get('/account').set('Cookie', cookie);
    await request(ctx.app).post('/logout').set('Cookie', cookie).type('form').send({ _csrf: csrfFrom(page.text) });
    assert.equal(await signedIn(ctx, cookie), false);
  });

  test('a disabled user’s open session ends on their next request', async () => {
    const victim = await makeUser(ctx.db);
    const cookie = await signIn(ctx, victim);
    await ctx.db('users').where({ id: victim.id }).update({ disabled: true });
    assert.equal(await signedIn(ctx, cookie), false);
  });

  test('a session whose user was demoted loses the rights at once', async () => {
    const admin = await makeUser(ctx.db, { role: 'admin' });
    const cookie = await signIn(ctx, admin);
    assert.equal((await request(ctx.app).get('/admin/users').set('Cookie', cookie)).status, 200);
    await ctx.db('users').where({ id: admin.id }).update({ role: 'editor' });
    assert.equal((await request(ctx.app).get('/admin/users').set('Cookie', cookie)).status, 403);
  });

  test('a session row holds no password, and the log holds no cookie or token', async () => {
    const cookie = await signIn(ctx, user);
    const row = await ctx.db('session').where({ sid: sidOf(cookie) }).first();
    assert.doesNotMatch(JSON.stringify(row.sess), new RegExp(TEST_PASSWORD));
    const logged = JSON.stringify(ctx.logs);
    assert.ok(!logged.includes(sidOf(cookie)), 'the session id is not logged');
    assert.ok(!logged.includes(TEST_PASSWORD), 'no password is logged');
  });
});
