import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import request from 'supertest';
import { createTestApp, type TestContext } from '../support/app.ts';
import { Client, csrfFrom } from '../support/client.ts';
import { makeDesk, makeUser, TEST_PASSWORD } from '../support/factories.ts';
import type { User } from '../../server/accounts/users.repo.ts';
import { eventually } from '../support/eventually.ts';

const sessionCookie = (res: request.Response): string | undefined =>
  ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('factdesk.sid='))?.split(';')[0];

describe('signing in and out', () => {
  let ctx: TestContext;
  let editor: User;
  before(async () => {
    ctx = await createTestApp({ TRUST_PROXY: '1' });
    editor = await makeUser(ctx.db, { role: 'editor' });
  });
  after(() => ctx.close());

  test('the session cookie changes at sign-in, and the old cookie is not signed in', async () => {
    const page = await request(ctx.app).get('/login');
    const before = sessionCookie(page)!;
    assert.ok(before);
    const res = await request(ctx.app)
      .post('/login')
      .set('Cookie', before)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: editor.email, password: TEST_PASSWORD });
    assert.equal(res.status, 303);
    const afterCookie = sessionCookie(res)!;
    assert.ok(afterCookie);
    assert.notEqual(afterCookie, before);
    assert.equal((await request(ctx.app).get('/account').set('Cookie', afterCookie)).status, 200);
    const old = await request(ctx.app).get('/account').set('Cookie', before);
    assert.equal(old.status, 302);
    assert.equal(old.headers.location, '/login');
  });

  test('the cookie is HttpOnly and SameSite=Lax', async () => {
    const page = await request(ctx.app).get('/login');
    const cookie = ([] as string[]).concat(page.headers['set-cookie'] ?? []).find((c) => c.startsWith('factdesk.sid='))!;
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
  });

  test('a wrong password says only that the email or password is incorrect', async () => {
    const client = new Client(ctx.app);
    const wrong = await client.post('/login', { email: editor.email, password: 'not the password at all' });
    const unknown = await client.post('/login', { email: 'nobody@desk.test', password: 'not the password at all' });
    for (const res of [wrong, unknown]) {
      assert.equal(res.status, 401);
      assert.match(res.text, /Email or password is incorrect\./);
      assert.doesNotMatch(res.text, /not the password at all/);
    }
    assert.match(wrong.text, new RegExp(`value="${editor.email}"`), 'the email is kept');
  });

  test('bad input is a 400 with messages beside the fields, also for a 10 MB password', async () => {
    const client = new Client(ctx.app);
    const missing = await client.post('/login', {});
    assert.equal(missing.status, 400);
    assert.match(missing.text, /id="field-email-error"/);
    assert.match(missing.text, /id="field-password-error"/);
    for (const length of [5_000, 10 * 1024 * 1024]) {
      const long = await client.post('/login', { email: editor.email, password: 'p'.repeat(length) });
      assert.equal(long.status, 400, `${length} characters`);
      assert.match(long.text, /id="field-password-error"[\s\S]*?Password must be 256 characters or fewer/);
      assert.match(long.text, new RegExp(`value="${editor.email}"`), 'the email is kept');
      assert.ok(!long.text.includes('p'.repeat(300)), 'the password is not echoed back');
    }
  });

  test('a visitor’s large body anywhere but the sign-in forms is not read: it is sent to sign in', async () => {
    const client = new Client(ctx.app);
    const res = await client.post('/reports', { title: 'x', body: 'b'.repeat(1024 * 1024) });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/login');
  });

  test('after sign-in the user returns to the page first asked for', async () => {
    const client = new Client(ctx.app);
    assert.equal((await client.get('/account?tab=password')).status, 302);
    const res = await client.post('/login', { email: editor.email, password: TEST_PASSWORD });
    assert.equal(res.headers.location, '/account?tab=password');
  });

  for (const target of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
    test(`an open redirect to ${target} is refused`, async () => {
      const client = new Client(ctx.app);
      // The only way a return path enters the session is the page asked for.
      await client.get(target.startsWith('/') ? target : `/${target}`);
      const res = await client.post('/login', { email: editor.email, password: TEST_PASSWORD });
      assert.equal(res.status, 303);
      const location = String(res.headers.location);
      assert.ok(location.startsWith('/') && !location.startsWith('//') && !location.startsWith('/\\'), location);
    });
  }

  test('sign-out deletes the session row and the old cookie no longer works', async () => {
    const client = await Client.signedIn(ctx.app, editor);
    const sessionsOf = async () =>
      (await ctx.db('session').whereRaw("(sess -> 'passport' ->> 'user') = ?", [String(editor.id)]).select('sid')).map((r) => r.sid as string);
    const before = await sessionsOf();
    const res = await client.post('/logout');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/login');
    const after = await sessionsOf();
    assert.equal(after.length, before.length - 1, 'exactly this session is gone');
    assert.equal((await client.get('/account')).status, 302);
  });

  test('a session idle for longer than the timeout is signed out', async () => {
    const client = await Client.signedIn(ctx.app, editor);
    assert.equal((await client.get('/account')).status, 200);
    await ctx.db.raw(
      `UPDATE session SET sess = jsonb_set(sess::jsonb, '{lastSeenAt}', to_jsonb((extract(epoch from now()) * 1000 - 31 * 60000)::bigint))::json
       WHERE (sess -> 'passport' ->> 'user') = ?`,
      [String(editor.id)],
    );
    const res = await client.get('/account');
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, '/login');
  });

  test('a session older than the absolute lifetime is signed out, however active', async () => {
    const client = await Client.signedIn(ctx.app, editor);
    await ctx.db.raw(
      `UPDATE session SET sess = jsonb_set(sess::jsonb, '{signedInAt}', to_jsonb((extract(epoch from now()) * 1000 - 13 * 3600000)::bigint))::json
       WHERE (sess -> 'passport' ->> 'user') = ?`,
      [String(editor.id)],
    );
    assert.equal((await client.get('/account')).status, 302);
  });
});

