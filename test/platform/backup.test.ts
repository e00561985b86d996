import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Readable, Writable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Knex } from 'knex';
import type pg from 'pg';
import { pino } from 'pino';
import request from 'supertest';
import { createApp } from '../../server/app.ts';
import { appliedMigrations } from '../../server/platform/backup/catalog.ts';
import { BackupError, dumpDatabase, rawClient, restoreDatabase } from '../../server/platform/backup/index.ts';
import { knownMigrations, migrateOne, migrateToLatest } from '../../server/platform/migrate.ts';
import { STATUSES } from '../../server/claims/statuses.ts';
import { createTestApp, type TestContext } from '../support/app.ts';
import { assertNoOrphans, assertSameContents, contentsOf, rowCounts, serverSide, type Contents } from '../support/backup-compare.ts';
import { fillEveryKind, type Filled } from '../support/backup-fill.ts';
import { emptySchema, emptySchemaOfPlainRole, memorySink, type Target } from '../support/backup-targets.ts';
import { Client } from '../support/client.ts';
import { makeClaimIn, makeReport, makeUser } from '../support/factories.ts';
import { assertWorkflowInvariants } from '../support/invariants.ts';

const restore = (target: Target, backup: Buffer) => restoreDatabase({ db: target.db, client: target.client, input: Readable.from([backup]) });
const refusedWith = (code: string) => (err: unknown) => err instanceof BackupError && err.code === code;
const count = async (db: Knex, table: string) => Number((await db(table).count<{ n: number }[]>('* as n'))[0]!.n);

/** The backup's lines, changed by `edit`, packed again. */
function edited(backup: Buffer, edit: (lines: string[]) => string[]): Buffer {
  return gzipSync(edit(gunzipSync(backup).toString('utf8').split('\n')).join('\n'));
}

/** Asserts the target holds no app rows (the seeded per-status counts all at zero, the seeded secret aside). */
async function assertEmpty(target: Target): Promise<void> {
  const counts = await rowCounts(await serverSide(target.client));
  const { claim_status_counts: seeded, app_secrets: secrets, verdict_labels: labels, ...rest } = counts;
  assert.ok((secrets ?? 0) <= 1, 'at most the session secret its migrations made');
  assert.ok((labels ?? 0) <= 5, 'at most the starting verdict labels its migrations made');
  assert.ok(Object.keys(rest).length > 5, 'the target has the tables of the backup');
  assert.deepEqual(Object.entries(rest).filter(([, n]) => n > 0), [], 'no table has rows');
  assert.equal(Number((await target.db('claim_status_counts').sum<{ n: number }[]>('n as n'))[0]!.n ?? 0), 0, `the counts are zero (${seeded} statuses)`);
}

