import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { spawn } from 'node:child_process';
import { ROOT, runServerExpectingFailure, startServer, submitForm } from '../support/process.ts';

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
    const { res: created } = await submitForm(first.url, '/setup', { displayName: 'Ada Admin', email: 'ada@desk.test', password: 'quiet harbour lantern 42' });
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

  test('a second server on the same embedded DATA_DIR is refused with one line; a command-line tool shares the running one', async () => {
    const shared = mkdtempSync(path.join(tmpdir(), 'factdesk-twice-'));
    const first = await startServer({ DATA_DIR: shared, DATABASE_URL: '' });
    try {
      const second = await runServerExpectingFailure({ DATA_DIR: shared, DATABASE_URL: '' });
      assert.notEqual(second.code, 0);
      assert.equal(
        second.stderr,
        `Factdesk cannot start. Factdesk is already running on DATA_DIR ${shared} (process ${first.child.pid}): stop it first, or use a PostgreSQL server (DATABASE_URL).\n`,
      );
      const cli = await runCli('server/cli/create-user.ts', ['--email', 'ana@desk.test', '--role', 'admin'], { DATA_DIR: shared, DATABASE_URL: '' }, 'quiet harbour lantern 42\n');
      assert.equal(cli.code, 0, cli.stderr);
      assert.equal((await fetch(`${first.url}/healthz`)).status, 200, 'the running server is unaffected');
      // The account made beside the running app is there for it at once.
      const { res: signedIn } = await submitForm(first.url, '/login', { email: 'ana@desk.test', password: 'quiet harbour lantern 42' });
      assert.equal(signedIn.status, 303, 'the new admin signs in on the running app');
    } finally {
      assert.equal((await first.stop('SIGTERM')).code, 0);
      rmSync(shared, { recursive: true, force: true });
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

});

/** Runs a command-line entry with `input` on stdin; resolves with its exit code and what it printed on stderr. */
function runCli(entry: string, args: string[], env: Record<string, string>, input: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(input);
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}