describe('sign-in throttling', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestApp({ TRUST_PROXY: '1', LOGIN_MAX_FAILS_PER_IP: '20' });
  });
  after(() => ctx.close());

  const attempt = async (client: Client, email: string, password: string, ip: string) => {
    const body = new URLSearchParams({ _csrf: await client.csrf(), email, password });
    return client.agent.post('/login').set('X-Forwarded-For', ip).type('form').send(body.toString());
  };

  test('ten wrong passwords for one account from one IP lead to 429; then the right one is refused too; others are unaffected', async () => {
    const { editor: victim, editor2: bystander } = await makeDesk(ctx.db, ['editor', 'editor2']);
    const client = new Client(ctx.app);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await attempt(client, victim.email, `wrong password ${i}!`, '203.0.113.7')).status);
    assert.deepEqual(statuses.slice(0, 9), Array(9).fill(401));
    assert.equal(statuses[9], 429);

    const right = await attempt(client, victim.email, TEST_PASSWORD, '203.0.113.7');
    assert.equal(right.status, 429);
    // The message names the time as well as the wait, so a person knows when to come back.
    assert.match(right.text, /Too many failed sign-in attempts\. Try again in 1[45] minutes, at \d\d:\d\d [A-Z]/);
    assert.ok(Number(right.headers['retry-after']) > 0);

    const other = await attempt(new Client(ctx.app), bystander.email, TEST_PASSWORD, '198.51.100.9');
    assert.equal(other.status, 303, 'another account from another IP signs in');
    const sameAccountOtherIp = await attempt(new Client(ctx.app), victim.email, TEST_PASSWORD, '198.51.100.10');
    assert.equal(sameAccountOtherIp.status, 303, 'the block is per account and IP');
  });

  test('one IP trying many accounts hits the per-IP cap (LOGIN_MAX_FAILS_PER_IP)', async () => {
    const client = new Client(ctx.app);
    let last = 0;
    for (let i = 0; i < 21 && last !== 429; i++) {
      last = (await attempt(client, `someone${i}@desk.test`, 'wrong password here', '192.0.2.55')).status;
    }
    assert.equal(last, 429);
    const user = await makeUser(ctx.db);
    assert.equal((await attempt(new Client(ctx.app), user.email, TEST_PASSWORD, '192.0.2.55')).status, 429);
  });

  const failFrom = async (ip: string, times: number) => {
    const client = new Client(ctx.app);
    const statuses: number[] = [];
    for (let i = 0; i < times; i++) statuses.push((await attempt(client, `guess${i}@desk.test`, 'wrong password here', ip)).status);
    return statuses;
  };

  test('a network that reaches the per-IP cap is blocked for an hour, not a day, and told until when', async () => {
    const statuses = await failFrom('192.0.2.60', 20);
    assert.deepEqual(statuses.slice(0, 19), Array(19).fill(401));
    assert.equal(statuses[19], 429, 'the 20th failure starts the block');
    const user = await makeUser(ctx.db);
    const before = Date.now();
    const res = await attempt(new Client(ctx.app), user.email, TEST_PASSWORD, '192.0.2.60');
    assert.equal(res.status, 429);
    const retryAfter = Number(res.headers['retry-after']);
    assert.ok(retryAfter > 3500 && retryAfter <= 3600, `blocked for ${retryAfter} s`);
    const time = /from your network\. Try again in 60 minutes, at (\d\d):(\d\d) [A-Z]/.exec(res.text);
    assert.ok(time, res.text.match(/Too many[^<]*/)?.[0]);
    const until = new Date(before + retryAfter * 1000);
    const shown = new Date(until);
    shown.setHours(Number(time[1]), Number(time[2]), 0, 0);
    if (shown.getTime() < until.getTime() - 12 * 3600_000) shown.setDate(shown.getDate() + 1); // past midnight
    assert.ok(shown.getTime() >= until.getTime() - 1000 && shown.getTime() - until.getTime() <= 61_000, 'the time shown is when the block ends, rounded up');
  });

  test('a network blocked again the same day waits twice as long the second time', async () => {
    assert.equal((await failFrom('192.0.2.61', 20))[19], 429);
    // The first block has run its hour.
    await ctx.db('login_limits').where({ key: 'ip:192.0.2.61' }).update({ expire: Date.now() - 1000 });
    const again = await failFrom('192.0.2.61', 20);
    assert.deepEqual(again.slice(0, 19), Array(19).fill(401), 'after the block the network has its attempts back');
    const res = await attempt(new Client(ctx.app), 'someone@desk.test', 'wrong password here', '192.0.2.61');
    assert.match(res.text, /Try again in 2 hours, at /);
    assert.ok(Number(res.headers['retry-after']) > 7000);
  });

  test('sign-ins that succeed do not use up the network\'s allowance of failures', async () => {
    const user = await makeUser(ctx.db);
    await failFrom('192.0.2.62', 19);
    for (let i = 0; i < 3; i++) assert.equal((await attempt(new Client(ctx.app), user.email, TEST_PASSWORD, '192.0.2.62')).status, 303);
    assert.equal((await failFrom('192.0.2.62', 1))[0], 429, 'the 20th failure, not a success, reaches the cap');
  });
});