describe('backing up a running desk and restoring it into an empty database', () => {
  let ctx: TestContext;
  let filled: Filled;
  let source: pg.Client;
  let backup: Buffer;
  let expected: Contents;
  before(async () => {
    ctx = await createTestApp();
    filled = await fillEveryKind(ctx.app, ctx.db);
    source = await rawClient({ db: ctx.db });
  });
  after(async () => {
    await source.end();
    await ctx.close();
  });

  test('a backup restored into a new, empty schema holds every row, sequence and migration as it was', async (t) => {
    const sink = memorySink();
    const started = performance.now();
    const dumped = await dumpDatabase(source, sink.out);
    backup = sink.bytes();
    assert.equal(dumped.bytes, backup.length);
    assert.deepEqual(Object.entries(dumped.rowsByTable).filter(([, n]) => n === 0), [], 'every table of the desk has rows to back up');
    expected = await contentsOf(await serverSide(source));
    const target = await emptySchema();
    try {
      const middle = performance.now();
      const restored = await restore(target, backup);
      t.diagnostic(`backup ${dumped.rows} rows, ${backup.length} bytes in ${(middle - started).toFixed(0)} ms; restore in ${(performance.now() - middle).toFixed(0)} ms`);
      assert.deepEqual(restored.rowsByTable, dumped.rowsByTable);
      assert.equal(restored.triggers, 'replica');
      assert.deepEqual(restored.migratedAfter, []);
      const side = await serverSide(target.client);
      assertSameContents(await contentsOf(side), expected);
      await assertWorkflowInvariants(target.db);
      await assertNoOrphans(side);
    } finally {
      await target.close();
    }
  });

  test('restored, the desk works: the copied session is still signed in, the copied password signs in, and a reviewer decides a claim', async () => {
    const target = await emptySchema();
    try {
      await restore(target, backup);
      const app = createApp({ db: target.db, config: ctx.config, logger: pino({ level: 'silent' }) });
      const account = await request(app).get('/account').set('Cookie', filled.editorCookie);
      assert.equal(account.status, 200, 'the session copied with the backup still signs the editor in');
      const reviewer = await Client.signedIn(app, filled.reviewer);
      const claimId = filled.claims.in_review;
      const { version } = (await target.db('claims').where({ id: claimId }).first('version')) as { version: number };
      const verified = (await target.db('claim_status_counts').where({ status: 'verified' }).first('n')) as { n: number };
      const res = await reviewer.post(`/claims/${claimId}/verify`, { version, comment: 'Checked again after the restore.', confidence: 'high' });
      assert.equal(res.status, 303);
      assert.equal(((await target.db('claims').where({ id: claimId }).first('status')) as { status: string }).status, 'verified');
      const now = (await target.db('claim_status_counts').where({ status: 'verified' }).first('n')) as { n: number };
      assert.equal(Number(now.n), Number(verified.n) + 1, 'the counting triggers run again after the restore');
      await assertWorkflowInvariants(target.db);
      const newcomer = await makeUser(target.db);
      assert.ok(newcomer.id > filled.reviewer.id, 'new rows are numbered after the copied ones');
    } finally {
      await target.close();
    }
  });

  test('a backup cut short is refused, and the database it was restored into stays empty and takes a whole backup afterwards', async () => {
    const target = await emptySchema();
    try {
      const cuts = {
        'cut in the middle': backup.subarray(0, Math.floor(backup.length / 2)),
        'gzip trailer missing': backup.subarray(0, backup.length - 4),
        'END line missing': edited(backup, (lines) => lines.filter((l) => !l.startsWith('END '))),
        'last table missing': edited(backup, (lines) => lines.slice(0, lines.lastIndexOf('\\.', lines.length - 4) + 1)),
      };
      for (const [what, file] of Object.entries(cuts)) {
        await assert.rejects(restore(target, file), refusedWith('truncated'), what);
        await assertEmpty(target);
      }
      const restored = await restore(target, backup);
      assert.equal(restored.rows, Object.values(restored.rowsByTable).reduce((a, b) => a + b, 0));
      assertSameContents(await contentsOf(await serverSide(target.client)), expected);
    } finally {
      await target.close();
    }
  });

  test('a damaged backup is refused: rows that do not match the END line, a header that is not JSON, a file that is not a backup', async () => {
    const target = await emptySchema();
    try {
      const extraRow = edited(backup, (lines) => {
        const at = lines.indexOf('TABLE comments');
        return [...lines.slice(0, at + 1), lines[at + 1]!.replace(/^\d+/, '999999'), ...lines.slice(at + 1)];
      });
      await assert.rejects(restore(target, extraRow), refusedWith('corrupt'));
      await assertEmpty(target);
      await assert.rejects(restore(target, edited(backup, (lines) => [lines[0]!, '{not json', ...lines.slice(2)])), refusedWith('corrupt'));
      await assert.rejects(restore(target, gzipSync('name,email\nAna,ana@example.org\n')), refusedWith('not_a_backup'));
      await assert.rejects(restore(target, Buffer.from('not even gzip')), refusedWith('not_a_backup'));
      await assertEmpty(target);
    } finally {
      await target.close();
    }
  });

  test('a database that already holds data is refused, says what to do, and keeps its data', async () => {
    const target = await emptySchema();
    try {
      await migrateToLatest(target.db);
      await makeUser(target.db);
      await assert.rejects(restore(target, backup), (err: unknown) => {
        assert.ok(err instanceof BackupError && err.code === 'target_not_empty');
        assert.match(err.message, /already holds data \(in users\)/);
        assert.match(err.message, /new, empty database/);
        return true;
      });
      assert.equal(await count(target.db, 'users'), 1);
    } finally {
      await target.close();
    }
  });

  test('a backup made by a newer Factdesk is refused before the database is touched', async () => {
    const target = await emptySchema();
    try {
      const newer = edited(backup, (lines) => {
        const header = JSON.parse(lines[1]!) as { migrations: string[] };
        header.migrations.push('29991231235959_from_a_newer_factdesk.ts');
        return [lines[0]!, JSON.stringify(header), ...lines.slice(2)];
      });
      await assert.rejects(restore(target, newer), (err: unknown) => {
        assert.ok(err instanceof BackupError && err.code === 'newer_factdesk');
        assert.match(err.message, /made by a newer Factdesk.*29991231235959_from_a_newer_factdesk\.ts/);
        return true;
      });
      assert.deepEqual(await appliedMigrations(async <T>(sql: string) => (await target.client.query(sql)).rows as T[]), []);
    } finally {
      await target.close();
    }
  });

  test('without superuser rights, the restore disables each table’s triggers inside its transaction and gets the same result', async () => {
    const target = await emptySchemaOfPlainRole();
    try {
      const restored = await restore(target, backup);
      assert.equal(restored.triggers, 'disabled');
      const side = await serverSide(target.client);
      assertSameContents(await contentsOf(side), expected);
      await assertWorkflowInvariants(target.db);
      const { rows } = await target.client.query<{ name: string }>(
        `SELECT t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = current_schema() AND NOT t.tgisinternal AND t.tgenabled <> 'O'`,
      );
      assert.deepEqual(rows, [], 'every trigger is enabled again');
    } finally {
      await target.close();
    }
  });

  test('an older backup is restored at its own migrations, then the newer migrations run on its rows (into an empty or an up-to-date target)', async () => {
    const known = await knownMigrations();
    // The backup is made just before the migration that drops "www." from stored source addresses.
    const at = known.indexOf('20261201000700_one_source_with_or_without_www.ts');
    assert.ok(at > 0);
    const older = await emptySchema();
    let file: Buffer;
    try {
      for (const name of known.slice(0, at)) await migrateOne(older.db, name, 'up');
      const [user] = (await older.db('users').insert({ email: 'old@desk.test', display_name: 'Old Timer', role: 'editor', password_hash: null }).returning('id')) as { id: number }[];
      // Stored as the rule before the last migration kept it: with its "www.".
      await older.db('sources').insert({ kind: 'web_page', title: 'Old source', url: 'https://www.example.org/a', url_normalized: 'https://www.example.org/a', created_by: user!.id });
      const sink = memorySink();
      await dumpDatabase(older.client, sink.out);
      file = sink.bytes();
    } finally {
      await older.close();
    }
    for (const upToDate of [false, true]) {
      const target = await emptySchema();
      try {
        if (upToDate) await migrateToLatest(target.db);
        const restored = await restore(target, file);
        assert.deepEqual(restored.migrations, known.slice(0, at));
        assert.deepEqual(restored.migratedAfter, known.slice(at));
        const source = (await target.db('sources').first('url_normalized')) as { url_normalized: string };
        assert.equal(source.url_normalized, 'https://example.org/a', 'the newer migration ran on the restored source');
      } finally {
        await target.close();
      }
    }
  });

  test('a backup taken while the desk keeps writing holds one moment: the counts agree with the claims, and every reference has its row', async (t) => {
    // A long report makes the backup big enough for the slow output below to hold it up mid-way.
    const words = randomBytes(450_000).toString('base64').replace(/[+/=]/g, ' ');
    await makeReport(ctx.db, filled.editor, { title: 'A long report', body: `The bridge opened in 2019. ${words}` });
    let stop = false;
    let written = 0;
    const writers = [0, 1].map(async (w) => {
      for (let i = w; !stop; i += 2) {
        await makeClaimIn(ctx.db, STATUSES[i % STATUSES.length]!, { author: filled.editor, reviewer: filled.reviewer });
        if (i % 5 === 0) await makeUser(ctx.db);
        written++;
      }
    });
    try {
      while (written < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      const before = await count(ctx.db, 'claims');
      const writtenBefore = written;
      const sink = memorySink(20);
      const started = performance.now();
      const dumped = await dumpDatabase(source, sink.out);
      const atEnd = await count(ctx.db, 'claims');
      t.diagnostic(`backup took ${(performance.now() - started).toFixed(0)} ms while ${written - writtenBefore} claims were written`);
      const target = await emptySchema();
      try {
        await restore(target, sink.bytes());
        const restored = await count(target.db, 'claims');
        assert.ok(restored >= before, `the backup has the claims written before it began (${restored} >= ${before})`);
        assert.ok(restored < atEnd, `the claims written while it ran are not in it (${restored} < ${atEnd})`);
        assert.equal(dumped.rowsByTable.claims, restored);
        await assertWorkflowInvariants(target.db);
        await assertNoOrphans(await serverSide(target.client));
      } finally {
        await target.close();
      }
    } finally {
      stop = true;
      await Promise.all(writers);
    }
  });

  test('when the output fails halfway, the backup fails with its error and the connection is left usable, outside any transaction', async () => {
    let writes = 0;
    const failing = new Writable({
      write(_chunk, _encoding, done) {
        done(++writes > 3 ? new Error('disk full') : null);
      },
    });
    await assert.rejects(dumpDatabase(source, failing), /disk full/);
    const { rows } = await source.query<{ n: string }>('SELECT count(*)::text AS n FROM users');
    assert.ok(Number(rows[0]!.n) > 0);
    assert.equal((await source.query('SELECT now() = statement_timestamp() AS outside')).rows[0].outside, true, 'no transaction is left open');
  });
});
