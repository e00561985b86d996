import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/platform/config.ts';
import type { Database } from '../../server/platform/database.ts';
import { createTestDatabase } from '../support/database.ts';
import { Client } from '../support/client.ts';
import { makeUser, TEST_PASSWORD } from '../support/factories.ts';

// Connections come and go with the pool: a new one must find the database as
// the last one left it (sessions, the sign-in throttle's statements).
describe('the database after its pooled connections were idle', () => {
  let database: Database;
  let app: ReturnType<typeof createApp>;
  before(async () => {
    database = await createTestDatabase({ idleTimeoutMillis: 150 });
    const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-that-is-long-enough-for-the-config-check', LOG_LEVEL: 'silent' });
    app = createApp({ db: database.db, config, logger: pino({ level: 'silent' }) });
  });
  after(() => database.close());

  test('sign-in still works once the pool has dropped and reopened its connection', async () => {
    const user = await makeUser(database.db);
    const first = new Client(app);
    assert.equal((await first.post('/login', { email: user.email, password: 'not the right password' })).status, 401);
    assert.equal((await first.post('/login', { email: user.email, password: TEST_PASSWORD })).status, 303);

    // Long enough for the pool to close the idle connection; the next request opens a new one.
    await sleep(600);
    assert.equal(database.db.client.pool.numFree() + database.db.client.pool.numUsed(), 0, 'the idle connection was closed');

    const second = new Client(app);
    const wrong = await second.post('/login', { email: user.email, password: 'still not the right password' });
    assert.equal(wrong.status, 401, wrong.text.slice(0, 300));
    const right = await second.post('/login', { email: user.email, password: TEST_PASSWORD });
    assert.equal(right.status, 303, right.text.slice(0, 300));
    assert.equal((await second.get('/account')).status, 200);
  });
});
