import type { Config } from './config.ts';
import type { Db } from './database.ts';

/**
 * The secrets that sign and check the session cookie, the first signing:
 * SESSION_SECRET when it is set, else the one the migrations made in the
 * database, which every process of the desk reads, so a person signed in on
 * one process is signed in on all of them without any setting. The others
 * still check cookies signed before (the database's after SESSION_SECRET is
 * set; the DATA_DIR file of an older Factdesk), so nobody is signed out.
 */
export async function sessionSecrets(db: Db, config: Pick<Config, 'sessionSecret' | 'legacySessionSecret'>): Promise<string[]> {
  const stored = (await db('app_secrets').where({ name: 'session' }).first('value')) as { value: string } | undefined;
  const secrets = [config.sessionSecret, stored?.value, config.legacySessionSecret].filter((s): s is string => Boolean(s));
  if (secrets.length === 0) throw new Error('the database holds no session secret (its migrations have not run)');
  return [...new Set(secrets)];
}
