import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { runServerExpectingFailure, startServer } from '../support/process.ts';

describe('starting and stopping the server process', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'factdesk-start-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('on the embedded database it serves pages, stops on SIGINT with 0, and keeps its data for the next start', async () => {
    const first = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '' });
    const health = await fetch(`${first.url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok', database: 'ok' });
    const home = await fetch(`${first.url}/`, { redirect: 'manual' });
    assert.equal(home.status, 302);
    assert.equal(home.headers.get('location'), '/setup');

    // Create the first admin through the setup form, so there is data to keep.
    const setupPage = await fetch(`${first.url}/setup`);
    const cookie = setupPage.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await setupPage.text())![1]!;
    const created = await fetch(`${first.url}/setup`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, displayName: 'Ada Admin', email: 'ada@desk.test', password: 'quiet harbour lantern 42' }).toString(),
    });
    assert.equal(created.status, 303);

    const stopped = await first.stop('SIGINT');
    assert.equal(stopped.code, 0, first.output());
    assert.ok(stopped.ms < 5000, `took ${stopped.ms} ms to stop`);

    const second = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '' });
    try {
      const setupAgain = await fetch(`${second.url}/setup`);
      assert.equal(setupAgain.status, 404, 'the admin from the first run is still there');
      assert.doesNotMatch(second.output(), /applied \d+ migration/, 'no migration runs twice');
    } finally {
      assert.equal((await second.stop('SIGTERM')).code, 0);
    }
  });

  test('PORT=abc stops start-up with one line naming PORT', async () => {
    const res = await runServerExpectingFailure({ PORT: 'abc', DATA_DIR: dataDir });
    assert.notEqual(res.code, 0);
    const lines = res.stderr.trim().split('\n');
    assert.equal(lines.length, 1, res.stderr);
    assert.match(lines[0]!, /PORT must be a whole number/);
    assert.doesNotMatch(res.stderr, /at .*\.ts:\d+/, 'no stack trace');
  });

  test('a DATABASE_URL that points nowhere stops start-up with one line naming DATABASE_URL', async () => {
    const res = await runServerExpectingFailure({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    assert.notEqual(res.code, 0);
    const lines = res.stderr.trim().split('\n');
    assert.equal(lines.length, 1, res.stderr);
    assert.match(lines[0]!, /^Factdesk cannot start\. DATABASE_URL /);
    assert.equal(res.stdout, '', 'nothing else is printed, no stack trace on stdout');
  });

  test('production without SESSION_SECRET refuses to start and says why', async () => {
    const res = await runServerExpectingFailure({ NODE_ENV: 'production', SESSION_SECRET: '', DATA_DIR: dataDir });
    assert.notEqual(res.code, 0);
    assert.match(res.stderr.trim(), /^Factdesk cannot start\. SESSION_SECRET is required when NODE_ENV=production/);
  });
});
