import { Writable } from 'node:stream';
import type { Express } from 'express';
import { pino } from 'pino';
import { createApp, type AppDeps } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/platform/config.ts';
import type { Db } from '../../server/platform/database.ts';
import type { User } from '../../server/accounts/users.repo.ts';
import type { QueueFeed } from '../../server/review/live.ts';
import { Client } from './client.ts';
import { createTestDatabase } from './database.ts';
import { makeUser } from './factories.ts';

export interface TestContext {
  app: Express;
  /** The database as its owner, to set tests up and look at what the app did. */
  db: Db;
  /** The app's own connection (the runtime role), to watch the queries it runs. */
  appDb: Db;
  config: Config;
  /** Every log line the app wrote, parsed (at info level and above). */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** The real app on a clean database, its log captured in memory; call close() in after(). */
export async function createTestApp(env: Record<string, string> = {}, options: { feed?: QueueFeed; clock?: () => Date; resolveHost?: AppDeps['resolveHost'] } = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'test-secret-that-is-long-enough-for-the-config-check',
    BASE_URL: 'http://factdesk.test',
    LOG_LEVEL: 'info',
    ...env,
  });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      if (process.env.TEST_LOG) process.stderr.write(chunk);
      done();
    },
  });
  // The app serves requests as the runtime role, as in production; the tests set up through the owner's `db`.
  const app = createApp({ db: database.runtime.db, config, logger: pino({ level: config.logLevel }, sink), ...(options.feed ? { feed: options.feed } : {}), ...(options.clock ? { clock: options.clock } : {}), ...(options.resolveHost ? { resolveHost: options.resolveHost } : {}) });
  return { app, db: database.db, appDb: database.runtime.db, config, logs, close: () => database.close() };
}

/** A fresh app with one editor signed in, the set-up many suites start from: call it in before(), and ctx.close() in after(). */
export async function appWithEditor(env: Record<string, string> = {}): Promise<{ ctx: TestContext; editor: User; client: Client }> {
  const ctx = await createTestApp(env);
  const editor = await makeUser(ctx.db);
  return { ctx, editor, client: await Client.signedIn(ctx.app, editor) };
}
