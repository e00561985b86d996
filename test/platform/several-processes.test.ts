import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase, type Database } from '../../server/platform/database.ts';
import { knownMigrations } from '../../server/platform/migrate.ts';
import { csrfFrom } from '../support/client.ts';
import { createEmptySchema, onServer, type EmptySchema } from '../support/database.ts';
import { makeUser, TEST_PASSWORD } from '../support/factories.ts';
import { startServer, submitForm, type RunningServer } from '../support/process.ts';

const ENGINE = onServer() ? 'the PostgreSQL server' : 'the embedded PostgreSQL';

/**
 * Factdesk behind a load balancer: several processes, each with its own
 * DATA_DIR, on one database, started as `npm start` starts them, with no
 * setting beyond DATABASE_URL (and, in some rounds, DATABASE_MIGRATION_URL).
 */
describe(`several processes on one database (${ENGINE})`, () => {
  const folders: string[] = [];
  const servers: RunningServer[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'factdesk-proc-'));
    folders.push(dir);
    return dir;
  };
  const start = async (env: Record<string, string>) => {
    const server = await startServer({ DATA_DIR: dataDir(), SESSION_SECRET: '', ...env }, 120_000);
    servers.push(server);
    return server;
  };
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  describe('one sign-in, any process', () => {
    let schema: EmptySchema;
    let owner: Database;
    before(async () => {
      schema = await createEmptySchema();
    });
    after(async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await owner?.close();
      await schema?.drop();
    });

    test('signed in on one process, a person is signed in on the other, and signed out on both by signing out on either', async () => {
      const env = { DATABASE_URL: schema.runtimeUrl, DATABASE_MIGRATION_URL: schema.ownerUrl };
      const first = await start(env);
      owner = await openDatabase({ url: schema.ownerUrl, schema: schema.schema, poolMax: 2 });
      const user = await makeUser(owner.db, { role: 'editor' });
      const second = await start(env);

      const { res, cookie } = await submitForm(first.url, '/login', { email: user.email, password: TEST_PASSWORD });
      assert.equal(res.status, 303, 'signed in on the first process');
      const onSecond = await fetch(`${second.url}/account`, { headers: { cookie }, redirect: 'manual' });
      assert.equal(onSecond.status, 200, 'the second process knows the session the first one signed');
      assert.match(await onSecond.text(), new RegExp(user.email.replace('.', '\\.')));

      const csrf = csrfFrom(await (await fetch(`${second.url}/account`, { headers: { cookie } })).text());
      const out = await fetch(`${second.url}/logout`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf }).toString(),
      });
      assert.equal(out.status, 303, 'signed out on the second process');
      const back = await fetch(`${first.url}/account`, { headers: { cookie }, redirect: 'manual' });
      assert.equal(back.status, 302, 'and so on the first');
      assert.equal(back.headers.get('location'), '/login');
    });
  });

  const ROUNDS = 3;
  for (let round = 1; round <= ROUNDS; round++) {
    // Odd rounds: one DATABASE_URL that migrates itself; even rounds: the runtime role with the owner for migrations.
    const withOwner = round % 2 === 0;
    test(`round ${round} of ${ROUNDS}: three processes started at the same instant on an empty database all come up${withOwner ? ' (runtime role + owner)' : ''}`, async () => {
      const schema = await createEmptySchema();
      try {
        const env: Record<string, string> = withOwner ? { DATABASE_URL: schema.runtimeUrl, DATABASE_MIGRATION_URL: schema.ownerUrl } : { DATABASE_URL: schema.ownerUrl, DATABASE_MIGRATION_URL: '' };
        const started = await Promise.allSettled([start(env), start(env), start(env)]);
        const failed = started.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason).slice(0, 2000));
        assert.deepEqual(failed, [], 'every process started');
        const running = started.map((s) => (s as PromiseFulfilledResult<RunningServer>).value);
        for (const server of running) assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
        const applied = running.map((s) => /applied (\d+) migration/.exec(s.output())?.[1] ?? '0');
        assert.deepEqual(applied.filter((n) => n !== '0'), [String((await knownMigrations()).length)], 'exactly one process migrated; the others waited and found nothing to do');
        const owner = await openDatabase({ url: schema.ownerUrl, poolMax: 1 });
        try {
          const { rows } = await owner.db.raw<{ rows: { n: number; names: number }[] }>('SELECT count(*) AS n, count(DISTINCT name) AS names FROM knex_migrations');
          assert.deepEqual(rows[0], { n: (await knownMigrations()).length, names: (await knownMigrations()).length }, 'each migration recorded once');
        } finally {
          await owner.close();
        }
        await Promise.all(running.map((s) => s.stop()));
      } finally {
        await schema.drop();
      }
    });
  }
});