describe('sign-in throttling under concurrent attempts', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestApp({ TRUST_PROXY: '1' });
  });
  after(() => ctx.close());

  test(
    'many wrong passwords at once and then the right one: the right one is refused once the ten attempts are spent',
    async () => {
      const victim = await makeUser(ctx.db);
      const ip = '203.0.113.99';
      const client = new Client(ctx.app);
      const body = async (password: string) => new URLSearchParams({ _csrf: await client.csrf(), email: victim.email, password }).toString();
      const send = async (password: string) => client.agent.post('/login').set('X-Forwarded-For', ip).type('form').send(await body(password));

      await client.csrf(); // one session for all the attempts, as a script with one cookie would have
      const wrong = Array.from({ length: 39 }, (_, i) => send(`wrong guess number ${i}`));
      // Until the ten attempts are counted (or briefly, if they are counted only once checked):
      // the guesses are still being checked, which takes a scrypt each.
      await eventually(async () => (await pointsFor(ctx, `${victim.email}|${ip}`)) >= 10, { timeout: 300, interval: 5 }).catch(() => undefined);
      const right = await send(TEST_PASSWORD);
      const wrongStatuses = (await Promise.all(wrong)).map((r) => r.status);

      assert.equal(right.status, 429, 'the right password does not sign in once the limit is spent');
      // Ten guesses are checked, no more: nine answered "incorrect", the tenth starts the block.
      assert.equal(wrongStatuses.filter((s) => s === 401).length, 9, wrongStatuses.join(' '));
      assert.equal(wrongStatuses.filter((s) => s === 429).length, 30, wrongStatuses.join(' '));
      const sessions = await ctx.db('session').whereRaw("(sess -> 'passport' ->> 'user') = ?", [String(victim.id)]);
      assert.equal(sessions.length, 0, 'nobody is signed in as the victim');
    },
  );
});

async function pointsFor(ctx: TestContext, pair: string): Promise<number> {
  const row = (await ctx.db('login_limits').where('key', 'like', `%${pair}`).first('points')) as { points: number } | undefined;
  return row?.points ?? 0;
}
