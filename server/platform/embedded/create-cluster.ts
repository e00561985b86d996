import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { PostgresBinaries } from './binaries.ts';
import { CLUSTER_DIR, MAKING_PREFIX, MARKER_FILE, PASSWORD_FILE, syncFolder, type ClusterMarker } from './data-folder.ts';
import { giveTo, type OsUser } from './os-user.ts';
import { PostgresProgramError, run, startCluster, stopCluster, type ClusterHandle } from './pg-ctl.ts';
import { chooseEndpoint, connectionUrl, INCLUDE_LINE, writeSettings } from './settings.ts';

/** The database the app's tables live in. */
export const APP_DATABASE = 'factdesk';

/** Runs on the new cluster, started, before it is put in place (the PGlite conversion copies the old data in here). */
export type FillCluster = (url: string) => Promise<void>;

/**
 * Makes a new cluster in a sibling folder and renames it into place only when
 * it is whole (initdb done, the app's database made, filled, the marker
 * written and flushed), so a kill at any moment leaves either no cluster or a
 * complete one; an unfinished sibling is deleted at the next start.
 */
export async function createCluster(props: {
  dataDir: string;
  bins: PostgresBinaries;
  user: OsUser | undefined;
  fill?: FillCluster;
  convertedFrom?: string;
}): Promise<void> {
  const making = path.join(props.dataDir, `${MAKING_PREFIX}${randomBytes(6).toString('hex')}`);
  const handle: ClusterHandle = { bins: props.bins, dir: making, user: props.user };
  const password = randomBytes(24).toString('base64url');
  try {
    await initialise(handle, password);
    const endpoint = await chooseEndpoint(making, props.user);
    writeSettings(making, endpoint, props.user);
    await startCluster(handle);
    try {
      await createAppDatabase(connectionUrl(endpoint, password, 'postgres'));
      await props.fill?.(connectionUrl(endpoint, password, APP_DATABASE));
    } finally {
      await stopCluster(handle);
    }
    const marker: ClusterMarker = { createdAt: new Date().toISOString(), ...(props.convertedFrom ? { convertedFrom: props.convertedFrom } : {}) };
    writeDurably(path.join(making, MARKER_FILE), JSON.stringify(marker) + '\n', props.user);
    syncFolder(making);
    renameSync(making, path.join(props.dataDir, CLUSTER_DIR));
    syncFolder(props.dataDir);
  } catch (err) {
    rmSync(making, { recursive: true, force: true });
    throw err;
  }
}

async function initialise(handle: ClusterHandle, password: string): Promise<void> {
  mkdirSync(handle.dir, { mode: 0o700 });
  giveTo(handle.user, handle.dir);
  // initdb reads the superuser's password from a file; it lives beside the
  // cluster only while initdb runs, and inside it (0600) afterwards.
  const passwordFile = `${handle.dir}.password`;
  writeFileSync(passwordFile, password + '\n', { mode: 0o600 });
  giveTo(handle.user, passwordFile);
  try {
    const made = await run(handle, 'initdb', [
      `--pgdata=${handle.dir}`,
      '--username=factdesk',
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      // PostgreSQL's own Unicode locale: the same case rules and order on every platform, whatever locales the machine has.
      '--locale=C',
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
      '--no-instructions',
    ]);
    if (made.code !== 0) throw new PostgresProgramError(`initdb failed: ${made.output.split('\n').slice(-3).join(' ')}`);
  } finally {
    rmSync(passwordFile, { force: true });
  }
  appendFileSync(path.join(handle.dir, 'postgresql.conf'), INCLUDE_LINE);
  mkdirSync(path.join(handle.dir, 'log'), { mode: 0o700 });
  giveTo(handle.user, path.join(handle.dir, 'log'));
  writeDurably(path.join(handle.dir, PASSWORD_FILE), password + '\n', handle.user);
}

async function createAppDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${APP_DATABASE}`);
  } finally {
    await client.end();
  }
}

function writeDurably(file: string, content: string, user: OsUser | undefined): void {
  const fd = openSync(file, 'w', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  giveTo(user, file);
}
