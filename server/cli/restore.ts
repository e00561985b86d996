// `npm run restore -- FILE`: restores a backup (from `npm run backup`) into
// the configured database, which must be empty: a new database or schema
// (`-` reads the backup from standard input).
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { BackupError, rawClient, restoreDatabase } from '../platform/backup/index.ts';
import { describeRestore } from '../platform/backup/describe.ts';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { openDatabase } from '../platform/database.ts';

const USAGE = 'Usage: npm run restore -- FILE   (FILE "-" reads the backup from standard input)';

class UsageError extends Error {}

async function openInput(file: string): Promise<Readable> {
  if (file === '-') return process.stdin;
  try {
    return (await open(file)).createReadStream();
  } catch (err) {
    throw new UsageError(`Cannot read ${file}: ${(err as Error).message}`);
  }
}

async function main(): Promise<void> {
  const [file, ...extra] = process.argv.slice(2);
  if (!file || extra.length > 0) throw new UsageError(USAGE);
  const input = await openInput(file);
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, ownerUrl: config.databaseMigrationUrl, asOwner: true, dataDir: config.dataDir, shareRunning: true });
  try {
    const client = await rawClient(database);
    try {
      const started = performance.now();
      const summary = await restoreDatabase({ db: database.db, client, input });
      console.log(describeRestore(summary, file === '-' ? 'standard input' : file, (performance.now() - started) / 1000));
    } finally {
      await client.end();
    }
  } finally {
    input.destroy();
    await database.close();
  }
}

try {
  await main();
} catch (err) {
  const known = err instanceof UsageError || err instanceof ConfigError || err instanceof BackupError;
  console.error(known ? (err as Error).message : `Restore failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
