import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Readable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { createApp } from '../../server/app.ts';
import { BackupError, restoreDatabase } from '../../server/platform/backup/index.ts';
import { dumpPgliteFolder, PAGES_PER_CHUNK } from '../../server/platform/backup/pglite.ts';
import { assertNoOrphans, assertSameContents, contentsOf, pgliteSide, serverSide, type Contents } from '../support/backup-compare.ts';
import { fillEveryKind, type Filled } from '../support/backup-fill.ts';
import { emptySchema, memorySink, type Target } from '../support/backup-targets.ts';
import { Client } from '../support/client.ts';
import { makeUser } from '../support/factories.ts';
import { assertWorkflowInvariants } from '../support/invariants.ts';
import { openPglite, openPgliteDesk, testConfig } from '../support/pglite-desk.ts';

/** What the PGlite folder holds, read with PGlite itself. */
async function pgliteContents(dir: string): Promise<Contents> {
  const pglite = await openPglite(dir);
  try {
    return await contentsOf(await pgliteSide(pglite));
  } finally {
    await pglite.close();
  }
}

describe('moving the embedded PGlite folder onto a PostgreSQL server: dumped with PGlite, restored on the server', () => {
  let root: string;
  let dir: string;
  let filled: Filled;
  let expected: Contents;
  let target: Target;
  let bulkPages = 0;
  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'factdesk-pglite-'));
    dir = path.join(root, 'pgdata');
    const desk = await openPgliteDesk(dir);
    try {
      filled = await fillEveryKind(desk.app, desk.db);
      // Enough accounts for the users table to be read in several ranges of pages, with gaps where rows were deleted.
      await desk.db.raw(`INSERT INTO users (email, display_name, role) SELECT 'bulk' || g || '@desk.test', 'Bulk ' || g, 'editor' FROM generate_series(1, 50000) g`);
      await desk.db.raw(`DELETE FROM users WHERE email LIKE 'bulk%' AND id % 7 = 0`);
      const { rows } = await desk.db.raw<{ rows: { pages: number }[] }>(`SELECT (pg_relation_size('users') / 8192)::int AS pages`);
      bulkPages = rows[0]!.pages;
    } finally {
      await desk.close();
    }
    expected = await pgliteContents(dir);
    target = await emptySchema();
  });
  after(async () => {
    await target?.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('the restored database holds every row, sequence and migration the PGlite folder held, and the folder is left as it was', async (t) => {
    const sink = memorySink();
    const started = performance.now();
    const dumped = await dumpPgliteFolder(dir, sink.out);
    const middle = performance.now();
    const restored = await restoreDatabase({ db: target.db, client: target.client, input: Readable.from([sink.bytes()]) });
    t.diagnostic(`PGlite dump ${dumped.rows} rows, ${dumped.bytes} bytes in ${(middle - started).toFixed(0)} ms; restore in ${(performance.now() - middle).toFixed(0)} ms`);
    assert.deepEqual(Object.entries(dumped.rowsByTable).filter(([, n]) => n === 0), [], 'every table of the desk has rows to move');
    assert.ok(bulkPages > 2 * PAGES_PER_CHUNK, `users spans ${bulkPages} pages: more than two reads`);
    assert.ok(dumped.rowsByTable.users! > 40_000);
    assert.deepEqual(restored.rowsByTable, dumped.rowsByTable);
    assert.deepEqual(restored.migratedAfter, []);
    assert.match(restored.source, /PGlite/);
    const side = await serverSide(target.client);
    assertSameContents(await contentsOf(side), expected);
    await assertWorkflowInvariants(target.db);
    await assertNoOrphans(side);
    assertSameContents(await pgliteContents(dir), expected);
  });

  test('on the server, the desk carries on: the copied session is signed in, the copied password signs in, and a reviewer decides a claim', async () => {
    const app = createApp({ db: target.db, config: testConfig(), logger: pino({ level: 'silent' }) });
    const account = await request(app).get('/account').set('Cookie', filled.editorCookie);
    assert.equal(account.status, 200, 'the session made on PGlite still signs the editor in');
    const reviewer = await Client.signedIn(app, filled.reviewer);
    const claimId = filled.claims.in_review;
    const { version } = (await target.db('claims').where({ id: claimId }).first('version')) as { version: number };
    const res = await reviewer.post(`/claims/${claimId}/verify`, { version, comment: 'Checked on the new server.', confidence: 'high' });
    assert.equal(res.status, 303);
    assert.equal(((await target.db('claims').where({ id: claimId }).first('status')) as { status: string }).status, 'verified');
    await assertWorkflowInvariants(target.db);
    const newcomer = await makeUser(target.db);
    assert.ok(newcomer.id > filled.reviewer.id, 'new rows are numbered after the copied ones');
  });

  test('a folder without an embedded database is refused, and no database is created in it', async () => {
    const empty = path.join(root, 'not-pgdata');
    await assert.rejects(dumpPgliteFolder(empty, memorySink().out), (err: unknown) => err instanceof BackupError && err.code === 'not_a_pglite_folder');
    assert.deepEqual(readdirSync(root).sort(), ['pgdata']);
  });
});
