import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import knex from 'knex';
import pg from 'pg';
import { runningEmbeddedUrl } from '../../server/platform/embedded/start.ts';
import { assertNoOrphans, assertSameContents, contentsOf, pgliteSide, serverSide, type Contents } from '../support/backup-compare.ts';
import { fillEveryKind, type Filled } from '../support/backup-fill.ts';
import { assertWorkflowInvariants } from '../support/invariants.ts';
import { openPglite, openPgliteDesk } from '../support/pglite-desk.ts';
import { startServer } from '../support/process.ts';

// The secret the PGlite desk signed its sessions with (test/support/pglite-desk.ts), so they survive the move.
const SESSION_SECRET = 'test-secret-that-is-long-enough-for-the-config-check';

describe('upgrading a DATA_DIR made by the PGlite versions of Factdesk', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'factdesk-upgrade-'));
  chmodSync(root, 0o711); // run as root, the database's own account must pass through
  const dataDir = path.join(root, 'data');
  let filled: Filled;
  let expected: Contents;
  before(async () => {
    const desk = await openPgliteDesk(path.join(dataDir, 'pgdata'));
    try {
      filled = await fillEveryKind(desk.app, desk.db);
    } finally {
      await desk.close();
    }
    const pglite = await openPglite(path.join(dataDir, 'pgdata'));
    try {
      expected = await contentsOf(await pgliteSide(pglite));
    } finally {
      await pglite.close();
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('the first start copies every row into PostgreSQL, says so, keeps the old folder, and the desk carries on', async () => {
    const server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '', SESSION_SECRET });
    try {
      assert.match(server.output(), /copied into PostgreSQL; the old folder is kept as .*pgdata-pglite-\d{4}-\d{2}-\d{2}/);
      assert.ok(!existsSync(path.join(dataDir, 'pgdata')), 'the old folder was moved aside');
      assert.equal(readdirSync(dataDir).filter((n) => n.startsWith('pgdata-pglite-')).length, 1);
      assert.deepEqual(readdirSync(dataDir).filter((n) => n.includes('conversion') || n.startsWith('.postgres-new-')), [], 'nothing half-made is left');

      const url = (await runningEmbeddedUrl(dataDir))!;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const db = knex({ client: 'pg', connection: url, pool: { min: 0, max: 2 } });
      try {
        const side = await serverSide(client);
        assertSameContents(await contentsOf(side), expected);
        await assertNoOrphans(side);
        await assertWorkflowInvariants(db);
      } finally {
        await client.end();
        await db.destroy();
      }
      const account = await fetch(`${server.url}/account`, { headers: { cookie: filled.editorCookie.join('; ') }, redirect: 'manual' });
      assert.equal(account.status, 200, 'a session signed in before the upgrade is still signed in');
    } finally {
      assert.equal((await server.stop('SIGINT')).code, 0);
    }

    const again = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '', SESSION_SECRET });
    try {
      assert.doesNotMatch(again.output(), /copied into PostgreSQL|applied \d+ migration/, 'the second start converts nothing');
      assert.equal((await fetch(`${again.url}/setup`)).status, 404, 'the desk has its accounts');
    } finally {
      assert.equal((await again.stop('SIGINT')).code, 0);
    }
  });
});
