import type { Router } from 'express';
import type { MatchSettings } from '../claims/repeat-match.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/database.ts';
import type { OperationRegistry } from './operations.ts';

/** What every group of operations is given. */
export interface ApiContext {
  db: Db;
  config: Config;
  repeats: MatchSettings;
  clock: () => Date;
  router: Router;
  ops: OperationRegistry;
}

