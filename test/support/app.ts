import type { Express } from 'express';
import { createApp } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/platform/config.ts';
import type { Db } from '../../server/platform/database.ts';
import { createLogger } from '../../server/platform/logging.ts';
import { createTestDatabase } from './database.ts';

export interface TestContext {
  app: Express;
  db: Db;
  config: Config;
  close(): Promise<void>;
}

/** The real app on a clean database, quiet logs; call close() in after(). */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'test-secret-that-is-long-enough-for-the-config-check',
    BASE_URL: 'http://factdesk.test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const app = createApp({ db: database.db, config, logger: createLogger(config.logLevel) });
  return { app, db: database.db, config, close: () => database.close() };
}
