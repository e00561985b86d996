// `npm run backup -- FILE`: writes a backup of the configured database to
// FILE while the app may keep running (`-` writes it to standard output; use
// `npm run --silent backup -- - > FILE` so npm's own banner stays out of it).
import { renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { BackupError, dumpDatabase, rawClient, type DumpSummary } from '../platform/backup/index.ts';
import { describeDump } from '../platform/backup/describe.ts';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { openDatabase } from '../platform/database.ts';

const USAGE = 'Usage: npm run backup -- FILE   (FILE "-" writes the backup to standard output)';

class UsageError extends Error {}

async function openOutput(file: string): Promise<Writable> {
  try {
    return (await open(file, 'w')).createWriteStream();
  } catch (err) {
    throw new UsageError(`Cannot write ${file}: ${(err as Error).message}`);
  }
}

async function main(): Promise<void> {
  const [file, ...extra] = process.argv.slice(2);
  if (!file || extra.length > 0) throw new UsageError(USAGE);
  // Written aside and renamed when complete: a failed backup never leaves a file under the name asked for.
  const partial = file === '-' ? null : `${file}.partial`;
  const out = partial ? await openOutput(partial) : process.stdout;
  try {
    const started = performance.now();
    const summary = await backUp(out);
    if (partial) renameSync(partial, file);
    const line = describeDump(summary, partial ? file : 'standard output', (performance.now() - started) / 1000);
    (partial ? console.log : console.error)(line);
  } catch (err) {
    if (partial) {
      out.destroy();
      rmSync(partial, { force: true });
    }
    throw err;
  }
}

async function backUp(out: Writable): Promise<DumpSummary> {
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, ownerUrl: config.databaseMigrationUrl, asOwner: true, dataDir: config.dataDir, shareRunning: true });
  try {
    const client = await rawClient(database);
    try {
      return await dumpDatabase(client, out);
    } finally {
      await client.end();
    }
  } finally {
    await database.close();
  }
}

try {
  await main();
} catch (err) {
  const known = err instanceof UsageError || err instanceof ConfigError || err instanceof BackupError;
  console.error(known ? (err as Error).message : `Backup failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
