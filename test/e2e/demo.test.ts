import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { startServer, submitForm } from '../support/process.ts';

describe('npm run demo', () => {
  // The time to the first sample page is printed (a measurement), not asserted.
  test('starts a throw-away desk whose sample report shows highlighted claims of every decided and open status, and leaves nothing behind', async () => {
    const started = Date.now();
    const demo = await startServer({ DATABASE_URL: '' }, 60_000, 'server/cli/demo.ts');
    try {
      const out = demo.output();
      const editor = /editor\s+(\S+@\S+)\s+(\S+)/.exec(out);
      assert.ok(editor, `the demo prints its accounts:\n${out}`);
      const { res: signIn, cookie: session } = await submitForm(demo.url, '/login', { email: editor[1]!, password: editor[2]! });
      assert.equal(signIn.status, 303);
      const reports = (await (await fetch(`${demo.url}/reports`, { headers: { cookie: session, accept: 'application/json' } })).json()) as { reports: { id: number }[] };
      assert.equal(reports.reports.length, 1);
      const page = await (await fetch(`${demo.url}/reports/${reports.reports[0]!.id}`, { headers: { cookie: session } })).text();
      const statuses = new Set([...page.matchAll(/class="hl hl--(\w+)"/g)].map((m) => m[1]));
      for (const s of ['verified', 'refuted', 'in_review', 'draft', 'unverifiable', 'changes_requested']) assert.ok(statuses.has(s), `a ${s} highlight`);
      console.log(`npm run demo: sample report with ${statuses.size} highlight statuses after ${Date.now() - started} ms`);
    } finally {
      assert.equal((await demo.stop('SIGINT')).code, 0);
    }
    const dataDir = /Data is kept in (\S+) until/.exec(demo.output())?.[1];
    assert.ok(dataDir, 'the demo says where its data is');
    assert.equal(existsSync(dataDir), false, 'the throw-away data folder is gone');
  });

  test('with DATA_DIR and DATABASE_URL set, it says it ignores them, and puts nothing in that folder', async () => {
    const own = mkdtempSync(path.join(tmpdir(), 'factdesk-own-data-'));
    writeFileSync(path.join(own, 'keep.txt'), 'the newsroom\'s own folder\n');
    try {
      // A server nobody listens on: the demo must not even try it.
      const demo = await startServer({ DATA_DIR: own, DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none' }, 60_000, 'server/cli/demo.ts');
      try {
        const out = demo.output();
        assert.match(out, /always uses a throw-away database and ignores DATA_DIR \(.+\) and DATABASE_URL/, out);
        assert.ok(!out.includes('postgres://nobody'), 'the database address is not printed');
        const dataDir = /Data is kept in (\S+) until/.exec(out)?.[1];
        assert.ok(dataDir && path.resolve(dataDir) !== path.resolve(own), 'the demo keeps its data elsewhere');
      } finally {
        const stopped = await demo.stop('SIGINT');
        assert.equal(stopped.code, 0, `stopped by ${stopped.signal}:\n${demo.output()}`);
      }
      assert.deepEqual(readdirSync(own), ['keep.txt'], 'nothing was written to the folder DATA_DIR names');
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});
