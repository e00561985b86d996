import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestApp, type TestContext } from '../support/app.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { listen } from '../support/browser.ts';
import { Client, csrfFrom } from '../support/client.ts';
import { eventually } from '../support/eventually.ts';
import { makeUser, TEST_PASSWORD } from '../support/factories.ts';
import { submitForm } from '../support/process.ts';

describe('the notice of the last action', () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await createTestApp();
  });
  after(() => ctx.close());

  test('a JSON request made meanwhile (an autocomplete from the old page) leaves it for the next page, which shows it once', async () => {
    const reviewer = await Client.signedIn(ctx.app, await makeUser(ctx.db, { role: 'reviewer' }));
    const taken = await reviewer.post('/review/take-next', {});
    assert.equal(taken.status, 303);
    assert.equal((await reviewer.getJson('/api/review/state')).status, 200);
    assert.equal((await reviewer.getJson('/api/claimants?q=a')).status, 200);
    assert.match((await reviewer.get('/review')).text, /Nothing to take/);
    assert.doesNotMatch((await reviewer.get('/review')).text, /Nothing to take/, 'shown once');
  });

  test('a browser that follows the redirect at once finds it: the session is saved before the redirect is sent', async () => {
    const editor = await makeUser(ctx.db, { role: 'editor' });
    const server = await listen(ctx.app);
    const holder = await ctx.db.transaction();
    try {
      const { cookie } = await submitForm(server.url, '/login', { email: editor.email, password: TEST_PASSWORD });
      const csrf = csrfFrom(await (await fetch(`${server.url}/account`, { headers: { cookie } })).text());
      // Hold the session rows, so that saving the session after the change has to wait.
      const { rows } = await holder.raw<{ rows: { pid: number }[] }>('SELECT pg_backend_pid() AS pid');
      await holder.raw('SELECT sid FROM session FOR UPDATE');
      let held = true;
      let answeredWhileHeld = false;
      const answer = fetch(`${server.url}/account/profile`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, displayName: 'Eli Renamed' }).toString(),
      }).then((res) => {
        answeredWhileHeld = held;
        return res;
      });
      await eventually(
        async () => (await ctx.db.raw<{ rows: unknown[] }>('SELECT 1 FROM pg_stat_activity WHERE ? = ANY (pg_blocking_pids(pid))', [rows[0]!.pid])).rows.length > 0,
        { what: 'the session save to wait for the held rows' },
      );
      // A browser would have followed a redirect sent now; give one the time to come.
      await sleep(300);
      held = false;
      await holder.commit();
      const res = await answer;
      assert.equal(res.status, 303);
      assert.equal(answeredWhileHeld, false, 'the redirect was sent before the session holding its notice was saved');
      const next = await fetch(`${server.url}${res.headers.get('location')}`, { headers: { cookie } });
      assert.match(await next.text(), /Your name is changed/);
    } finally {
      if (!holder.isCompleted()) await holder.rollback();
      await server.close();
    }
  });
});
