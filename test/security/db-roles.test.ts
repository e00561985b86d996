import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import knex from 'knex';
import { openKnex } from '../../server/platform/database.ts';
import { migrateToLatest } from '../../server/platform/migrate.ts';
import { onServer, testDatabaseUrl } from '../support/database.ts';
import { makeUser, TEST_PASSWORD } from '../support/factories.ts';
import { ROOT, startServer, submitForm, type RunningServer } from '../support/process.ts';

/**
 * The README's way onto a PostgreSQL server, followed as an operator would:
 * a desk that ran as the superuser until now gets its two roles from
 * `npm run db:roles`, then starts with the two connection strings it printed.
 */
describe(`npm run db:roles on ${onServer() ? 'the PostgreSQL server' : 'the embedded PostgreSQL'}`, () => {
  const tag = randomBytes(4).toString('hex');
  const database = `factdesk_roles_${tag}`;
  const owner = `fd_${tag}_owner`;
  const runtime = `fd_${tag}_app`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'factdesk-roles-'));
  let server: RunningServer | undefined;
  let adminUrl = '';
  after(async () => {
    await server?.stop();
    const admin = knex({ client: 'pg', connection: await testDatabaseUrl(), pool: { min: 0, max: 1 } });
    await admin.raw(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.raw(`DROP ROLE IF EXISTS ${owner}`).catch(() => undefined);
    await admin.raw(`DROP ROLE IF EXISTS ${runtime}`).catch(() => undefined);
    await admin.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('it makes the two roles, hands the tables to the owner, and Factdesk runs with them without a warning', async () => {
    const admin = knex({ client: 'pg', connection: await testDatabaseUrl(), pool: { min: 0, max: 1 } });
    await admin.raw(`CREATE DATABASE ${database}`);
    await admin.destroy();
    const url = new URL(await testDatabaseUrl());
    url.pathname = `/${database}`;
    adminUrl = url.toString();
    // A desk that ran as the superuser: its tables are the superuser's.
    const before = openKnex(adminUrl, { poolMax: 2 });
    await migrateToLatest(before);
    const user = await makeUser(before, { role: 'editor' });
    await before.destroy();

    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/db-roles.ts', '--owner', owner, '--runtime', runtime], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_ADMIN_URL: adminUrl },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    const printed = (name: string) => new RegExp(`^${name}=(\\S+)$`, 'm').exec(run.stdout)?.[1] ?? '';
    const env = { DATABASE_URL: printed('DATABASE_URL'), DATABASE_MIGRATION_URL: printed('DATABASE_MIGRATION_URL') };
    assert.match(env.DATABASE_URL, new RegExp(`^postgres(ql)?://${runtime}:`));
    assert.match(env.DATABASE_MIGRATION_URL, new RegExp(`^postgres(ql)?://${owner}:`));

    const asOwner = openKnex(env.DATABASE_MIGRATION_URL, { poolMax: 1 });
    try {
      const { rows } = await asOwner.raw<{ rows: { owned: number; others: number }[] }>(
        `SELECT count(*) FILTER (WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)) AS owned,
                count(*) FILTER (WHERE relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)) AS others
           FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'`,
      );
      assert.ok(rows[0]!.owned > 10, 'the owner owns the tables');
      assert.equal(rows[0]!.others, 0, 'and nobody else owns any');
    } finally {
      await asOwner.destroy();
    }

    server = await startServer({ ...env, DATA_DIR: dataDir, SESSION_SECRET: '' }, 120_000);
    assert.doesNotMatch(server.output(), /serves requests as/, 'no warning about the role it runs as');
    const { res } = await submitForm(server.url, '/login', { email: user.email, password: TEST_PASSWORD });
    assert.equal(res.status, 303, 'a person signs in: the runtime role has what a request needs');

    const asRuntime = openKnex(env.DATABASE_URL, { poolMax: 1 });
    try {
      await assert.rejects(asRuntime.raw('ALTER TABLE claims DISABLE TRIGGER claims_guard'), /must be owner/);
      await assert.rejects(asRuntime.raw('CREATE TABLE stolen (id int)'), /permission denied/);
    } finally {
      await asRuntime.destroy();
    }
  });

  test('a superuser serving the requests is told so at start-up, in one line', async () => {
    const again = await startServer({ DATABASE_URL: adminUrl, DATABASE_MIGRATION_URL: '', DATA_DIR: dataDir, SESSION_SECRET: '' }, 120_000);
    try {
      const warnings = again.output().split('\n').filter((line) => /serves requests as/.test(line));
      assert.equal(warnings.length, 1, again.output());
      assert.match(warnings[0]!, /the PostgreSQL superuser/);
    } finally {
      await again.stop();
    }
  });
});
