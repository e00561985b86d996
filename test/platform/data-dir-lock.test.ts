import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { DataDirInUseError } from '../../server/platform/data-dir-lock.ts';
import { openDatabase } from '../../server/platform/database.ts';

// Always the embedded engine: the lock guards its folder, whatever TEST_DATABASE_URL says.
describe('one process at a time on an embedded DATA_DIR', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'factdesk-lock-'));
  const lockFile = path.join(dataDir, 'postgres.lock');
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test('while the database is open, opening it again is refused with one plain sentence; after close it opens', { timeout: 60_000 }, async () => {
    const first = await openDatabase({ dataDir });
    try {
      assert.ok(existsSync(lockFile), 'the lock file is in DATA_DIR');
      await assert.rejects(openDatabase({ dataDir }), (err: unknown) => {
        assert.ok(err instanceof DataDirInUseError);
        assert.equal(
          err.message,
          `Factdesk is already running on DATA_DIR ${dataDir} (process ${process.pid}): stop it first, or use a PostgreSQL server (DATABASE_URL).`,
        );
        return true;
      });
      await first.db('pg_catalog.pg_class').first('oid'); // the first one still works
    } finally {
      await first.close();
    }
    assert.ok(!existsSync(lockFile), 'closing removes the lock');
    const again = await openDatabase({ dataDir });
    await again.close();
  });

  test('a lock left by a process that no longer runs is taken over', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    assert.ok(deadPid > 0);
    writeFileSync(lockFile, JSON.stringify({ pid: deadPid, host: hostname() }) + '\n');
    const database = await openDatabase({ dataDir });
    try {
      assert.equal(JSON.parse(readFileSync(lockFile, 'utf8')).pid, process.pid);
    } finally {
      await database.close();
    }
  });

  test('a lock held by a process on another machine, which cannot be looked up, is respected', async () => {
    writeFileSync(lockFile, JSON.stringify({ pid: 1, host: 'some-other-machine' }) + '\n');
    try {
      await assert.rejects(openDatabase({ dataDir }), DataDirInUseError);
    } finally {
      rmSync(lockFile);
    }
  });
});
