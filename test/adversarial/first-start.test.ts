import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { killDatabaseProcesses } from '../support/embedded-processes.ts';
import { ROOT, startServer } from '../support/process.ts';

/*
 * The first start of the embedded database, killed at the worst moments: while
 * initdb writes the cluster, while the new cluster's server makes the app's
 * database, right after the cluster is renamed into place, and in the middle of
 * the migrations. Each kill is a power cut (the app and every database process
 * at once) or, where it says so, the app alone (its server runs on as an
 * orphan). Every following start must come up healthy, apply what is missing,
 * and stop cleanly with no database process left behind.
 */

type Moment = { name: string; reached: (dataDir: string) => boolean | Promise<boolean>; appOnly?: boolean };

const making = (dataDir: string) => readdirSync(dataDir).filter((n) => n.startsWith('.postgres-new-')).map((n) => path.join(dataDir, n));

async function migrationsApplied(dataDir: string): Promise<number> {
  const cluster = path.join(dataDir, 'postgres');
  if (!existsSync(path.join(cluster, 'postmaster.pid'))) return 0;
  const client = new pg.Client({ host: cluster, port: 5432, user: 'factdesk', database: 'factdesk', password: readFileSync(path.join(cluster, 'factdesk-password'), 'utf8').trim() });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM knex_migrations");
    return rows[0]?.n ?? 0;
  } catch {
    return 0;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const MOMENTS: Moment[] = [
  { name: 'while initdb writes the new cluster', reached: (d) => making(d).some((m) => existsSync(path.join(m, 'global'))) },
  { name: 'while the new cluster’s server makes the app’s database', reached: (d) => making(d).some((m) => existsSync(path.join(m, 'postmaster.pid'))) },
  { name: 'right after the cluster is renamed into place', reached: (d) => existsSync(path.join(d, 'postgres')) },
  { name: 'in the middle of the migrations', reached: async (d) => (await migrationsApplied(d)) > 0 },
  { name: 'in the middle of the migrations, the app alone (its server is orphaned)', reached: async (d) => (await migrationsApplied(d)) > 0, appOnly: true },
];

/** Starts Factdesk on a fresh DATA_DIR and SIGKILLs it the moment `reached` says so; resolves whether it was reached before the start finished. */
async function killAt(dataDir: string, moment: Moment): Promise<{ reached: boolean; output: string }> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', PORT: '0', NODE_ENV: 'development', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let reached = false;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null && !/is running on/.test(output)) {
    if (await moment.reached(dataDir)) {
      reached = true;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  child.kill('SIGKILL');
  await exited;
  if (!moment.appOnly) killDatabaseProcesses(dataDir);
  return { reached, output };
}

describe('first start of the embedded database, killed at the worst moments', () => {
  const folders: string[] = [];
  after(() => {
    for (const dir of folders) {
      killDatabaseProcesses(dir);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const moment of MOMENTS) {
    test(`killed ${moment.name}: the next start is healthy and a clean stop leaves no server behind`, async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'factdesk-first-'));
      folders.push(dataDir);
      const killed = await killAt(dataDir, moment);
      assert.ok(killed.reached, `the kill was meant to land ${moment.name}, but the start got past it first:\n${killed.output}`);

      const server = await startServer({ DATA_DIR: dataDir, DATABASE_URL: '' });
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 200, server.output());
      assert.deepEqual(await health.json(), { status: 'ok', database: 'ok' });
      const setup = await fetch(`${server.url}/setup`);
      assert.equal(setup.status, 200, 'a new desk asks for its first admin');
      if (moment.appOnly) assert.match(server.output(), /left running by an earlier Factdesk/);
      const stopped = await server.stop('SIGINT');
      assert.equal(stopped.code, 0, server.output());
      assert.deepEqual(readdirSync(dataDir).filter((n) => n.startsWith('.postgres-new-')), [], 'no unfinished cluster is left');
      assert.ok(!existsSync(path.join(dataDir, 'postgres', 'postmaster.pid')), 'the database server stopped with the app');
      console.log(`first start killed ${moment.name}: restart healthy, clean stop`);
    });
  }

  test('a data folder left by an interrupted first start of an older version is explained in one line', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'factdesk-half-'));
    folders.push(dataDir);
    // What a kill during the old embedded engine's first copy left: the version file, not the configuration.
    const legacy = path.join(dataDir, 'pgdata');
    await import('node:fs/promises').then((fs) => fs.mkdir(path.join(legacy, 'base'), { recursive: true }).then(() => fs.writeFile(path.join(legacy, 'PG_VERSION'), '17\n')));
    const { runServerExpectingFailure } = await import('../support/process.ts');
    const res = await runServerExpectingFailure({ DATA_DIR: dataDir, DATABASE_URL: '' });
    assert.notEqual(res.code, 0);
    assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
    assert.match(res.stderr, /pgdata is an unfinished database from an older Factdesk \(postgresql\.conf is missing\).*Delete or move that folder and start again/);
  });
});
